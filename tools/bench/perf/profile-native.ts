// Where a Tensorloom training step's time goes on one backend: the slowest kernels by name
// and by input shapes (tf.profile over a few steps, after warm-up), and for 'native' the
// path each heavy-kernel signature settled on (ONNX Runtime or wasm).
//   node --import tsx tools/bench/perf/profile-native.ts --task lstm --backend native --steps 3 --top 12
import { tf, useBackend } from '@tensorloom/core';
import type { BackendName } from '@tensorloom/core';
import { setNativeThreads } from '@tensorloom/backend-native';
// Not public: the per-signature choices (tools run from the sources, one module instance).
import { tunedChoices } from '../../../packages/backend-native/src/internal/kernel.js';
import { formatProfile, profileSteps } from '../layers/profile.js';
import { workerArgs } from './measure.js';
import { TASK_SHAPES, tensorloomModel, type TrainTaskName } from './tasks.js';

const args = workerArgs(process.argv.slice(2));
const task = (args.task ?? 'lstm') as TrainTaskName;
const backend = (args.backend ?? 'native') as BackendName;
setNativeThreads(Number(args.threads ?? 2));
await useBackend(backend);
const { batch, input, label } = TASK_SHAPES[task];
const model = tensorloomModel(task);
const x = tf.randomNormal([batch, ...input], 0, 1, 'float32', 1);
const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 2), 10);
const optimizer = tf.train.adam(1e-3);
const variables = Object.values(model.trainableParameters());
const step = async () => {
  const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true })) as tf.Scalar, true, variables)!;
  await cost.data();
  cost.dispose();
};
for (let i = 0; i < 6; i++) await step();
const profile = await profileSteps(step, Number(args.steps ?? 3));
console.log(formatProfile(`${label} on ${backend}`, profile, Number(args.top ?? 12)));
if (backend === 'native') {
  const choices = [...tunedChoices()];
  const ort = choices.filter(([, c]) => c === 'ort').length;
  console.log(`heavy-kernel signatures: ${choices.length}, on ONNX Runtime ${ort}, on wasm ${choices.length - ort} (plus those under the crossover, always on wasm)`);
  for (const [key, choice] of choices) console.log(`  ${choice.padEnd(5)} ${key.slice(0, 140)}`);
}
process.exit(0);
