#!/usr/bin/env node
// Runs the bundled CLI when it was built from the current sources (`npm install` / `npm start`
// build it), else the TypeScript sources through tsx, so `npx trove` works either way.
import { currentBundle } from '../scripts/bundle-inputs.mjs';

// Commands that only talk to a server start from a bundle without the server's dependencies.
const CLIENT_COMMANDS = ['runs', 'models', 'artifacts', 'review', 'deployments', 'sync'];
const client = CLIENT_COMMANDS.includes(process.argv[2]);
const bundle = currentBundle(client ? 'client' : 'main');
if (bundle) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(client ? '../src/client-main.ts' : '../src/main.ts');
}
