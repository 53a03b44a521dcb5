// Augmented-image throughput of a Dataset pipeline over real MNIST digits (28×28 grey),
// with and without `prefetch`.
//
//   npm run bench -- pipeline [--images N] [--backend cpu|wasm|all] [--step-ms M] [--repeats R]
//   node --import tsx tools/bench/pipeline.ts --help
//
// For each backend it times, over the first N training digits of @tensorloom/datasets' MNIST
// (batches of 64, the consumer disposing each batch):
// - `none`: no augmentation (the pipeline's own cost: tensors from the split, batching);
// - `translate`: `augment.randomTranslate({ max: 2 })` per image (the example in docs/architecture.md);
// - `chain`: rotation, zoom, translation, contrast, noise and random erasing, per image;
// - `chain/batch`: the same chain mapped over whole batches [64, 28, 28, 1] (per-image
//   parameters, fewer and larger kernel calls);
// each without prefetch and with `prefetch(2)`. With `--step-ms M` the consumer also awaits
// M ms per batch, standing in for a training step that leaves the thread free (a GPU, a
// worker): prefetch can only help when the producer gets to run during that wait.
//
// Every configuration is warmed up on 256 images, then timed R times (default 3), alternating
// without and with prefetch; the best run is reported, as images per wall-clock second and
// per second of this process's CPU time (the machine may be busy with other work; the load
// average is printed). Every run is checked for leaked tensors and for the image count.
import { pathToFileURL } from 'node:url';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { currentBackend, tf, useBackend } from '@tensorloom/core';
import type { BackendName } from '@tensorloom/core';
import '@tensorloom/backend-wasm';
import { Dataset, augment } from '@tensorloom/data';
import { mnist } from '@tensorloom/datasets';
import type { ImageSplit } from '@tensorloom/datasets';
import * as cli from '../cli.mjs';
import type { Command } from '../cli.mjs';

interface Options {
  images: number;
  backends: BackendName[];
  stepMs: number;
  repeats: number;
}

/** The benchmark's options, their parsers and defaults (`--help` prints them). */
export function command(): Command {
  return cli
    .command('pipeline', 'Augmented MNIST images per second through a Dataset pipeline, with and without prefetch(2).')
    .option('--images <n>', 'training digits per timed run', cli.int({ min: 64 }), 4096)
    .option('--backend <name>', 'cpu, wasm or all', cli.choice(['cpu', 'wasm', 'all']), 'all')
    .option('--step-ms <ms>', 'milliseconds the consumer awaits per batch (a stand-in training step)', cli.number({ min: 0 }), 0)
    .option('--repeats <n>', 'timed runs per configuration (the best is reported)', cli.int({ min: 1 }), 3);
}

function parse(args: readonly string[]): Options {
  const o = cli.parse<{ images: number; backend: 'cpu' | 'wasm' | 'all'; stepMs: number; repeats: number }>(command(), args);
  return { images: o.images, backends: o.backend === 'all' ? ['cpu', 'wasm'] : [o.backend], stepMs: o.stepMs, repeats: o.repeats };
}

const BATCH = 64;

const chain = augment.compose([
  augment.randomRotation({ degrees: 10 }),
  augment.randomZoom({ scale: 0.1 }),
  augment.randomTranslate({ max: 2 }),
  augment.randomContrast({ factor: 0.2 }),
  augment.gaussianNoise({ std: 0.02 }),
  augment.randomErasing({ p: 0.25, scale: [0.02, 0.1] }),
]);

type Example = { image: tf.Tensor3D; label: number };
type Pipeline = (source: Dataset<Example>) => Dataset<unknown>;

const pipelines: Record<string, Pipeline> = {
  none: (ds) => ds.batch(BATCH),
  translate: (ds) => ds.map(augment.randomTranslate({ max: 2 }), { seed: 1 }).batch(BATCH),
  chain: (ds) => ds.map(chain, { seed: 1 }).batch(BATCH),
  'chain/batch': (ds) => ds.batch(BATCH).map(chain, { seed: 1 }),
};

interface Timing {
  /** Images per second of wall-clock time. */
  wall: number;
  /** Images per second of this process's CPU time (user + system): robust to other load on the machine. */
  cpu: number;
}

/** Throughput over one epoch of `split`. */
async function time(split: ImageSplit, pipeline: Pipeline, prefetch: boolean, stepMs: number): Promise<Timing> {
  let ds = pipeline(Dataset.from(() => split[Symbol.iterator](), { size: split.count }));
  if (prefetch) ds = ds.prefetch(2);
  const before = tf.memory().numTensors;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let images = 0;
  await ds.forEachAsync(
    async (batch) => {
      images += (batch as { image: tf.Tensor4D }).image.shape[0] as number;
      if (stepMs > 0) await new Promise((resolve) => setTimeout(resolve, stepMs));
    },
    { disposeElements: true },
  );
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu0);
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`pipeline bench: ${leaked} tensors leaked`);
  if (images !== split.count) throw new Error(`pipeline bench: expected ${split.count} images, got ${images}`);
  return { wall: images / seconds, cpu: images / ((used.user + used.system) / 1e6) };
}

/** Best of `repeats` runs (the least disturbed by other work on the machine). */
function best(runs: readonly Timing[]): Timing {
  return { wall: Math.max(...runs.map((r) => r.wall)), cpu: Math.max(...runs.map((r) => r.cpu)) };
}

/** Runs the benchmark and prints one table per backend. */
export async function main(args: readonly string[] = process.argv.slice(2)): Promise<void> {
  const options = parse(args);
  const { train } = await mnist.load();
  const split = train.take(options.images);
  const warm = train.take(256);
  console.log(
    `pipeline: augmented MNIST 28×28 images/s, ${split.count} images, batch ${BATCH}, best of ${options.repeats}` +
      (options.stepMs > 0 ? `, consumer awaits ${options.stepMs} ms per batch` : ', consumer only disposes') +
      `; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores`,
  );
  for (const backend of options.backends) {
    try {
      await useBackend(backend);
    } catch (error) {
      console.log(`  ${backend}: skipped (${(error as Error).message.split('\n')[0]})`);
      continue;
    }
    const rows: Record<string, Record<string, number>> = {};
    for (const [name, pipeline] of Object.entries(pipelines)) {
      await time(warm, pipeline, false, 0);
      await time(warm, pipeline, true, 0);
      const plain: Timing[] = [];
      const ahead: Timing[] = [];
      for (let i = 0; i < options.repeats; i++) {
        plain.push(await time(split, pipeline, false, options.stepMs));
        ahead.push(await time(split, pipeline, true, options.stepMs));
      }
      const [p, a] = [best(plain), best(ahead)];
      rows[name] = {
        'wall, no prefetch': Math.round(p.wall),
        'wall, prefetch(2)': Math.round(a.wall),
        'per CPU s, no prefetch': Math.round(p.cpu),
        'per CPU s, prefetch(2)': Math.round(a.cpu),
      };
    }
    console.log(`\nbackend ${currentBackend()} (node ${process.version})`);
    console.table(rows);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
