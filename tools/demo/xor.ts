// `npm run demo:xor`: fits a 2-layer network to XOR with core's autograd on the fastest
// backend available, and prints what it learned (`npm run demo:xor -- --help` for options).
import { rng, scope, tf, useBackend } from '@tensorloom/core';
import '@tensorloom/backend-wasm';
import * as cli from '../cli.mjs';

const options = cli.parse<{ steps: number; backend: 'cpu' | 'wasm' | 'auto'; seed: number }>(
  cli
    .command('xor', "Fits a 2 → 8 → 1 network to XOR with core's autograd and Adam, and prints what it learned.")
    .option('--steps <n>', 'Adam steps (the loss is printed every 100)', cli.int({ min: 1 }), 500)
    .option('--backend <name>', 'cpu, wasm, or auto (the fastest available)', cli.choice(['cpu', 'wasm', 'auto']), 'auto')
    .option('--seed <n>', 'seed of the initial weights', cli.int({ min: 0 }), 42),
);
const backend = await useBackend(options.backend);
const r = rng(options.seed);

const xs = tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
const ys = tf.tensor2d([[0], [1], [1], [0]]);

// 2 → 8 (tanh) → 1 (sigmoid), initialised from the seeded Rng.
const w1 = tf.variable(r.fold('w1').normalTensor([2, 8], 0, 1));
const b1 = tf.variable(tf.zeros([8]));
const w2 = tf.variable(r.fold('w2').normalTensor([8, 1], 0, 1));
const b2 = tf.variable(tf.zeros([1]));

const predict = (x: tf.Tensor): tf.Tensor => tf.sigmoid(tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(x, w1), b1)), w2), b2));
const bce = (): tf.Scalar =>
  tf.neg(tf.mean(tf.add(tf.mul(ys, tf.log(tf.add(predict(xs), 1e-7))), tf.mul(tf.sub(1, ys), tf.log(tf.add(tf.sub(1, predict(xs)), 1e-7)))))) as tf.Scalar;

const optimizer = tf.train.adam(0.05);
const started = performance.now();
let loss = NaN;
for (let step = 1; step <= options.steps; step++) {
  const value = optimizer.minimize(bce, true, [w1, b1, w2, b2]) as tf.Scalar;
  if (step % 100 === 0 || step === options.steps) {
    loss = value.dataSync()[0]!;
    console.log(`step ${String(step).padStart(3)}  loss ${loss.toFixed(4)}`);
  }
  value.dispose();
}
const seconds = (performance.now() - started) / 1000;

const probabilities = scope(() => predict(xs)).dataSync();
const inputs = ['0 xor 0', '0 xor 1', '1 xor 0', '1 xor 1'];
const expected = [0, 1, 1, 0];
let correct = 0;
inputs.forEach((label, i) => {
  const p = probabilities[i]!;
  if (Math.round(p) === expected[i]) correct++;
  console.log(`${label} = ${expected[i]}  predicted ${p.toFixed(3)}`);
});
console.log(`backend ${backend}: ${correct}/4 correct, final loss ${loss.toFixed(4)}, ${options.steps} Adam steps in ${seconds.toFixed(2)} s`);
tf.dispose([xs, ys, w1, b1, w2, b2]);
optimizer.dispose();
process.exitCode = correct === 4 ? 0 : 1;
