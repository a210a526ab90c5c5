#!/usr/bin/env node
// Builds the UI into packages/ui/dist when its inputs changed since the last build (or with
// --force). Run by the root `postinstall` and `prestart` scripts, so `npm install && npm start`
// always serves a current UI, and by the browser tests. Plain JS: it runs before anything else
// is set up, with no TypeScript loader.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'dist');
const stampFile = join(dist, '.build-stamp');
const lockDir = join(root, '.build-lock');
// ../protocol/src: the UI bundles @trove/protocol's values (enums, search prefixes, webhook events).
const INPUTS = ['src', 'build-plugins', 'index.html', 'vite.config.ts', 'package.json', 'public', '../protocol/src'];

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => files(join(path, e.name)));
}

/** A hash over every input file's path and content: the build is stale when it differs. */
function inputHash() {
  const h = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of files(join(root, input))) {
      h.update(relative(root, file));
      h.update('\0');
      h.update(readFileSync(file));
      h.update('\0');
    }
  }
  return h.digest('hex');
}

const isFresh = (hash) => existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === hash;

/** Precompressed twins for @fastify/static's `preCompressed`: the server sends them as they are. */
function compressAssets(dir) {
  for (const file of files(dir)) {
    if (!/\.(js|css|html|svg|json)$/.test(file) || statSync(file).size < 1024) continue;
    const data = readFileSync(file);
    writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
    writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}

async function withLock(fn) {
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A build that died leaves its lock behind; one older than five minutes is stale.
      if (Date.now() - statSync(lockDir).mtimeMs > 5 * 60_000) rmSync(lockDir, { recursive: true, force: true });
      if (Date.now() - started > 10 * 60_000) throw new Error(`timed out waiting for ${lockDir}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

async function main() {
  // Callers such as test runners set NODE_ENV=test, which would give a development build of React.
  process.env.NODE_ENV = 'production';
  const force = process.argv.includes('--force');
  const hash = inputHash();
  if (!force && isFresh(hash)) return;
  let vite;
  try {
    vite = await import('vite');
  } catch {
    console.warn('[trove ui] vite is not installed; the server will show its fallback page instead of the UI.');
    return;
  }
  await withLock(async () => {
    if (!force && isFresh(hash)) return; // another process built it while we waited
    const outDir = join(root, `dist.tmp-${process.pid}`);
    rmSync(outDir, { recursive: true, force: true });
    await vite.build({ root, configFile: join(root, 'vite.config.ts'), build: { outDir, emptyOutDir: true }, logLevel: process.env.CI ? 'warn' : 'info' });
    compressAssets(outDir);
    writeFileSync(join(outDir, '.build-stamp'), `${hash}\n`);
    rmSync(dist, { recursive: true, force: true });
    renameSync(outDir, dist);
  });
}

await main();
