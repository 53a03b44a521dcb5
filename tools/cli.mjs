// The one argument parser of every command we ship (`npm start`, the demos, each benchmark,
// each tool script): commander, with typed value parsers whose failures read the same
// everywhere. `--help` lists every option with its default; a bad value is one line on stderr,
// naming the option, what was expected and what was given, and the exit code is 2.
//
//   const program = command('mnist', 'Trains a small CNN on MNIST digits.')
//     .option('--epochs <n>', 'training epochs', int({ min: 1 }), 2);
//   const options = parse(program);     // exits 0 after --help, 2 on a bad value
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';

export { Argument, Command, Option };

/** Usage errors exit with this code (as most Unix tools do); 1 is left for failures. */
export const USAGE_EXIT_CODE = 2;

/** A command named `name` whose errors are one line and whose `--help` shows the defaults. */
export function command(name, description) {
  return new Command(name)
    .description(description)
    .helpOption('-h, --help', 'print this help and exit')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`${name}: ${text.replace(/^error: /, '')}`) });
}

/**
 * Parses `argv` (the user's arguments, without node and the script) and returns the options.
 * After `--help` the process exits 0; on an unknown option or a bad value (already printed as
 * one line by commander) it exits 2.
 */
export function parse(program, argv = process.argv.slice(2)) {
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : USAGE_EXIT_CODE);
    throw error;
  }
  return program.opts();
}

const reject = (expected) => {
  throw new InvalidArgumentError(`expected ${expected}`);
};

const bounds = (min, max) =>
  [min !== undefined ? `≥ ${min}` : null, max !== undefined ? `≤ ${max}` : null].filter(Boolean).join(' and ');

/** An integer option, optionally bounded: `int({ min: 1 })`. */
export function int({ min, max } = {}) {
  const expected = `an integer${bounds(min, max) ? ` ${bounds(min, max)}` : ''}`;
  return (text) => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isSafeInteger(value)) reject(expected);
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) reject(expected);
    return value;
  };
}

/** A finite number option, optionally bounded: `number({ min: 0 })`. */
export function number({ min, max } = {}) {
  const expected = `a number${bounds(min, max) ? ` ${bounds(min, max)}` : ''}`;
  return (text) => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) reject(expected);
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) reject(expected);
    return value;
  };
}

const oneOf = (choices) =>
  choices.length === 1 ? choices[0] : `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}`;

/** One of `choices`: `choice(['cpu', 'wasm', 'auto'])`. */
export function choice(choices) {
  return (text) => (choices.includes(text) ? text : reject(`one of ${oneOf(choices)}`));
}

/**
 * A comma-separated list of `choices`, or `all` for every one of them (returned as the full
 * list): `list(['mlp', 'lenet', 'lstm'])`.
 */
export function list(choices) {
  return (text) => {
    if (text === 'all') return [...choices];
    const items = text.split(',');
    if (items.length === 0 || items.some((item) => !choices.includes(item))) {
      reject(`all or a comma-separated list of ${choices.join(', ')}`);
    }
    return items;
  };
}
