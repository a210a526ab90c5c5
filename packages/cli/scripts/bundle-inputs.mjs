// What the server bundle is built from, and whether a built bundle is current. Plain JS: the CLI
// entry point uses it before any TypeScript loader is set up.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = dirname(dirname(dirname(dirname(fileURLToPath(import.meta.url)))));
// Inside packages/server so that its own node_modules resolve for the bundle's external imports.
export const BUNDLE = join(REPO, 'packages/server/dist/trove.mjs');
// The commands that only talk to a server (client-main.ts), without the server's dependencies:
// a CI job runs dozens of them, and each starts in a fraction of the full bundle's time.
export const CLIENT_BUNDLE = join(REPO, 'packages/server/dist/trove-client.mjs');
export const STAMP = join(REPO, 'packages/server/dist/.bundle-stamp');
const PACKAGES = ['protocol', 'store', 'artifacts', 'server', 'sdk', 'cli'];

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => files(join(path, e.name)));
}

/** A hash over the sources and manifests of every package in the bundle. */
export function inputHash() {
  const h = createHash('sha256');
  for (const pkg of PACKAGES) {
    for (const file of [...files(join(REPO, 'packages', pkg, 'src')), join(REPO, 'packages', pkg, 'package.json')]) {
      h.update(relative(REPO, file));
      h.update('\0');
      h.update(readFileSync(file));
      h.update('\0');
    }
  }
  return h.digest('hex');
}

/** The path of the bundle (`'client'`: the client commands' one) when both were built from exactly the current sources. */
export function currentBundle(which = 'main') {
  if (!existsSync(BUNDLE) || !existsSync(CLIENT_BUNDLE) || !existsSync(STAMP)) return undefined;
  if (readFileSync(STAMP, 'utf8').trim() !== inputHash()) return undefined;
  return which === 'client' ? CLIENT_BUNDLE : BUNDLE;
}
