import type { ArtifactStore } from '@trove/artifacts';
import type { ImportRun } from '@trove/protocol';
import { type MetricCursor, type MetricRow, openMlflowDatabase } from '@trove/store';
import { runArtifactRoot, walkArtifacts } from './artifact-tree.ts';
import type { ImportSource } from './import-source.ts';

const PAGE = 10_000;

/** An MLflow tracking database (`sqlite:///…`, `postgresql://…`) and the folder or bucket its artifacts live in. */
export async function openMlflowDbSource(uri: string, artifacts: string | undefined): Promise<ImportSource> {
  const db = await openMlflowDatabase(uri);
  // Runs are imported one after another: the store of the run at hand serves its listing and every
  // file read (one S3 client per run, not one per file), and is closed when the next run's opens.
  let current: { root: string; store: ArtifactStore } | undefined;
  const rootOf = (run: ImportRun): ArtifactStore => {
    if (current?.root !== run.info.artifact_uri) {
      current?.store.destroy?.();
      current = { root: run.info.artifact_uri, store: runArtifactRoot(run.info.artifact_uri, artifacts) };
    }
    return current.store;
  };
  return {
    description: `MLflow database ${uri.replace(/\/\/[^@/]*@/, '//')}`,
    version: `alembic ${db.schemaVersion}`,
    experiments: () => db.experiments(),
    async *runs(experimentId) {
      for (const id of await db.runIds(experimentId)) yield await db.run(id);
    },
    async *metrics(run: ImportRun) {
      let after: MetricCursor | undefined;
      for (;;) {
        const page: MetricRow[] = await db.metricPage(run.info.run_id, after, PAGE);
        if (page.length === 0) return;
        yield page;
        if (page.length < PAGE) return;
        after = page[page.length - 1];
      }
    },
    metricCount: (run) => db.metricCount(run.info.run_id),
    models: () => db.models(),
    artifacts: (run) => walkArtifacts(rootOf(run)),
    async openArtifact(run, path) {
      return (await rootOf(run).open(path)).stream;
    },
    close: () => {
      current?.store.destroy?.();
      return db.close();
    },
  };
}
