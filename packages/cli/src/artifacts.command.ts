import { mkdir, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { FileInfo } from '@trove/protocol';
import type { TrackingClient } from '@trove/sdk';
import type { Command } from 'commander';
import { type ClientOptions, clientsOf, readFlags } from './client-options.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { walk } from './model-download.ts';
import { printJson, printTable } from './output.ts';

/** `RUN_ID [PATH]` or `runs:/RUN_ID/PATH` → the run and the path inside its artifacts. */
export function runTarget(run: string, path: string | undefined): { runId: string; path: string } {
  const m = /^runs:\/([^/]+)\/?(.*)$/.exec(run);
  if (!m) return { runId: run, path: (path ?? '').replace(/^\/+|\/+$/g, '') };
  if (path !== undefined) throw new CliError(`Give the path inside '${run}' or as an argument, not both.`, EXIT.USAGE);
  return { runId: m[1], path: m[2].replace(/\/+$/, '') };
}

const join2 = (a: string, b: string) => [a, b].filter((s) => s !== '').join('/');

/** Local files under `dir`, as paths relative to it with `/` separators. */
async function localFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

async function download(tracking: TrackingClient, runId: string, path: string, dest: string) {
  const listed = await tracking.listArtifacts(runId, path);
  // A file lists as nothing (or as itself); a directory as its entries.
  const isDir = listed.length > 0 && !(listed.length === 1 && listed[0].path === path && !listed[0].is_dir);
  const files: FileInfo[] = isDir
    ? await walk((d) => tracking.listArtifacts(runId, d), path)
    : [{ path, is_dir: false }];
  if (!isDir && path === '') throw new CliError(`Run ${runId} has no artifacts.`, EXIT.NOT_FOUND);
  const root = resolve(dest);
  const written = [];
  for (const f of files) {
    const rel = isDir ? f.path.slice(path ? path.length + 1 : 0) : basename(f.path);
    const local = join(root, ...rel.split('/'));
    if (!local.startsWith(root + sep))
      throw new CliError(`Refusing to write '${f.path}' outside ${root}.`, EXIT.REFUSED);
    await mkdir(dirname(local), { recursive: true });
    await tracking.downloadArtifactToFile(runId, f.path, local);
    written.push({ path: f.path, local_path: local, bytes: (await stat(local)).size });
  }
  return written;
}

/** `trove artifacts ls|get|put`: a run's artifacts through the server. */
export function registerArtifactCommands(program: Command): void {
  const artifacts = program
    .command('artifacts')
    .description("A run's artifacts: RUN is a run id (then an optional PATH) or runs:/<run_id>/<path>");

  readFlags(
    artifacts
      .command('ls')
      .description('List a directory of the artifacts')
      .argument('<run>')
      .argument('[path]')
      .option('-r, --recursive', 'every file below, not just the entries'),
  ).action(async (run: string, path: string | undefined, opts: ClientOptions & { recursive?: boolean }) => {
    const t = runTarget(run, path);
    const { tracking } = clientsOf(opts);
    await tracking.getRun(t.runId);
    const list = (d: string) => tracking.listArtifacts(t.runId, d || undefined);
    const files = opts.recursive ? await walk(list, t.path) : await list(t.path);
    if (opts.json) return printJson({ run_id: t.runId, files });
    printTable(
      ['path', 'bytes'],
      files.map((f) => [f.is_dir ? `${f.path}/` : f.path, f.is_dir ? '' : String(f.file_size ?? '')]),
    );
  });

  readFlags(
    artifacts
      .command('get')
      .description('Download a file (to DEST/<name>) or a directory (its contents into DEST)')
      .argument('<run>')
      .argument('[path]')
      .option('--dest <dir>', 'local directory', '.'),
  ).action(async (run: string, path: string | undefined, opts: ClientOptions & { dest: string }) => {
    const t = runTarget(run, path);
    const files = await download(clientsOf(opts).tracking, t.runId, t.path, opts.dest);
    if (opts.json) return printJson({ run_id: t.runId, files });
    printTable(
      ['path', 'bytes'],
      files.map((f) => [f.local_path, f.bytes]),
    );
  });

  readFlags(
    artifacts
      .command('put')
      .description('Upload a file (to DIR/<name>) or a directory (its contents into DIR)')
      .argument('<run>', 'run id, or runs:/<run_id>/<dir>')
      .argument('<local-path>')
      .argument('[dir]', 'artifact directory (default: the root)'),
  ).action(async (run: string, localPath: string, dir: string | undefined, opts: ClientOptions) => {
    const t = runTarget(run, dir);
    const { tracking } = clientsOf(opts);
    const info = await stat(localPath);
    const uploaded = [];
    if (info.isDirectory()) {
      for (const rel of await localFiles(localPath)) {
        const dest = join2(t.path, rel);
        const local = join(localPath, ...rel.split('/'));
        await tracking.logArtifact(t.runId, local, dirname(dest) === '.' ? '' : dirname(dest));
        uploaded.push({ path: dest, bytes: (await stat(local)).size });
      }
    } else {
      uploaded.push({ path: await tracking.logArtifact(t.runId, localPath, t.path), bytes: info.size });
    }
    if (opts.json) return printJson({ run_id: t.runId, files: uploaded });
    printTable(
      ['path', 'bytes'],
      uploaded.map((f) => [f.path, f.bytes]),
    );
  });
}
