#!/usr/bin/env node
// Runs the bundled CLI when it was built from the current sources (`npm install` / `npm start`
// build it), else the TypeScript sources through tsx, so `npx trove` works either way.
import { currentBundle } from '../scripts/bundle-inputs.mjs';

const bundle = currentBundle();
if (bundle) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
