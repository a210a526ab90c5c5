import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { ImportArtifact, ImportExperiment, ImportMetricPoint, ImportModel, ImportRun } from '@trove/protocol';
import tar from 'tar-stream';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_ROOT,
  type ArchivedLoggedModel,
  type ArchivedRun,
  archivePaths,
  parsePointLine,
  restoreLoggedModel,
} from './archive-format.ts';
import type { ImportSource } from './import-source.ts';

const PAGE = 10_000;

/** Unpacks (into a temporary folder, removed on close) and reads an archive written by `trove export`. */
export async function openArchiveSource(file: string): Promise<ImportSource> {
  const dir = mkdtempSync(join(tmpdir(), 'trove-archive-'));
  try {
    await unpack(file, dir);
    const manifestPath = join(dir, archivePaths.manifest);
    if (!existsSync(manifestPath)) throw new Error(`${file} is not a Trove archive (no ${archivePaths.manifest})`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      format?: string;
      version?: number;
      sourceVersion?: string;
    };
    if (manifest.format !== ARCHIVE_FORMAT.format || manifest.version !== ARCHIVE_FORMAT.version)
      throw new Error(`${file}: archive format ${manifest.format} v${manifest.version} is not one this Trove reads`);
    return directorySource(dir, file, manifest.sourceVersion ?? '');
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

async function unpack(file: string, dir: string): Promise<void> {
  const head = Buffer.alloc(2);
  const fd = openSync(file, 'r');
  readSync(fd, head, 0, 2, 0);
  closeSync(fd);
  const gz = head[0] === 0x1f && head[1] === 0x8b;
  const extract = tar.extract();
  const root = resolve(dir) + sep;
  extract.on('entry', (header, stream, next) => {
    const target = resolve(dir, header.name);
    if (!target.startsWith(root) || !header.name.startsWith(`${ARCHIVE_ROOT}/`)) {
      stream.resume();
      extract.destroy(new Error(`archive entry '${header.name}' is outside ${ARCHIVE_ROOT}/`));
      return;
    }
    if (header.type === 'directory') {
      mkdirSync(target, { recursive: true });
      stream.resume();
      stream.on('end', next);
      return;
    }
    mkdirSync(dirname(target), { recursive: true });
    pipeline(stream, createWriteStream(target)).then(() => next(), next);
  });
  const input = createReadStream(file);
  await (gz ? pipeline(input, createGunzip(), extract) : pipeline(input, extract));
}

function directorySource(dir: string, file: string, sourceVersion: string): ImportSource {
  const read = <T>(path: string): T => JSON.parse(readFileSync(join(dir, path), 'utf8')) as T;
  const runs = new Map<string, ArchivedRun>();
  const loggedModels = new Map<string, ArchivedLoggedModel>();
  const filePath = (id: string, path: string) => join(dir, archivePaths.artifact(id, path));
  const artifactPath = (run: ImportRun, path: string) => filePath(run.info.run_id, path);
  /** The listed files, each checked against the size the archive gives it. */
  function* checked(id: string, list: ImportArtifact[]): Iterable<ImportArtifact> {
    for (const a of list) {
      const size = statSync(filePath(id, a.path)).size;
      if (size !== a.size)
        throw new Error(`${file}: artifact ${id}/${a.path} holds ${size} bytes, the archive lists ${a.size}`);
      yield a;
    }
  }
  const source: ImportSource = {
    description: `Trove archive ${file}`,
    version: sourceVersion,
    experiments: async () => read<ImportExperiment[]>(archivePaths.experiments),
    async *runs(experimentId) {
      const folder = join(dir, ARCHIVE_ROOT, 'runs', experimentId);
      if (!existsSync(folder)) return;
      const list = readdirSync(folder)
        .filter((f) => f.endsWith('.json'))
        .map((f) => read<ArchivedRun>(archivePaths.run(experimentId, f.slice(0, -5))))
        .sort(
          (a, b) => Number(a.info.start_time) - Number(b.info.start_time) || a.info.run_id.localeCompare(b.info.run_id),
        );
      for (const r of list) {
        runs.set(r.info.run_id, r);
        const { artifacts: _a, ...run } = r;
        yield run;
      }
    },
    async *metrics(run) {
      const path = join(dir, archivePaths.metrics(run.info.run_id));
      if (!existsSync(path)) return;
      let page: ImportMetricPoint[] = [];
      for await (const line of createInterface({
        input: createReadStream(path),
        crlfDelay: Number.POSITIVE_INFINITY,
      })) {
        if (line === '') continue;
        page.push(parsePointLine(line));
        if (page.length === PAGE) {
          yield page;
          page = [];
        }
      }
      if (page.length > 0) yield page;
    },
    async metricCount(run) {
      let n = 0;
      for await (const page of source.metrics(run)) n += page.length;
      return n;
    },
    models: async () => read<ImportModel[]>(archivePaths.models),
    async *artifacts(run) {
      yield* checked(run.info.run_id, runs.get(run.info.run_id)?.artifacts ?? []);
    },
    openArtifact: async (run, path) => createReadStream(artifactPath(run, path)),
    async *loggedModels(experimentId) {
      const folder = join(dir, ARCHIVE_ROOT, 'logged-models', experimentId);
      if (!existsSync(folder)) return;
      const list = readdirSync(folder)
        .filter((f) => f.endsWith('.json'))
        .map((f) => read<ArchivedLoggedModel>(archivePaths.loggedModel(experimentId, f.slice(0, -5))))
        .sort((a, b) => a.creation_time - b.creation_time || a.model_id.localeCompare(b.model_id));
      for (const m of list) {
        loggedModels.set(m.model_id, m);
        yield restoreLoggedModel(m);
      }
    },
    async *loggedModelArtifacts(model) {
      yield* checked(model.model_id, loggedModels.get(model.model_id)?.artifacts ?? []);
    },
    openLoggedModelArtifact: async (model, path) => createReadStream(filePath(model.model_id, path)),
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
  return source;
}
