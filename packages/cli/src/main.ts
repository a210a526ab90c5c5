import { registerClientCommands } from './client-commands.ts';
import { registerDbCommands } from './db.command.ts';
import { registerGcCommand } from './gc.command.ts';
import { newProgram, runProgram } from './program.ts';
import { registerServerCommand } from './server.command.ts';
import { registerUserCommands } from './user.command.ts';
import { registerWorkspaceCommands } from './workspace.command.ts';

const program = newProgram();
registerServerCommand(program);
registerDbCommands(program);
registerGcCommand(program);
registerWorkspaceCommands(program);
registerUserCommands(program);
registerClientCommands(program);
await runProgram(program);
