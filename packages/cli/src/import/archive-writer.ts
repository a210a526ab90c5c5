import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { ImportCounts } from '@trove/protocol';
import tar from 'tar-stream';
import { ARCHIVE_FORMAT, type ArchivedRun, archiveLoggedModel, archivePaths, pointLine } from './archive-format.ts';
import { addCounts, emptyCounts } from './import-counts.ts';
import type { ImportSource } from './import-source.ts';

/** Writes everything `source` holds to an archive file (gzipped for `.gz`); what it wrote, counted. */
export async function writeArchive(source: ImportSource, file: string): Promise<ImportCounts> {
  const pack = tar.pack();
  const out = createWriteStream(file);
  const done = file.endsWith('.gz') ? pipeline(pack, createGzip(), out) : pipeline(pack, out);
  const counts = emptyCounts();
  const put = (name: string, text: string) =>
    new Promise<void>((resolve, reject) => pack.entry({ name }, text, (e) => (e ? reject(e) : resolve())));
  const putStream = (name: string, size: number, body: Readable) =>
    new Promise<void>((resolve, reject) => {
      const entry = pack.entry({ name, size }, (err) => (err ? reject(err) : resolve()));
      body.on('error', reject);
      body.pipe(entry);
    });
  try {
    const experiments = await source.experiments();
    counts.experiments = experiments.length;
    await put(archivePaths.experiments, JSON.stringify(experiments));
    for (const e of experiments) {
      for await (const run of source.runs(e.experiment_id)) {
        const artifacts = [];
        for await (const a of source.artifacts(run)) artifacts.push(a);
        const lines: string[] = [];
        for await (const page of source.metrics(run)) for (const p of page) lines.push(pointLine(p));
        const archived: ArchivedRun = { ...run, artifacts };
        await put(archivePaths.run(e.experiment_id, run.info.run_id), JSON.stringify(archived));
        await put(archivePaths.metrics(run.info.run_id), lines.length ? `${lines.join('\n')}\n` : '');
        for (const a of artifacts)
          await putStream(
            archivePaths.artifact(run.info.run_id, a.path),
            a.size,
            await source.openArtifact(run, a.path),
          );
        addCounts(counts, {
          runs: 1,
          params: run.params.length,
          tags: run.tags.length,
          metricPoints: lines.length,
          datasetInputs: run.inputs.length,
          modelEdges: (run.modelInputs?.length ?? 0) + (run.modelOutputs?.length ?? 0),
          artifacts: artifacts.length,
          artifactBytes: artifacts.reduce((n, a) => n + a.size, 0),
        });
      }
      for await (const m of source.loggedModels?.(e.experiment_id) ?? []) {
        const artifacts = [];
        for await (const a of source.loggedModelArtifacts?.(m) ?? []) artifacts.push(a);
        await put(
          archivePaths.loggedModel(e.experiment_id, m.model_id),
          JSON.stringify(archiveLoggedModel(m, artifacts)),
        );
        for (const a of artifacts) {
          const body = await source.openLoggedModelArtifact?.(m, a.path);
          if (!body) throw new Error(`${source.description} lists logged model artifacts but cannot read them`);
          await putStream(archivePaths.artifact(m.model_id, a.path), a.size, body);
        }
        addCounts(counts, {
          loggedModels: 1,
          loggedModelParams: m.params.length,
          loggedModelTags: m.tags.length,
          loggedModelMetrics: m.metrics.length,
          artifacts: artifacts.length,
          artifactBytes: artifacts.reduce((n, a) => n + a.size, 0),
        });
      }
    }
    const models = await source.models();
    for (const m of models)
      addCounts(counts, { models: 1, versions: m.versions.length, aliases: m.model.aliases?.length ?? 0 });
    await put(archivePaths.models, JSON.stringify(models));
    await put(
      archivePaths.manifest,
      JSON.stringify(
        {
          ...ARCHIVE_FORMAT,
          created: new Date().toISOString(),
          source: source.description,
          sourceVersion: source.version,
          counts,
        },
        null,
        2,
      ),
    );
    pack.finalize();
  } catch (e) {
    pack.destroy(e as Error);
    await done.catch(() => {});
    throw e;
  }
  await done;
  return counts;
}
