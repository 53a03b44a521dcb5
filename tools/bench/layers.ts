// Training throughput of Tensorloom layers against tfjs-layers, side by side, on the same
// backend in one run (speed lives in benchmarks, never in tests: docs/architecture.md).
//
//   npm run bench -- layers [--steps N] [--repeats R] [--backend cpu|wasm|all]
//     [--model mlp,lenet,lstm|all] [--optimizer adam|sgd] [--images N] [--stock-wasm] [--profile]
//   node --import tsx tools/bench/layers.ts --help
//
// Models (tools/bench/layers/models.ts), each built from @tensorloom/layers and from
// @tensorflow/tfjs-layers with the same architecture and parameter count (asserted):
// - `mlp`: 784-256-128-10, relu;
// - `lenet`: LeNet-5, relu: conv 6@5×5 'same' → avg pool 2 → conv 16@5×5 → avg pool 2 →
//   flatten → dense 120 → dense 84 → dense 10;
// - `lstm`: LSTM(128) over the 28 rows of an image (28 steps of 28 features) → dense 10.
//
// Both sides train on the same real MNIST batches of 64 (@tensorloom/datasets, the first
// `--images` training digits, cycled) with softmax cross-entropy from logits and their own
// instance of the same tfjs optimizer (adam 1e-3 or sgd 0.01):
// - Tensorloom: `optimizer.minimize(() => loss(labels, model.apply(x, { training: true })),
//   true, Object.values(model.trainableParameters()))`, then the loss is read back;
// - tfjs-layers: `model.compile({ optimizer, loss })` once, then `await model.trainOnBatch(x, y)`
//   (which reads the loss back too).
//
// Each side is warmed up for 2 steps, then timed over N steps per repeat, R repeats, the
// sides interleaved and the order reversed every other repeat. The table gives the median
// samples/s per wall-clock second and per second of this process's CPU time (robust to other
// work on the machine), the ratios, and the largest change of tf.memory().numTensors after
// any timed step against before it (0: flat). The default N depends on the backend and model
// (DEFAULT_STEPS) so that the whole run takes about two minutes on 2 cores; `--steps` sets it
// for all.
//
// Importing @tensorloom/backend-wasm registers its training kernels for tfjs's 'wasm'
// backend in the whole process, so on wasm tfjs-layers runs with them too: the table calls
// that "tfjs-layers (with our wasm kernels)". `--stock-wasm` adds a third side on wasm,
// tfjs-layers on tfjs-backend-wasm's own kernels (ours swapped out around its steps): the
// setting of the first tfjs-layers baselines, where LeNet cannot train (no Conv2DBackpropFilter).
// `--profile` prints, per model and backend, the slowest kernels of each side, per step over
// 3 profiled steps.
import { pathToFileURL } from 'node:url';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { tf, useBackend } from '@tensorloom/core';
import type { BackendName } from '@tensorloom/core';
import { wasmTrainingKernels } from '@tensorloom/backend-wasm';
import { mnist } from '@tensorloom/datasets';
import type { ImageSplit } from '@tensorloom/datasets';
import { MODELS, MODEL_NAMES, lossFromLogits } from './layers/models.js';
import type { ModelName } from './layers/models.js';
import { formatProfile, profileSteps } from './layers/profile.js';
import { withStockWasmKernels } from './layers/stock-wasm.js';
import * as cli from '../cli.mjs';
import type { Command } from '../cli.mjs';

type OptimizerName = 'adam' | 'sgd';

interface Options {
  steps: number | null;
  repeats: number;
  backends: BackendName[];
  models: ModelName[];
  optimizer: OptimizerName;
  images: number;
  stockWasm: boolean;
  profile: boolean;
}

const BATCH = 64;
const WARMUP = 2;
const PROFILE_STEPS = 3;

/** Timed steps per repeat when `--steps` is not given: one to two seconds per side and repeat. */
const DEFAULT_STEPS: Record<'cpu' | 'wasm', Record<ModelName, number>> = {
  cpu: { mlp: 8, lenet: 1, lstm: 2 },
  wasm: { mlp: 40, lenet: 20, lstm: 10 },
};

/** The benchmark's options, their parsers and defaults (`--help` prints them). */
export function command(): Command {
  return cli
    .command('layers', 'Training samples/s of Tensorloom layers against tfjs-layers on the same backend: MLP, LeNet-5, LSTM on MNIST.')
    .option('--backend <name>', 'cpu, wasm or all', cli.choice(['cpu', 'wasm', 'all']), 'all')
    .addOption(
      new cli.Option('--model <names>', `all or a comma-separated list of ${MODEL_NAMES.join(', ')}`).argParser(cli.list(MODEL_NAMES)).default([...MODEL_NAMES], 'all'),
    )
    .addOption(
      new cli.Option('--steps <n>', 'timed steps per repeat')
        .argParser(cli.int({ min: 1 }))
        .default(null, `per backend and model: ${Object.entries(DEFAULT_STEPS).map(([b, m]) => `${b} ${Object.entries(m).map(([k, v]) => `${k} ${v}`).join(', ')}`).join('; ')}`),
    )
    .option('--repeats <n>', 'timed repeats per side (the median is reported)', cli.int({ min: 1 }), 3)
    .option('--optimizer <name>', 'adam (1e-3) or sgd (0.01)', cli.choice(['adam', 'sgd']), 'adam')
    .option('--images <n>', 'the first N training digits, cycled', cli.int({ min: BATCH }), 320)
    .option('--stock-wasm', "also time tfjs-layers on tfjs-backend-wasm's own kernels", false)
    .option('--profile', "print each side's slowest kernels per step", false);
}

function parse(args: readonly string[]): Options {
  const o = cli.parse<Omit<Options, 'backends' | 'models'> & { backend: 'cpu' | 'wasm' | 'all'; model: ModelName[] }>(command(), args);
  return {
    steps: o.steps,
    repeats: o.repeats,
    backends: o.backend === 'all' ? ['cpu', 'wasm'] : [o.backend],
    models: o.model,
    optimizer: o.optimizer,
    images: o.images,
    stockWasm: o.stockWasm,
    profile: o.profile,
  };
}

function makeOptimizer(name: OptimizerName): tf.Optimizer {
  return name === 'adam' ? tf.train.adam(1e-3) : tf.train.sgd(0.01);
}

const SIDES = ['ours', 'theirs', 'stock'] as const;
type SideKey = (typeof SIDES)[number];

const TITLES: Record<SideKey, string> = { ours: 'Tensorloom', theirs: 'tfjs-layers', stock: 'tfjs-layers, stock wasm' };

/** One implementation of a model, ready to train. */
interface Side {
  params: number;
  /** One training step on a batch, the loss read back to JavaScript. */
  step(x: tf.Tensor, y: tf.Tensor): Promise<number>;
  /** Runs `fn` in the side's setting (the stock side swaps the wasm kernels). */
  around<T>(fn: () => Promise<T>): Promise<T>;
  dispose(): void;
}

const asIs = <T>(fn: () => Promise<T>): Promise<T> => fn();

function tensorloomSide(name: ModelName, optimizerName: OptimizerName): Side {
  const model = MODELS[name].ours();
  const optimizer = makeOptimizer(optimizerName);
  const variables = Object.values(model.trainableParameters());
  return {
    params: model.countParams().total,
    async step(x, y) {
      const cost = optimizer.minimize(() => lossFromLogits(y, model.apply(x, { training: true })), true, variables)!;
      const [loss] = await cost.data();
      cost.dispose();
      return loss!;
    },
    around: asIs,
    dispose() {
      model.dispose();
      optimizer.dispose();
    },
  };
}

function tfjsLayersSide(name: ModelName, optimizerName: OptimizerName, stock: boolean): Side {
  const model = MODELS[name].theirs();
  const optimizer = makeOptimizer(optimizerName);
  model.compile({ optimizer, loss: lossFromLogits });
  return {
    params: model.countParams(),
    async step(x, y) {
      return (await model.trainOnBatch(x, y)) as number;
    },
    around: stock ? withStockWasmKernels : asIs,
    dispose() {
      model.dispose();
      optimizer.dispose();
    },
  };
}

interface Batch {
  x: tf.Tensor;
  y: tf.Tensor;
}

/** The split as batches of `BATCH` for a model's input shape, labels one-hot. */
function makeBatches(split: ImageSplit, inputShape: readonly number[]): Batch[] {
  const batches: Batch[] = [];
  for (let start = 0; start + BATCH <= split.count; start += BATCH) {
    batches.push(
      tf.tidy(() => {
        const { xs, ys } = split.slice(start, start + BATCH).tensors();
        return { x: tf.reshape(xs, [BATCH, ...inputShape]), y: tf.oneHot(ys, 10) };
      }),
    );
  }
  return batches;
}

interface Run {
  /** Samples per wall-clock second. */
  wall: number;
  /** Samples per second of this process's CPU time (user + system). */
  cpu: number;
  /** The largest |tf.memory().numTensors after a step − before the first|. */
  drift: number;
}

/** Trains `steps` steps, cycling through the batches from `offset`. */
function run(side: Side, batches: readonly Batch[], steps: number, offset: number): Promise<Run> {
  return side.around(async () => {
    const before = tf.memory().numTensors;
    let drift = 0;
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < steps; i++) {
      const { x, y } = batches[(offset + i) % batches.length]!;
      const loss = await side.step(x, y);
      if (!Number.isFinite(loss)) throw new Error(`loss is ${loss} at step ${i}`);
      drift = Math.max(drift, Math.abs(tf.memory().numTensors - before));
    }
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu0);
    const samples = steps * BATCH;
    return { wall: samples / seconds, cpu: samples / ((used.user + used.system) / 1e6), drift };
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Row {
  model: string;
  backend: string;
  params: number;
  steps: number;
  /** Medians over the repeats (drift: the largest). */
  results: Partial<Record<SideKey, Run>>;
  /** Why a side could not train (the stock side of LeNet on wasm). */
  failed: Partial<Record<SideKey, string>>;
  /** Tensors tfjs left behind when a failing side threw (not a leak of the models). */
  abandoned: number;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/** Times one model on the current backend. Tensorloom or tfjs-layers failing fails the model. */
async function compare(name: ModelName, split: ImageSplit, steps: number, options: Options, backend: string): Promise<Row> {
  const spec = MODELS[name];
  const batches = makeBatches(split, spec.inputShape);
  const sides: Partial<Record<SideKey, Side>> = {};
  const failed: Partial<Record<SideKey, string>> = {};
  let abandoned = 0;
  try {
    sides.ours = tensorloomSide(name, options.optimizer);
    sides.theirs = tfjsLayersSide(name, options.optimizer, false);
    if (sides.ours.params !== sides.theirs.params) {
      throw new Error(`${spec.label} has ${sides.ours.params} parameters in Tensorloom but ${sides.theirs.params} in tfjs-layers`);
    }
    if (options.stockWasm && backend === 'wasm') sides.stock = tfjsLayersSide(name, options.optimizer, true);
    for (const key of SIDES) {
      const side = sides[key];
      if (side === undefined) continue;
      const before = tf.memory().numTensors;
      try {
        await run(side, batches, WARMUP, 0);
      } catch (error) {
        if (key !== 'stock') throw error;
        // tfjs-core keeps the tensors the tape saved when a gradient throws; count them apart.
        failed.stock = `${firstLine(error)} (tfjs left ${tf.memory().numTensors - before} tensors behind)`;
        abandoned = tf.memory().numTensors - before;
        side.dispose();
        delete sides.stock;
      }
    }
    const keys = SIDES.filter((k) => sides[k] !== undefined);
    const runs: Partial<Record<SideKey, Run[]>> = Object.fromEntries(keys.map((k) => [k, []]));
    for (let r = 0; r < options.repeats; r++) {
      const order = r % 2 === 0 ? keys : [...keys].reverse();
      for (const key of order) runs[key]!.push(await run(sides[key]!, batches, steps, WARMUP + r * steps));
    }
    if (options.profile) {
      const { x, y } = batches[0]!;
      for (const key of keys) {
        const side = sides[key]!;
        const profile = await side.around(() => profileSteps(async () => void (await side.step(x, y)), PROFILE_STEPS));
        console.log(formatProfile(`${spec.label} on ${backend}, ${TITLES[key]}`, profile, 12));
      }
    }
    const results: Partial<Record<SideKey, Run>> = {};
    for (const key of keys) {
      const rs = runs[key]!;
      results[key] = { wall: median(rs.map((r) => r.wall)), cpu: median(rs.map((r) => r.cpu)), drift: Math.max(...rs.map((r) => r.drift)) };
    }
    return { model: spec.label, backend, params: sides.ours.params, steps, results, failed, abandoned };
  } finally {
    for (const side of Object.values(sides)) side.dispose();
    tf.dispose(batches.flatMap((b) => [b.x, b.y]));
  }
}

function formatTable(rows: readonly Row[], repeats: number, stock: boolean): string {
  const rate = (r: Run | undefined, field: 'wall' | 'cpu'): string => (r === undefined ? '—' : r[field].toFixed(0));
  const ratio = (a: Run | undefined, b: Run | undefined, field: 'wall' | 'cpu'): string =>
    a === undefined || b === undefined ? '—' : `${(a[field] / b[field]).toFixed(2)}×`;
  const columns: [string, (r: Row) => string][] = [
    ['model', (r) => r.model],
    ['backend', (r) => (r.backend === 'wasm' ? 'wasm (tfjs-layers with our wasm kernels)' : r.backend)],
    ['params (both)', (r) => r.params.toLocaleString('en-US')],
    ['steps × repeats', (r) => `${r.steps} × ${repeats}`],
    ['Tensorloom samples/s', (r) => rate(r.results.ours, 'wall')],
    ['tfjs-layers samples/s', (r) => rate(r.results.theirs, 'wall')],
    ['Tensorloom / tfjs-layers', (r) => ratio(r.results.ours, r.results.theirs, 'wall')],
    ['per CPU s: Tensorloom', (r) => rate(r.results.ours, 'cpu')],
    ['per CPU s: tfjs-layers', (r) => rate(r.results.theirs, 'cpu')],
    ['ratio per CPU s', (r) => ratio(r.results.ours, r.results.theirs, 'cpu')],
  ];
  if (stock) {
    columns.push(
      ['tfjs-layers, stock wasm samples/s', (r) => (r.failed.stock !== undefined ? 'fails¹' : rate(r.results.stock, 'wall'))],
      ['per CPU s: stock wasm', (r) => (r.failed.stock !== undefined ? 'fails¹' : rate(r.results.stock, 'cpu'))],
    );
  }
  columns.push([
    stock ? 'tensor drift (ours, theirs, stock)' : 'tensor drift (ours, theirs)',
    (r) => (stock ? SIDES : SIDES.slice(0, 2)).map((k) => r.results[k]?.drift ?? '—').join(', '),
  ]);
  const header = columns.map(([h]) => h);
  const body = rows.map((r) => columns.map(([, cell]) => cell(r)));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const numeric = (i: number): boolean => i >= 2;
  const line = (cells: string[]): string => `| ${cells.map((c, i) => (numeric(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  const notes = rows.filter((r) => r.failed.stock !== undefined).map((r) => `¹ ${r.model}, tfjs-layers on stock wasm: ${r.failed.stock}`);
  return [line(header), rule, ...body.map(line), ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}

/** Runs the benchmark and prints one table for every model and backend. */
export async function main(args: readonly string[] = process.argv.slice(2)): Promise<void> {
  const options = parse(args);
  const { train } = await mnist.load();
  const split = train.take(options.images);
  console.log(
    `layers: training samples/s, Tensorloom vs tfjs-layers, MNIST batch ${BATCH} (${split.count} images cycled), ` +
      `${options.optimizer}, softmax cross-entropy from logits; ${WARMUP} warm-up steps, median of ${options.repeats} repeats; ` +
      `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores, node ${process.version}`,
  );
  const rows: Row[] = [];
  const failures: string[] = [];
  for (const backend of options.backends) {
    await useBackend(backend);
    if (backend === 'wasm') {
      console.log(
        `wasm: tfjs-layers runs with our wasm kernels: importing @tensorloom/backend-wasm registers ` +
          `${wasmTrainingKernels.join(', ')} for tfjs's 'wasm' backend in the whole process ` +
          `(stock tfjs-backend-wasm has no Conv2DBackpropFilter, so tfjs-layers cannot train LeNet on it${options.stockWasm ? '' : '; --stock-wasm measures it'})`,
      );
    }
    for (const name of options.models) {
      const steps = options.steps ?? DEFAULT_STEPS[backend as 'cpu' | 'wasm'][name];
      const before = tf.memory().numTensors;
      let abandoned = 0;
      try {
        const row = await compare(name, split, steps, options, backend);
        abandoned = row.abandoned;
        rows.push(row);
        for (const key of SIDES) {
          const drift = row.results[key]?.drift ?? 0;
          if (drift !== 0) failures.push(`${row.model} on ${backend}, ${TITLES[key]}: tensor count changed by up to ${drift} over the timed steps`);
        }
      } catch (error) {
        failures.push(`${MODELS[name].label} on ${backend}: ${firstLine(error)}`);
      }
      const leaked = tf.memory().numTensors - before - abandoned;
      if (leaked !== 0) failures.push(`${MODELS[name].label} on ${backend}: ${leaked} tensors left after disposing the models`);
    }
  }
  if (rows.length > 0) console.log(`\n${formatTable(rows, options.repeats, options.stockWasm)}\n`);
  // Not thrown: tfjs-backend-wasm's Emscripten module rethrows uncaught errors with its
  // whole minified source as the message.
  for (const f of failures) console.log(`FAILED ${f}`);
  if (failures.length > 0) process.exitCode = 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
