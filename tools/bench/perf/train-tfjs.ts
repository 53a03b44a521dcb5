// Worker: trains one task with tfjs-layers as its users get it — @tensorflow/tfjs-core with
// its gradients, tfjs-backend-cpu or tfjs-backend-wasm, tfjs-layers — and no Tensorloom
// package, so none of our kernels. Prints its throughput (or why it cannot train).
// tfjs-core's gradients come from the bundle of tfjs's own registration code that core
// generates (tfjs-core 4.22's ESM `dist/register_all_gradients` does not load in Node: it
// imports directories); it registers tfjs's gradients and chained ops, nothing of ours.
//   node --import tsx tools/bench/perf/train-tfjs.ts --task lstm --backend wasm --warmup 2 --repeats 3 --budget-ms 3000
import * as tf from '@tensorflow/tfjs-core';
import '../../../packages/core/src/internal/tfjs-registrations.js';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { measure, report, reportError, workerArgs } from './measure.js';
import { tfjsModel } from './tfjs-tasks.js';

const SHAPES: Record<string, { batch: number; input: number[] }> = {
  mlp: { batch: 64, input: [784] },
  lenet: { batch: 64, input: [28, 28, 1] },
  lstm: { batch: 64, input: [28, 28] },
  resnet20: { batch: 64, input: [32, 32, 3] },
  transformer: { batch: 32, input: [64, 128] },
};

const args = workerArgs(process.argv.slice(2));
try {
  if (!(await tf.setBackend(args.backend as string))) throw new Error(`tf.setBackend('${args.backend}') failed`);
  await tf.ready();
  const model = tfjsModel(args.task as string);
  if (typeof model === 'string') throw new Error(model);
  const { batch, input } = SHAPES[args.task as string] as { batch: number; input: number[] };
  model.compile({ optimizer: tf.train.adam(1e-3), loss: (labels: tf.Tensor, logits: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, logits) });
  const x = tf.randomNormal([batch, ...input], 0, 1, 'float32', 1);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 2), 10);
  const step = async () => {
    const loss = (await model.trainOnBatch(x, y)) as number;
    if (!Number.isFinite(loss)) throw new Error(`loss ${loss}`);
  };
  report(await measure(step, { batch, warmup: Number(args.warmup), repeats: Number(args.repeats), budgetMs: Number(args['budget-ms']) }));
} catch (e) {
  reportError(e);
}
