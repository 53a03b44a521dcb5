// The frame of every app's command line: one commander program whose errors are one line,
// whose --help shows every default, and whose usage errors exit with code 2.
import { Command, CommanderError } from 'commander';

/** Usage errors (an unknown flag, a bad value) exit with this code; 1 is left for failures. */
export const USAGE_EXIT_CODE = 2;

/** A program named `name`: its error lines start with the name, `-h, --help` prints the help. */
export function program(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .helpOption('-h, --help', 'print this help and exit')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`${name}: ${text.replace(/^error: /, '')}`) });
}

/** Runs the program on the process's arguments: exit 0 after --help, 2 after a usage error. */
export async function run(command: Command, argv: readonly string[] = process.argv): Promise<void> {
  try {
    await command.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : USAGE_EXIT_CODE);
    throw error;
  }
}
