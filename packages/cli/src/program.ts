import { Command } from 'commander';
import { EXIT_CODES_HELP, exitCodeFor } from './exit-codes.ts';

/** The `trove` program with no commands yet. */
export function newProgram(): Command {
  return (
    new Command('trove')
      .description('Trove: an MLflow-compatible model store')
      .version('0.1.0')
      // Root options only before the command: `trove deployments record --version 3` is the model version.
      .enablePositionalOptions()
      .addHelpText('after', `\n${EXIT_CODES_HELP}`)
  );
}

/** Runs the command line; a failure becomes one `trove: …` line on stderr and its exit status (exit-codes.ts). */
export async function runProgram(program: Command, argv: string[] = process.argv): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (e) {
    process.stderr.write(`trove: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = exitCodeFor(e);
  }
}
