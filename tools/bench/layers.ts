// Training throughput of Tensorloom layers against tfjs-layers, side by side, on the same
// backend in one run (DESIGN.md §7).
//
//   node --conditions=@tensorloom/source --import tsx tools/bench/layers.ts \
//     [--steps N] [--repeats R] [--backend cpu|wasm|all] [--model mlp,lenet,lstm|all]
//     [--optimizer adam|sgd] [--images N] [--profile]
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
// Each side is warmed up for 2 steps, then timed over N steps per repeat, R repeats, the two
// sides interleaved and alternating which goes first. The table gives the median samples/s
// per wall-clock second and per second of this process's CPU time (robust to other work on
// the machine), the ratio, and the largest change of tf.memory().numTensors over any timed
// step (0: flat). The default N depends on the backend and model (DEFAULT_STEPS) so that the
// whole run takes about two minutes on 2 cores; `--steps` sets it for all.
//
// Importing @tensorloom/backend-wasm registers its training kernels for tfjs's 'wasm'
// backend globally, so on wasm tfjs-layers runs with them too (stock tfjs-backend-wasm
// cannot train LeNet: it has no Conv2DBackpropFilter). `--profile` adds, per model and
// backend, the slowest kernels of one profiled step of each side.
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
import { formatProfile, profileStep } from './layers/profile.js';

type OptimizerName = 'adam' | 'sgd';

interface Options {
  steps: number | null;
  repeats: number;
  backends: BackendName[];
  models: ModelName[];
  optimizer: OptimizerName;
  images: number;
  profile: boolean;
}

const BATCH = 64;
const WARMUP = 2;

/** Timed steps per repeat when `--steps` is not given: about a second per side per repeat. */
const DEFAULT_STEPS: Record<'cpu' | 'wasm', Record<ModelName, number>> = {
  cpu: { mlp: 4, lenet: 1, lstm: 1 },
  wasm: { mlp: 20, lenet: 10, lstm: 5 },
};

function parse(args: readonly string[]): Options {
  const get = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const stepsArg = get('--steps');
  const steps = stepsArg === undefined ? null : Number(stepsArg);
  const repeats = Number(get('--repeats') ?? 3);
  const backend = get('--backend') ?? 'all';
  const modelArg = get('--model') ?? 'all';
  const optimizer = get('--optimizer') ?? 'adam';
  const images = Number(get('--images') ?? 320);
  if (steps !== null && (!Number.isInteger(steps) || steps < 1)) throw new Error(`layers bench: --steps expected an integer ≥ 1, got ${stepsArg}`);
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`layers bench: --repeats expected an integer ≥ 1, got ${get('--repeats')}`);
  if (!['cpu', 'wasm', 'all'].includes(backend)) throw new Error(`layers bench: --backend expected cpu, wasm or all, got ${backend}`);
  const models = modelArg === 'all' ? [...MODEL_NAMES] : modelArg.split(',');
  const unknown = models.filter((m) => !(MODEL_NAMES as readonly string[]).includes(m));
  if (unknown.length > 0) throw new Error(`layers bench: --model expected all or a list of ${MODEL_NAMES.join(', ')}, got ${modelArg}`);
  if (optimizer !== 'adam' && optimizer !== 'sgd') throw new Error(`layers bench: --optimizer expected adam or sgd, got ${optimizer}`);
  if (!Number.isInteger(images) || images < BATCH) throw new Error(`layers bench: --images expected an integer ≥ ${BATCH}, got ${get('--images')}`);
  return {
    steps,
    repeats,
    backends: backend === 'all' ? ['cpu', 'wasm'] : [backend as BackendName],
    models: models as ModelName[],
    optimizer,
    images,
    profile: args.includes('--profile'),
  };
}

function makeOptimizer(name: OptimizerName): tf.Optimizer {
  return name === 'adam' ? tf.train.adam(1e-3) : tf.train.sgd(0.01);
}

/** One implementation of a model, ready to train. */
interface Side {
  params: number;
  /** One training step on a batch, the loss read back to JavaScript. */
  step(x: tf.Tensor, y: tf.Tensor): Promise<number>;
  dispose(): void;
}

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
    dispose() {
      model.dispose();
      optimizer.dispose();
    },
  };
}

function tfjsLayersSide(name: ModelName, optimizerName: OptimizerName): Side {
  const model = MODELS[name].theirs();
  const optimizer = makeOptimizer(optimizerName);
  model.compile({ optimizer, loss: lossFromLogits });
  return {
    params: model.countParams(),
    async step(x, y) {
      return (await model.trainOnBatch(x, y)) as number;
    },
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
  /** The largest |change of tf.memory().numTensors| after any step, against before the run. */
  drift: number;
}

/** Trains `steps` steps, cycling through the batches from `offset`. */
async function run(side: Side, batches: readonly Batch[], steps: number, offset: number): Promise<Run> {
  const before = tf.memory().numTensors;
  let drift = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < steps; i++) {
    const { x, y } = batches[(offset + i) % batches.length]!;
    const loss = await side.step(x, y);
    if (!Number.isFinite(loss)) throw new Error(`layers bench: loss is ${loss} at step ${i}`);
    drift = Math.max(drift, Math.abs(tf.memory().numTensors - before));
  }
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu0);
  const samples = steps * BATCH;
  return { wall: samples / seconds, cpu: samples / ((used.user + used.system) / 1e6), drift };
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
  ours: Run;
  theirs: Run;
}

type Outcome = { row: Row } | { failure: string };

/** Times one model on the current backend. */
async function compare(name: ModelName, split: ImageSplit, steps: number, options: Options, backend: string): Promise<Outcome> {
  const spec = MODELS[name];
  const batches = makeBatches(split, spec.inputShape);
  let ours: Side | null = null;
  let theirs: Side | null = null;
  try {
    ours = tensorloomSide(name, options.optimizer);
    theirs = tfjsLayersSide(name, options.optimizer);
    if (ours.params !== theirs.params) {
      throw new Error(`layers bench: ${spec.label} has ${ours.params} parameters in Tensorloom but ${theirs.params} in tfjs-layers`);
    }
    const sides = { ours, theirs };
    for (const side of [ours, theirs]) await run(side, batches, WARMUP, 0);
    const runs: Record<'ours' | 'theirs', Run[]> = { ours: [], theirs: [] };
    for (let r = 0; r < options.repeats; r++) {
      const order = r % 2 === 0 ? (['ours', 'theirs'] as const) : (['theirs', 'ours'] as const);
      for (const key of order) runs[key].push(await run(sides[key], batches, steps, WARMUP + r * steps));
    }
    if (options.profile) {
      const { x, y } = batches[0]!;
      for (const [key, title] of [['ours', 'Tensorloom'], ['theirs', 'tfjs-layers']] as const) {
        const p = await profileStep(async () => {
          await sides[key].step(x, y);
        });
        console.log(formatProfile(`  ${spec.label} on ${backend}, ${title}`, p, 12));
      }
    }
    const summarise = (rs: Run[]): Run => ({
      wall: median(rs.map((r) => r.wall)),
      cpu: median(rs.map((r) => r.cpu)),
      drift: Math.max(...rs.map((r) => r.drift)),
    });
    return { row: { model: spec.label, backend, params: ours.params, steps, ours: summarise(runs.ours), theirs: summarise(runs.theirs) } };
  } catch (error) {
    return { failure: `${spec.label} on ${backend}: ${(error as Error).message.split('\n')[0]}` };
  } finally {
    ours?.dispose();
    theirs?.dispose();
    tf.dispose(batches.flatMap((b) => [b.x, b.y]));
  }
}

function formatTable(rows: readonly Row[], repeats: number): string {
  const header = [
    'model',
    'backend',
    'params (both)',
    'steps × repeats',
    'Tensorloom samples/s',
    'tfjs-layers samples/s',
    'Tensorloom / tfjs-layers',
    'per CPU s: Tensorloom',
    'per CPU s: tfjs-layers',
    'tensor drift (ours, theirs)',
  ];
  const body = rows.map((r) => [
    r.model,
    r.backend,
    r.params.toLocaleString('en-US'),
    `${r.steps} × ${repeats}`,
    r.ours.wall.toFixed(0),
    r.theirs.wall.toFixed(0),
    `${(r.ours.wall / r.theirs.wall).toFixed(2)}×`,
    r.ours.cpu.toFixed(0),
    r.theirs.cpu.toFixed(0),
    `${r.ours.drift}, ${r.theirs.drift}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const numeric = header.map((_, i) => i >= 2);
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
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
    try {
      await useBackend(backend);
    } catch (error) {
      failures.push(`${backend}: skipped (${(error as Error).message.split('\n')[0]})`);
      continue;
    }
    if (backend === 'wasm') {
      console.log(
        `wasm: tfjs-layers runs with our wasm kernels: importing @tensorloom/backend-wasm registers ${wasmTrainingKernels.join(', ')} ` +
          `for tfjs's 'wasm' backend in the whole process (stock tfjs-backend-wasm has no Conv2DBackpropFilter, so tfjs-layers LeNet cannot train on it)`,
      );
    }
    for (const name of options.models) {
      const steps = options.steps ?? DEFAULT_STEPS[backend as 'cpu' | 'wasm'][name];
      const before = tf.memory().numTensors;
      const outcome = await compare(name, split, steps, options, backend === 'wasm' ? 'wasm (tfjs-layers with our wasm kernels)' : backend);
      const leaked = tf.memory().numTensors - before;
      if ('row' in outcome) rows.push(outcome.row);
      else failures.push(outcome.failure);
      if (leaked !== 0) failures.push(`${MODELS[name].label} on ${backend}: ${leaked} tensors left after disposing both models`);
    }
  }
  if (rows.length > 0) console.log(`\n${formatTable(rows, options.repeats)}\n`);
  const drifting = rows.filter((r) => r.ours.drift !== 0 || r.theirs.drift !== 0);
  for (const r of drifting) failures.push(`${r.model} on ${r.backend}: tensor count not flat across steps (Tensorloom ${r.ours.drift}, tfjs-layers ${r.theirs.drift})`);
  if (failures.length > 0) {
    for (const f of failures) console.log(`FAILED ${f}`);
    throw new Error(`layers bench: ${failures.length} problem(s), see above`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
