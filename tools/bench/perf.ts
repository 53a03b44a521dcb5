// Performance against what users would pick instead: Tensorloom on every backend (cpu,
// wasm, native) beside tfjs-layers as its users get it (stock tfjs-backend-cpu and
// tfjs-backend-wasm, in its own process, none of our kernels) and PyTorch, training the
// same models; greedy GPT generation (tokens/s, with and without the key/value cache) beside
// PyTorch doing the same generation; plus kernel GFLOP/s per backend.
//
//   npm run bench -- perf                 # everything: ~25 min on 2 cores
//   npm run bench -- perf --quick         # fewer repeats and shorter timings: < 10 min
//   npm run bench -- perf --part kernels  # only the kernel table
//
// Training: each (task, implementation, backend) runs in its own process
// (perf/train-tensorloom.ts, perf/train-tfjs.ts, perf/torch_train.py) on one synthetic batch
// (random inputs and labels: the speed does not depend on the values): warm-up steps, then
// repeats of as many steps as fit in the time budget; samples per wall-clock second and per
// second of the process's CPU time (all its threads), medians over the repeats, and the
// process's peak RSS. The sides of a task run one after another in an order that alternates
// between our backends and the references, and the whole sequence runs `--rounds` times
// (reversed every other round); the medians are over every repeat of every round. Batch 64
// (the transformer block: 32), Adam 1e-3, softmax cross-entropy from logits; PyTorch and
// our native backend on 2 threads, wasm and cpu single-threaded (as they are in Node).
// PyTorch runs when `--python` (default: $TENSORLOOM_PYTHON, else python3) imports torch;
// otherwise its rows say why. cpu rows of the conv nets and the transformer are skipped
// (one step takes seconds to minutes there), and with --quick the LSTM's too.
//
// Generation (tasks gpt-cached, gpt-uncached): a 4-layer, d_model 128 `causalLM` (GPT-2's
// layout, vocabulary 512) greedily generates 120 tokens after an 8-token prompt, one row
// (perf/generate-tensorloom.ts, perf/torch_generate.py); a timed "step" is a whole
// generation (with --quick one timed repeat), the rates are tokens per second and the rows
// are in the same table, JSON (`unit: 'tokens'`) and chart. tfjs-layers has no attention layer (no row), and the
// uncached decoder on cpu is skipped: ~5 tokens per CPU s, some 4 minutes a generation.
//
// Writes tools/bench/results/latest.json ({ machine, date, commit, training, kernels }) and
// tools/bench/results/latest.svg (samples/s relative to PyTorch).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import * as cli from '../cli.mjs';
import type { Command } from '../cli.mjs';
import { RESULT_MARKER, type WorkerResult } from './perf/measure.js';
import { ratioChart, table, type TrainingRow, trainingTable } from './perf/report.js';
import { GENERATION_TASKS, GPT_SHAPE, TASK_SHAPES, TASKS, type TaskName } from './perf/tasks.js';

interface Options {
  quick: boolean;
  part: 'all' | 'kernels' | 'training';
  tasks: TaskName[];
  rounds: number;
  repeats: number;
  budgetMs: number;
  python: string;
  threads: number;
  out: string;
}

/** The benchmark's options (`--help` prints them). */
export function command(): Command {
  return cli
    .command('perf', 'Training samples/s and GPT generation tokens/s of Tensorloom (cpu, wasm, native) against stock tfjs-layers and PyTorch, and kernel GFLOP/s per backend.')
    .option('--quick', 'one round, 2 repeats of 1.5 s per side, fewer kernel shapes (< 10 min)', false)
    .option('--part <name>', 'all, kernels or training', cli.choice(['all', 'kernels', 'training']), 'all')
    .addOption(new cli.Option('--tasks <names>', `all or a comma-separated list of ${TASKS.join(', ')}`).argParser(cli.list(TASKS)).default([...TASKS], 'all'))
    .addOption(new cli.Option('--rounds <n>', 'times the whole sequence of sides runs').argParser(cli.int({ min: 1 })).default(0, '2, or 1 with --quick'))
    .addOption(new cli.Option('--repeats <n>', 'timed repeats per side and round').argParser(cli.int({ min: 1 })).default(0, '3, or 2 with --quick'))
    .addOption(new cli.Option('--budget-ms <ms>', 'time per repeat').argParser(cli.int({ min: 1 })).default(0, '3000, or 1500 with --quick'))
    .addOption(new cli.Option('--python <path>', 'the Python that runs the PyTorch side').default(process.env.TENSORLOOM_PYTHON ?? 'python3', '$TENSORLOOM_PYTHON, else python3'))
    .option('--threads <n>', 'threads of PyTorch and of the native backend', cli.int({ min: 1 }), 2)
    .addOption(new cli.Option('--out <dir>', 'where latest.json and latest.svg go').default(new URL('results/', import.meta.url).pathname, 'tools/bench/results/'));
}

function parse(args: readonly string[]): Options {
  const o = cli.parse<Options>(command(), args);
  return {
    ...o,
    rounds: o.rounds || (o.quick ? 1 : 2),
    repeats: o.repeats || (o.quick ? 2 : 3),
    budgetMs: o.budgetMs || (o.quick ? 1500 : 3000),
  };
}

interface Side {
  impl: TrainingRow['impl'];
  backend: string;
}

// The order sides run in within a task: our fastest, a reference, ours, a reference, ...
const SIDES: Side[] = [
  { impl: 'tensorloom', backend: 'native' },
  { impl: 'pytorch', backend: 'cpu' },
  { impl: 'tensorloom', backend: 'wasm' },
  { impl: 'tfjs-layers', backend: 'wasm' },
  { impl: 'tensorloom', backend: 'cpu' },
  { impl: 'tfjs-layers', backend: 'cpu' },
];
const SLOW_ON_CPU: readonly TaskName[] = ['lenet', 'transformer', 'resnet20', 'gpt-uncached'];
const isGeneration = (task: TaskName) => (GENERATION_TASKS as readonly string[]).includes(task);
// Tasks tfjs-layers cannot express: it has no multi-head attention or transformer layer.
const NO_TFJS_LAYERS: readonly TaskName[] = ['transformer', ...GENERATION_TASKS];
const here = new URL('.', import.meta.url).pathname;

function run(cmd: string, args: string[]): Promise<WorkerResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => resolve({ samplesPerSec: [], samplesPerCpuSec: [], steps: [], peakRssMb: 0, error: e.message }));
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_MARKER));
      if (line !== undefined) return resolve(JSON.parse(line.slice(RESULT_MARKER.length)) as WorkerResult);
      const last = err.trim().split('\n').filter((l) => !/^\s+at /.test(l)).slice(-1)[0] ?? '';
      resolve({ samplesPerSec: [], samplesPerCpuSec: [], steps: [], peakRssMb: 0, error: `exit ${code}: ${last}` });
    });
  });
}

function worker(side: Side, task: TaskName, o: Options, warmup: number): Promise<WorkerResult> {
  // With --quick a generation task times one repeat (at least one whole generation each).
  const repeats = o.quick && isGeneration(task) ? 1 : o.repeats;
  const timing = ['--warmup', String(warmup), '--repeats', String(repeats), '--budget-ms', String(o.budgetMs)];
  const common = ['--task', task, ...timing];
  if (side.impl === 'pytorch' && isGeneration(task)) {
    return run(o.python, [`${here}perf/torch_generate.py`, '--cache', task === 'gpt-cached' ? '1' : '0', '--tokens', String(GPT_SHAPE.tokens), ...timing, '--threads', String(o.threads)]);
  }
  if (side.impl === 'pytorch') return run(o.python, [`${here}perf/torch_train.py`, ...common, '--threads', String(o.threads)]);
  const file = isGeneration(task) ? 'generate-tensorloom.ts' : side.impl === 'tensorloom' ? 'train-tensorloom.ts' : 'train-tfjs.ts';
  return run(process.execPath, ['--import', 'tsx', `${here}perf/${file}`, ...common, '--backend', side.backend, '--threads', String(o.threads)]);
}

function torchVersion(python: string): string | Error {
  try {
    return execFileSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (e) {
    return e as Error;
  }
}

const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

async function training(o: Options, torch: string | Error): Promise<TrainingRow[]> {
  const samples = new Map<string, { wall: number[]; cpu: number[]; rss: number; steps: number[]; error?: string }>();
  for (let round = 0; round < o.rounds; round++) {
    for (const task of o.tasks) {
      const sides = round % 2 === 0 ? SIDES : [...SIDES].reverse();
      for (const side of sides) {
        if (side.impl === 'pytorch' && torch instanceof Error) continue;
        if (side.backend === 'cpu' && side.impl !== 'pytorch' && (SLOW_ON_CPU.includes(task) || (o.quick && task === 'lstm'))) continue;
        if (side.impl === 'tfjs-layers' && NO_TFJS_LAYERS.includes(task)) continue;
        // One warm-up generation passes every shape a generation meets (native picks its path
        // per shape); PyTorch's 16-token agreement check is its warm-up.
        const generationWarmup = side.impl === 'pytorch' ? 0 : 1;
        const warmup = isGeneration(task) ? generationWarmup : side.impl === 'tensorloom' && side.backend === 'native' ? 6 : side.backend === 'cpu' && side.impl !== 'pytorch' ? 1 : 2;
        const r = await worker(side, task, o, warmup);
        const key = `${task}|${side.impl}|${side.backend}`;
        const s = samples.get(key) ?? { wall: [], cpu: [], rss: 0, steps: [] };
        s.wall.push(...r.samplesPerSec);
        s.cpu.push(...r.samplesPerCpuSec);
        s.steps.push(...r.steps);
        s.rss = Math.max(s.rss, r.peakRssMb);
        if (r.error !== undefined) s.error = r.error;
        samples.set(key, s);
        const shown = median(r.samplesPerSec);
        console.log(
          `  round ${round + 1} ${task} ${side.impl} ${side.backend}: ${r.error ?? `${shown?.toFixed(0)} ${isGeneration(task) ? 'tokens' : 'samples'}/s, ${median(r.samplesPerCpuSec)?.toFixed(0)} per CPU s (steps ${r.steps.join(', ')})`}; load ${load()}`,
        );
      }
    }
  }
  const rows: TrainingRow[] = [];
  for (const task of o.tasks) {
    for (const side of [...SIDES.filter((s) => s.impl === 'tensorloom'), ...SIDES.filter((s) => s.impl !== 'tensorloom')]) {
      const s = samples.get(`${task}|${side.impl}|${side.backend}`);
      const row: TrainingRow = { task, label: TASK_SHAPES[task].label, backend: side.backend, impl: side.impl, samplesPerSec: null, samplesPerCpuSec: null, peakRssMb: null };
      if (s === undefined) {
        if (side.impl === 'pytorch') row.note = `skipped: ${o.python} cannot import torch (${(torch as Error).message.split('\n')[0]})`;
        else if (side.impl === 'tfjs-layers' && NO_TFJS_LAYERS.includes(task)) row.note = 'tfjs-layers has no multi-head attention or transformer layer';
        else if (task === 'gpt-uncached') row.note = 'skipped: ~5 tokens per CPU s on cpu, minutes a generation';
        else row.note = 'skipped: one step takes seconds to minutes on cpu';
      } else if (s.error !== undefined && s.wall.length === 0) {
        row.note = `cannot train: ${s.error}`;
        row.peakRssMb = s.rss;
      } else {
        row.samplesPerSec = median(s.wall);
        row.samplesPerCpuSec = median(s.cpu);
        row.peakRssMb = s.rss;
        row.steps = s.steps;
      }
      rows.push(row);
    }
  }
  return rows;
}

/** Runs the benchmark: prints the tables, writes the JSON and the chart. */
export async function main(args: readonly string[] = process.argv.slice(2)): Promise<void> {
  const o = parse(args);
  const torch = torchVersion(o.python);
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    node: process.version,
    torch: torch instanceof Error ? null : torch,
    loadAverageStart: loadavg(),
    loadAverageEnd: [] as number[],
  };
  console.log(
    `perf: ${o.quick ? 'quick, ' : ''}${o.rounds} round(s) × ${o.repeats} repeats of ${o.budgetMs} ms per side; commit ${commit}; ${machine.cpu}, ${machine.cores} cores, node ${process.version}, ` +
      `PyTorch ${torch instanceof Error ? `not available (${o.python})` : torch}; load average ${load()}`,
  );
  let kernels: { kernel: string; shape: string; backend: string; gflops: number; ms: number }[] = [];
  let crossover: { n: number; flops: number; wasmMs: number; ortMs: number }[] = [];
  if (o.part !== 'training') {
    const { measureKernels, measureCrossover } = await import('./perf/kernels.js');
    kernels = await measureKernels({ backends: ['cpu', 'wasm', 'native'], repeats: o.quick ? 1 : 3, budgetMs: o.quick ? 150 : 300, quick: o.quick });
    crossover = await measureCrossover(o.quick ? 60 : 150);
    const byCase = new Map<string, Map<string, number>>();
    for (const k of kernels) {
      const key = `${k.kernel}|${k.shape}`;
      byCase.set(key, (byCase.get(key) ?? new Map()).set(k.backend, k.kernel.startsWith('tiny') ? k.ms * 1000 : k.gflops));
    }
    const cell = (v: number | undefined) => (v === undefined ? 'skipped' : v.toFixed(v >= 100 ? 0 : 1));
    console.log(`\nKernel GFLOP/s (tiny op: µs per call), median of ${o.quick ? 1 : 3}; load average ${load()}\n`);
    console.log(table(['kernel', 'shape', 'cpu', 'wasm', 'native'], [...byCase].map(([key, m]) => [...key.split('|'), cell(m.get('cpu')), cell(m.get('wasm')), cell(m.get('native'))]), 2));
    console.log(`\nCrossover: an n×n×n MatMul on wasm's kernel and on ONNX Runtime (ms per call)\n`);
    console.log(table(['n', 'MFLOP', 'wasm ms', 'ONNX Runtime ms'], crossover.map((c) => [String(c.n), (c.flops / 1e6).toFixed(2), c.wasmMs.toFixed(4), c.ortMs.toFixed(4)]), 1));
  }
  let trainingRows: TrainingRow[] = [];
  if (o.part !== 'kernels') {
    console.log(`\nTraining and generation (each side in its own process):`);
    trainingRows = await training(o, torch);
    console.log(`\nTraining samples/s and generation tokens/s, medians; load average ${load()} (the figures move with it; per CPU s moves less)\n`);
    console.log(trainingTable(trainingRows));
  }
  machine.loadAverageEnd = loadavg();
  mkdirSync(o.out, { recursive: true });
  const json = {
    machine,
    date: new Date().toISOString(),
    commit,
    options: { quick: o.quick, rounds: o.rounds, repeats: o.repeats, budgetMs: o.budgetMs, threads: o.threads },
    // Generation rows count tokens where training rows count samples (`unit`).
    training: trainingRows.map(({ task, backend, impl, samplesPerSec, samplesPerCpuSec, peakRssMb, note }) => ({
      task,
      backend,
      impl,
      unit: isGeneration(task as TaskName) ? 'tokens' : 'samples',
      samplesPerSec,
      samplesPerCpuSec,
      peakRssMb,
      ...(note ? { note } : {}),
    })),
    kernels: kernels.map(({ kernel, shape, backend, gflops }) => ({ kernel, shape, backend, gflops })),
    crossover,
  };
  writeFileSync(`${o.out}latest.json`, `${JSON.stringify(json, null, 2)}\n`);
  if (trainingRows.length > 0) {
    writeFileSync(`${o.out}latest.svg`, ratioChart(trainingRows, `Training samples/s and GPT tokens/s relative to PyTorch ${machine.torch ?? ''} (${commit}, load ${machine.loadAverageEnd.map((l) => l.toFixed(1)).join(' ')})`));
  }
  console.log(`\nwrote ${o.out}latest.json${trainingRows.length > 0 ? ` and ${o.out}latest.svg` : ''}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
