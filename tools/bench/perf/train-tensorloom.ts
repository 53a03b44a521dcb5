// Worker: trains one task with Tensorloom on one backend and prints its throughput.
//   node --import tsx tools/bench/perf/train-tensorloom.ts --task mlp --backend native --threads 2
//     --warmup 6 --repeats 3 --budget-ms 3000
// `--wasm-threads N` (wasm only; perf.ts never passes it) runs tfjs's threaded wasm build with
// N threads (perf/wasm-threads.ts), to measure it against the single-threaded one.
import { tf, useBackend } from '@tensorloom/core';
import type { BackendName } from '@tensorloom/core';
import { setNativeThreads } from '@tensorloom/backend-native';
import { measure, report, reportError, workerArgs } from './measure.js';
import { TASK_SHAPES, tensorloomModel, type TrainTaskName } from './tasks.js';

const args = workerArgs(process.argv.slice(2));
const task = args.task as TrainTaskName;
try {
  setNativeThreads(Number(args.threads ?? 2));
  const threads = args['wasm-threads'] === undefined ? null : await import('./wasm-threads.js');
  threads?.enableWasmThreads(Number(args['wasm-threads']));
  await useBackend(args.backend as BackendName);
  if (threads !== null && threads.wasmThreads() !== Number(args['wasm-threads'])) {
    throw new Error(`--wasm-threads: expected ${args['wasm-threads']} threads in wasm's pool, got ${threads.wasmThreads()}`);
  }
  const { batch, input } = TASK_SHAPES[task];
  const model = tensorloomModel(task);
  const x = tf.randomNormal([batch, ...input], 0, 1, 'float32', 1);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 2), 10);
  const optimizer = tf.train.adam(1e-3);
  const variables = Object.values(model.trainableParameters());
  const step = async () => {
    const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true })) as tf.Scalar, true, variables)!;
    const [loss] = await cost.data();
    cost.dispose();
    if (!Number.isFinite(loss)) throw new Error(`loss ${loss}`);
  };
  report(await measure(step, { batch, warmup: Number(args.warmup), repeats: Number(args.repeats), budgetMs: Number(args['budget-ms']) }));
} catch (e) {
  reportError(e);
}
