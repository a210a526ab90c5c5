import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Builds packages/ui when its sources changed since the last build (a no-op after `npm ci`,
 * whose postinstall built it). Must run before `startServer()`: the server picks the UI or
 * its fallback page at start.
 */
export function ensureUiBuilt(): void {
  execFileSync(process.execPath, ['packages/ui/scripts/build.mjs'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CI: '1' },
  });
  if (!existsSync(`${ROOT}packages/ui/dist/index.html`))
    throw new Error('packages/ui/dist/index.html is missing after the build');
}
