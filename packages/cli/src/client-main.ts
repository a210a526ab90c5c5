// Entry point of the client commands alone (bin/trove.js picks it by the command's name).
import { registerClientCommands } from './client-commands.ts';
import { newProgram, runProgram } from './program.ts';

const program = newProgram();
registerClientCommands(program);
await runProgram(program);
