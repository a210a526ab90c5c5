import type { Command } from 'commander';
import { registerArtifactCommands } from './artifacts.command.ts';
import { registerDeploymentCommands } from './deployments.command.ts';
import { registerModelCommands } from './models.command.ts';
import { registerReviewCommands } from './review.command.ts';
import { registerRunCommands } from './runs.command.ts';
import { registerSyncCommand } from './sync.command.ts';

/**
 * The commands that only talk to a running server over HTTP (`@trove/sdk`). They must not import
 * the server, store or artifact packages: client-main.ts bundles them alone to start fast.
 */
export function registerClientCommands(program: Command): void {
  registerDeploymentCommands(program);
  registerRunCommands(program);
  registerModelCommands(program);
  registerArtifactCommands(program);
  registerReviewCommands(program);
  registerSyncCommand(program);
}
