import { Command } from 'commander';
import { registerArtifactCommands } from './artifacts.command.ts';
import { registerDbCommands } from './db.command.ts';
import { registerDeploymentCommands } from './deployments.command.ts';
import { EXIT_CODES_HELP, exitCodeFor } from './exit-codes.ts';
import { registerGcCommand } from './gc.command.ts';
import { registerModelCommands } from './models.command.ts';
import { registerReviewCommands } from './review.command.ts';
import { registerRunCommands } from './runs.command.ts';
import { registerServerCommand } from './server.command.ts';
import { registerSyncCommand } from './sync.command.ts';
import { registerUserCommands } from './user.command.ts';
import { registerWorkspaceCommands } from './workspace.command.ts';

const program = new Command('trove')
  .description('Trove: an MLflow-compatible model store')
  .version('0.1.0')
  // Root options only before the command: `trove deployments record --version 3` is the model version.
  .enablePositionalOptions()
  .addHelpText('after', `\n${EXIT_CODES_HELP}`);
registerServerCommand(program);
registerDbCommands(program);
registerGcCommand(program);
registerWorkspaceCommands(program);
registerUserCommands(program);
registerDeploymentCommands(program);
registerSyncCommand(program);
registerRunCommands(program);
registerModelCommands(program);
registerArtifactCommands(program);
registerReviewCommands(program);
try {
  await program.parseAsync(process.argv);
} catch (e) {
  // One place turns failures into a message and an exit status (exit-codes.ts); no stack traces for server answers.
  process.stderr.write(`trove: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = exitCodeFor(e);
}
