import type { Readable } from 'node:stream';
import type {
  ImportArtifact,
  ImportExperiment,
  ImportLoggedModel,
  ImportMetricPoint,
  ImportModel,
  ImportRun,
} from '@trove/protocol';

/**
 * One kind of place `trove import` reads from: an MLflow server (REST), an MLflow database with its
 * artifact store, or a Trove archive. Every reader yields MLflow's entities; the importer, the
 * verifier and the archive writer work on this interface alone.
 */
export interface ImportSource {
  /** For the report: where the data comes from. */
  readonly description: string;
  /** The source's schema or server version. */
  readonly version: string;
  experiments(): Promise<ImportExperiment[]>;
  runs(experimentId: string): AsyncIterable<ImportRun>;
  /** Every point of a run, in pages. */
  metrics(run: ImportRun): AsyncIterable<ImportMetricPoint[]>;
  metricCount(run: ImportRun): Promise<number>;
  models(): Promise<ImportModel[]>;
  /** Every file under the run's artifact root, recursively. */
  artifacts(run: ImportRun): AsyncIterable<ImportArtifact>;
  openArtifact(run: ImportRun, path: string): Promise<Readable>;
  /** MLflow 3 logged models of an experiment: absent on sources that cannot hold them (MLflow 2.x reads none). */
  loggedModels?(experimentId: string): AsyncIterable<ImportLoggedModel>;
  /** Every file under the logged model's artifact root, recursively, relative to it. */
  loggedModelArtifacts?(model: ImportLoggedModel): AsyncIterable<ImportArtifact>;
  openLoggedModelArtifact?(model: ImportLoggedModel, path: string): Promise<Readable>;
  close(): Promise<void>;
}

/** Counts the points of a run by reading them: for sources that cannot count otherwise. */
export async function countByReading(source: ImportSource, run: ImportRun): Promise<number> {
  let n = 0;
  for await (const page of source.metrics(run)) n += page.length;
  return n;
}
