// Every command we ship answers `--help` with each of its options and default, and rejects a
// bad value with one line (the option, what was expected, what came) and exit code 2, before
// it loads any data. Add a row here for each new command.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function run(script: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const runner = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const result = spawnSync(process.execPath, [...runner, script, ...args], { cwd: root, encoding: 'utf8', timeout: 50_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Case {
  script: string;
  /** Arguments before the ones under test (a benchmark's name). */
  prefix?: string[];
  /** Every option `--help` must list, with the default it must show (null: no default shown). */
  options: Record<string, string | null>;
  /** A bad invocation and the one line it must print. */
  bad: { args: string[]; line: string };
}

const commands: Case[] = [
  {
    script: 'tools/demo/xor.ts',
    options: { '--steps <n>': '500', '--backend <name>': '"auto"', '--seed <n>': '42' },
    bad: { args: ['--backend', 'gpu'], line: "xor: option '--backend <name>' argument 'gpu' is invalid. expected one of cpu, wasm or auto" },
  },
  {
    script: 'tools/bench/run.ts',
    options: {},
    bad: { args: ['pipeline', '--images', '3'], line: "pipeline: option '--images <n>' argument '3' is invalid. expected an integer ≥ 64" },
  },
  {
    script: 'tools/bench/run.ts',
    prefix: ['pipeline'],
    options: { '--images <n>': '4096', '--backend <name>': '"all"', '--step-ms <ms>': '0', '--repeats <n>': '3' },
    bad: { args: ['--step-ms', '-1'], line: "pipeline: option '--step-ms <ms>' argument '-1' is invalid. expected a number ≥ 0" },
  },
  {
    script: 'tools/bench/run.ts',
    prefix: ['layers'],
    options: {
      '--backend <name>': '"all"',
      '--model <names>': 'all',
      '--steps <n>': 'per backend and model: cpu mlp 8, lenet 1, lstm 2; wasm mlp 40, lenet 20, lstm 10',
      '--repeats <n>': '3',
      '--optimizer <name>': '"adam"',
      '--images <n>': '320',
      '--stock-wasm': 'false',
      '--profile': 'false',
    },
    bad: { args: ['--optimizer', 'lbfgs'], line: "layers: option '--optimizer <name>' argument 'lbfgs' is invalid. expected one of adam or sgd" },
  },
  {
    script: 'tools/bench/run.ts',
    prefix: ['generate'],
    options: { '--tokens <n>': '256', '--layers <n>': '4', '--d-model <n>': '128', '--batch <n>': '1', '--backend <name>': '"wasm"', '--repeats <n>': '2' },
    bad: { args: ['--tokens', '0'], line: "generate: option '--tokens <n>' argument '0' is invalid. expected an integer ≥ 1" },
  },
  {
    script: 'tools/bench/layers/wasm-slice.ts',
    options: {},
    bad: { args: ['--repeats', '3'], line: "wasm-slice: unknown option '--repeats'" },
  },
  {
    script: 'tools/new-package.mjs',
    options: { '--into <folder>': '"packages"' },
    bad: { args: ['losses'], line: "new-package: missing required argument 'description'" },
  },
  {
    script: 'tools/run-checks.mjs',
    options: { '--list': 'false', '--only <names>': 'every check' },
    bad: { args: ['--only'], line: "run-checks: option '--only <names>' argument missing" },
  },
  {
    script: 'tools/check-references.mjs',
    options: {},
    bad: { args: ['a', 'b'], line: 'check-references: too many arguments. Expected 1 argument but got 2.' },
  },
  {
    script: 'tools/check-getting-started.mjs',
    options: { '--min-accuracy <p>': '0.8', '--keep': 'false', '--no-build': null },
    bad: { args: ['--min-accuracy', '2'], line: "check-getting-started: option '--min-accuracy <p>' argument '2' is invalid. expected a number ≥ 0 and ≤ 1" },
  },
  {
    script: 'tools/check-docs.mjs',
    options: {},
    bad: { args: ['--json'], line: "check-docs: unknown option '--json'" },
  },
  {
    script: 'tools/check-packages.mjs',
    options: {},
    bad: { args: ['extra'], line: 'check-packages: too many arguments. Expected 0 arguments but got 1.' },
  },
  {
    script: 'tools/generate-tfjs-registrations.mjs',
    options: {},
    bad: { args: ['--out', 'x'], line: "generate-tfjs-registrations: unknown option '--out'" },
  },
  {
    script: 'tools/lockfile-platform-entries.mjs',
    options: {},
    bad: { args: ['--dry-run'], line: "lockfile-platform-entries: unknown option '--dry-run'" },
  },
];

/** Commander wraps long help lines; join an option's lines back into one. */
function optionEntry(help: string, flags: string): string {
  const lines = help.split('\n');
  const start = lines.findIndex((l) => l.trimStart().startsWith(flags));
  if (start < 0) return '';
  const entry = [lines[start]!];
  for (const line of lines.slice(start + 1)) {
    if (!/^ {6,}\S/.test(line) || line.trimStart().startsWith('-')) break;
    entry.push(line.trim());
  }
  return entry.join(' ').replace(/\s+/g, ' ');
}

describe.each(commands)('$script $prefix', ({ script, prefix = [], options, bad }) => {
  it('--help lists every option with its default and exits 0', () => {
    const { status, stdout, stderr } = run(script, [...prefix, '--help']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Usage: /);
    expect(stdout).toContain('-h, --help');
    for (const [flags, value] of Object.entries(options)) {
      const entry = optionEntry(stdout, flags);
      expect(entry, `${flags} in\n${stdout}`).not.toBe('');
      if (value !== null) expect(entry).toContain(`(default: ${value})`);
    }
  });

  it('rejects a bad value with one line and exit code 2', () => {
    const { status, stdout, stderr } = run(script, [...prefix, ...bad.args]);
    expect(stderr).toBe(`${bad.line}\n`);
    expect(stdout).toBe('');
    expect(status).toBe(2);
  });
});

/** The benchmarks run.ts finds (new ones are covered without a row of their own). */
const benchmarks = readdirSync(new URL('bench/', import.meta.url))
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_') && !f.startsWith('.') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -'.ts'.length))
  .sort();
const oneOf = (names: string[]): string => (names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`);

describe.each(benchmarks)('benchmark %s', (name) => {
  it('states a default for every option in --help', () => {
    const { status, stdout } = run('tools/bench/run.ts', [name, '--help']);
    expect(status).toBe(0);
    const flags = stdout
      .split('\n')
      .filter((l) => /^ {2}-/.test(l))
      .map((l) => l.trim().split(/ {2,}/)[0]!)
      .filter((f) => f !== '-h, --help');
    for (const f of flags) expect(optionEntry(stdout, f), f).toContain('(default: ');
  });
});

describe('npm run bench', () => {
  it('--help lists every benchmark with its options', () => {
    const { status, stdout } = run('tools/bench/run.ts', ['--help']);
    expect(status).toBe(0);
    for (const name of ['generate', 'layers', 'pipeline']) expect(stdout).toContain(`Usage: ${name} [options]`);
    expect(optionEntry(stdout, '--step-ms <ms>')).toContain('(default: 0)');
    expect(optionEntry(stdout, '--stock-wasm')).toContain('(default: false)');
  });

  it('names an unknown benchmark and the known ones', () => {
    const { status, stderr } = run('tools/bench/run.ts', ['nope']);
    expect(stderr).toBe(`bench: command-argument value 'nope' is invalid for argument 'benchmark'. expected one of ${oneOf(benchmarks)}\n`);
    expect(status).toBe(2);
  });

  it('passes the options after a name to that benchmark', () => {
    const { status, stderr } = run('tools/bench/run.ts', ['layers', '--model', 'cnn']);
    expect(stderr).toBe("layers: option '--model <names>' argument 'cnn' is invalid. expected all or a comma-separated list of mlp, lenet, lstm\n");
    expect(status).toBe(2);
  });

  it('takes no benchmark options without a benchmark name', () => {
    const { status, stderr } = run('tools/bench/run.ts', ['--images', '256']);
    expect(stderr).toBe("bench: unknown option '--images'\n");
    expect(status).toBe(2);
  });
});
