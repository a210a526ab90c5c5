#!/usr/bin/env node
// Builds the publishable @trove/sdk into packages/sdk/dist: one ESM file (the SDK with
// @trove/protocol inlined, so it has no dependencies and runs on plain Node ≥ 20.10), its type
// declarations, and a package.json pointing at them. `npm install <repo>/packages/sdk/dist` or
// `npm pack packages/sdk/dist` then works outside the workspace. Inside the workspace
// `@trove/sdk` stays the TypeScript sources.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const SDK = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(SDK, 'dist');
const pkg = JSON.parse(readFileSync(join(SDK, 'package.json'), 'utf8'));

rmSync(DIST, { recursive: true, force: true });
await esbuild.build({
  entryPoints: [join(SDK, 'src/index.ts')],
  outfile: join(DIST, 'index.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
execFileSync(process.execPath, [join(SDK, '../../node_modules/typescript/bin/tsc'), '-p', join(SDK, 'tsconfig.build.json')], {
  stdio: 'inherit',
});

// Declarations keep the sources' specifiers: point `.ts` at `.js` and @trove/protocol at its emitted copy.
const types = join(DIST, 'types');
const protocolIndex = join(types, 'protocol/src/index.js');
for (const file of walk(types)) {
  if (!file.endsWith('.d.ts')) continue;
  let rel = relative(dirname(file), protocolIndex);
  if (!rel.startsWith('.')) rel = `./${rel}`;
  const text = readFileSync(file, 'utf8')
    .replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]+)\.ts\2/g, '$1$2$3.js$2')
    .replace(/(from\s+|import\()(['"])@trove\/protocol\2/g, `$1$2${rel}$2`);
  writeFileSync(file, text);
}

writeFileSync(
  join(DIST, 'package.json'),
  `${JSON.stringify(
    {
      name: pkg.name,
      version: pkg.version,
      description: 'TypeScript client of a Trove (MLflow-compatible) tracking server',
      type: 'module',
      engines: { node: '>=20.10' },
      exports: { '.': { types: './types/sdk/src/index.d.ts', default: './index.js' } },
      types: './types/sdk/src/index.d.ts',
      files: ['index.js', 'index.js.map', 'types', 'README.md'],
    },
    null,
    2,
  )}\n`,
);
cpSync(join(SDK, '../../docs/sdk.md'), join(DIST, 'README.md'));

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}
