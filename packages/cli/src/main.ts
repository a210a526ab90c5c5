import { Command } from 'commander';
import { registerDbCommands } from './db.command.ts';
import { registerDeploymentCommands } from './deployments.command.ts';
import { registerGcCommand } from './gc.command.ts';
import { registerServerCommand } from './server.command.ts';
import { registerSyncCommand } from './sync.command.ts';
import { registerUserCommands } from './user.command.ts';
import { registerWorkspaceCommands } from './workspace.command.ts';

const program = new Command('trove')
  .description('Trove: an MLflow-compatible model store')
  .version('0.1.0')
  // Root options only before the command: `trove deployments record --version 3` is the model version.
  .enablePositionalOptions();
registerServerCommand(program);
registerDbCommands(program);
registerGcCommand(program);
registerWorkspaceCommands(program);
registerUserCommands(program);
registerDeploymentCommands(program);
registerSyncCommand(program);
await program.parseAsync(process.argv);
