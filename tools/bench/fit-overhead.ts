// What `fit` adds to the bare `trainStep` loop, on LeNet-5 (batch 64, 28×28×1, 10 classes).
//
//   npm run bench -- fit-overhead [--backend cpu|wasm] [--steps N] [--repeats R]
//   node --import tsx tools/bench/fit-overhead.ts --help
//
// Both sides train the same model on the same caller-owned batches (synthetic digits: the
// data's cost is not what is measured) with AdamW:
// - `bare`: `const step = trainStep(...)`, then per batch `step(batch)`, read the loss back,
//   dispose it — the loop a user would write by hand;
// - `fit`: `fit(model, batches, { loss, optimizer, epochs: 1 })` with its defaults (verbose 0,
//   terminateOnNaN on: one read of the loss per step, the per-gradient finiteness sums, the
//   first-batch checks, History).
// And the same pair without any read per step (`bare/no-read` vs `fit` with
// `terminateOnNaN: false`, which reads once per epoch). Each configuration is warmed up, then
// timed R times alternately; the best run's milliseconds per step are reported, by wall clock
// and by this process's CPU time (robust to other load on the machine), with the overhead of
// fit over bare.
import { pathToFileURL } from 'node:url';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { rng, tf, useBackend } from '@tensorloom/core';
import '@tensorloom/backend-wasm';
import { Conv2D, Dense, Flatten, MaxPool2D, Sequential } from '@tensorloom/layers';
import { fit, losses, optimizers, trainStep } from '@tensorloom/train';
import type { Batch } from '@tensorloom/train';
import * as cli from '../cli.mjs';
import type { Command } from '../cli.mjs';

/** The benchmark's options, their parsers and defaults (`--help` prints them). */
export function command(): Command {
  return cli
    .command('fit-overhead', 'Milliseconds per step of fit vs the bare trainStep loop on LeNet-5 (batch 64).')
    .option('--backend <name>', 'cpu or wasm', cli.choice(['cpu', 'wasm']), 'wasm')
    .option('--steps <n>', 'steps per timed run', cli.int({ min: 2 }), 30)
    .option('--repeats <n>', 'timed runs per configuration (the best is reported)', cli.int({ min: 1 }), 3);
}

const BATCH = 64;

function lenet5(): Sequential {
  return new Sequential([
    new Conv2D({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }),
    new MaxPool2D({ poolSize: 2 }),
    new Conv2D({ filters: 16, kernelSize: 5, activation: 'relu' }),
    new MaxPool2D({ poolSize: 2 }),
    new Flatten(),
    new Dense({ units: 120, activation: 'relu' }),
    new Dense({ units: 84, activation: 'relu' }),
    new Dense({ units: 10 }),
  ], { name: 'lenet5' }).build([null, 28, 28, 1], rng(1));
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

async function timed(run: () => Promise<void>, steps: number): Promise<Timing> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await run();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs: wall / steps, cpuMs: (cpu.user + cpu.system) / 1000 / steps };
}

export async function main(args: readonly string[]): Promise<void> {
  const o = cli.parse<{ backend: 'cpu' | 'wasm'; steps: number; repeats: number }>(command(), args);
  console.log(`backend ${await useBackend(o.backend)}; ${o.steps} steps per run, best of ${o.repeats}; load average ${loadavg()[0]!.toFixed(2)}`);
  const r = rng(7);
  const batches = Array.from({ length: o.steps }, () => ({
    x: r.uniformTensor([BATCH, 28, 28, 1]),
    y: tf.tensor1d(Array.from({ length: BATCH }, () => r.int(10)), 'int32'),
  }));
  // The loss's per-call label check reads one number back; both sides leave it off so the
  // comparison is of the loops alone (fit checks the first batch itself).
  const loss = losses.sparseCategoricalCrossentropy({ fromLogits: true, checkLabels: false });

  const configs: Record<string, () => Promise<void>> = {
    bare: async () => {
      const model = lenet5();
      const optimizer = optimizers.adamW({ learningRate: 1e-3 });
      const step = trainStep<Batch>({ model, optimizer, loss: (b) => loss(b.y as tf.Tensor, model.apply(b.x as tf.Tensor, { training: true })) as tf.Scalar });
      for (const b of batches) {
        const out = step({ x: b.x, y: b.y, sampleWeight: null, size: BATCH });
        out.loss.dataSync();
        out.loss.dispose();
      }
      optimizer.dispose();
      model.dispose();
    },
    fit: async () => {
      const model = lenet5();
      const optimizer = optimizers.adamW({ learningRate: 1e-3 });
      await fit(model, batches, { loss, optimizer, epochs: 1 });
      optimizer.dispose();
      model.dispose();
    },
    'bare/no-read': async () => {
      const model = lenet5();
      const optimizer = optimizers.adamW({ learningRate: 1e-3 });
      const step = trainStep<Batch>({ model, optimizer, loss: (b) => loss(b.y as tf.Tensor, model.apply(b.x as tf.Tensor, { training: true })) as tf.Scalar });
      let last: tf.Scalar | null = null;
      for (const b of batches) {
        last?.dispose();
        last = step({ x: b.x, y: b.y, sampleWeight: null, size: BATCH }).loss;
      }
      last?.dataSync();
      last?.dispose();
      optimizer.dispose();
      model.dispose();
    },
    'fit/no-read': async () => {
      const model = lenet5();
      const optimizer = optimizers.adamW({ learningRate: 1e-3 });
      await fit(model, batches, { loss, optimizer, epochs: 1, terminateOnNaN: false });
      optimizer.dispose();
      model.dispose();
    },
  };

  for (const run of Object.values(configs)) await run(); // warm-up: kernels, wasm code paths
  const best: Record<string, Timing> = {};
  for (let i = 0; i < o.repeats; i++) {
    for (const [name, run] of Object.entries(configs)) {
      const before = tf.memory().numTensors;
      const t = await timed(run, o.steps);
      if (tf.memory().numTensors !== before) throw new Error(`fit-overhead: ${name} leaked ${tf.memory().numTensors - before} tensors`);
      const b = best[name];
      best[name] = b === undefined ? t : { wallMs: Math.min(b.wallMs, t.wallMs), cpuMs: Math.min(b.cpuMs, t.cpuMs) };
    }
  }
  const pct = (a: number, b: number): string => `${(((a - b) / b) * 100).toFixed(1)} %`;
  console.log('config         ms/step (wall)  ms/step (CPU)');
  for (const [name, t] of Object.entries(best)) console.log(`${name.padEnd(14)} ${t.wallMs.toFixed(1).padStart(14)} ${t.cpuMs.toFixed(1).padStart(14)}`);
  console.log(`fit over bare:              ${pct(best['fit']!.wallMs, best['bare']!.wallMs)} wall, ${pct(best['fit']!.cpuMs, best['bare']!.cpuMs)} CPU`);
  console.log(`fit/no-read over bare/no-read: ${pct(best['fit/no-read']!.wallMs, best['bare/no-read']!.wallMs)} wall, ${pct(best['fit/no-read']!.cpuMs, best['bare/no-read']!.cpuMs)} CPU`);
  tf.dispose(batches.flatMap((b) => [b.x, b.y]));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
