// `npm run bench`: runs the benchmarks in tools/bench.
//
//   npm run bench                               # all of them, one after another, with their defaults
//   npm run bench -- pipeline --images 256      # one of them, with its options
//   npm run bench -- --help                     # the benchmarks and their options
//   npm run bench -- layers --help              # one benchmark's options
//   npm run bench -- --quick                    # perf --quick: the side-by-side tables in < 10 min
//
// A benchmark is a file here that exports `command()` (its name, description and options,
// built with tools/cli.mjs), and `main(args: string[]): Promise<void>`, which parses `args`
// with that command, prints its own report, and runs when the file is executed directly.
// Files starting with `_` or `.`, tests and this file are skipped.
import { readdirSync } from 'node:fs';
import * as cli from '../cli.mjs';
import type { Command } from '../cli.mjs';

/** What run.ts needs of a benchmark file. */
interface Benchmark {
  command(): Command;
  main(args: readonly string[]): Promise<void>;
}

const here = new URL('.', import.meta.url);
const names = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_') && !f.startsWith('.') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -'.ts'.length))
  .sort();

const benchmarks = new Map<string, Benchmark>();
for (const name of names) {
  const module = (await import(new URL(`${name}.ts`, here).href)) as Partial<Benchmark>;
  if (typeof module.main !== 'function' || typeof module.command !== 'function') {
    console.error(`bench: tools/bench/${name}.ts expected to export command() and main(args), got ${Object.keys(module).join(', ') || 'no exports'}`);
    process.exit(1);
  }
  benchmarks.set(name, module as Benchmark);
}

const program = cli
  .command('bench', 'Runs one benchmark of tools/bench with its options, or all of them with their defaults.')
  .addArgument(new cli.Argument('[benchmark]', `one of ${names.join(', ')} (default: all, one after another)`).argParser(cli.choice(names)))
  .argument('[options...]', "the benchmark's options (below)")
  .option('--quick', 'without a benchmark: run only perf --quick (Tensorloom vs tfjs-layers and PyTorch, < 10 min)', false)
  .passThroughOptions()
  .addHelpText('after', () => ['', 'Benchmarks:', ...[...benchmarks.values()].map((b) => `\n${b.command().helpInformation()}`)].join('\n'));
const { quick } = cli.parse<{ quick: boolean }>(program);
const [wanted, ...rest] = program.args;

if (wanted === undefined && quick) {
  await benchmarks.get('perf')!.main(['--quick']);
} else if (wanted === undefined) {
  for (const [name, benchmark] of benchmarks) {
    console.log(`\n=== ${name} ===`);
    await benchmark.main([]);
  }
} else {
  await benchmarks.get(wanted)!.main(rest);
}
