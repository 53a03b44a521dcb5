// The fused attention and layer-norm kernels against the general path on 'native', from a
// tiny shape to the perf transformer task's: CPU ms per forward+backward (the fused kernels
// unregistered for the general path, registered again for the fused one), each path twice,
// alternating (why these kernels have no small-call fallback); then the perf transformer
// task (tasks.ts: encoder block B32 T64 d128 h4 ff512, Adam) trained on each path in
// interleaved rounds, samples/s and samples per CPU second.
//   node --import tsx tools/bench/perf/fused-attention.ts
import { FusedAttention, FusedAttentionGrad, FusedLayerNorm, FusedLayerNormGrad, rng, tf, useBackend } from '@tensorloom/core';
import { setNativeThreads } from '@tensorloom/backend-native';
import { causalMask, layerNorm, scaledDotProductAttention } from '@tensorloom/layers';
import { TASK_SHAPES, tensorloomModel } from './tasks.js';
import * as cli from '../../cli.mjs';

// No options: --help says what it measures; anything else is one line and exit code 2.
cli.parse(cli.command('fused-attention', 'Times the fused attention and layer-norm kernels against the general path on native (CPU ms per forward+backward, tiny to the perf transformer shape), then trains the perf transformer task on each path in interleaved rounds.'));

setNativeThreads(2);
await useBackend('native');
const kernels = [FusedAttention, FusedAttentionGrad, FusedLayerNorm, FusedLayerNormGrad].map((name) => tf.getKernel(name, 'native')!);
function setFused(on: boolean): void {
  for (const k of kernels) {
    const registered = tf.getKernel(k.kernelName, 'native') !== undefined;
    if (on && !registered) tf.registerKernel(k);
    if (!on && registered) tf.unregisterKernel(k.kernelName, 'native');
  }
}

/** CPU ms per call of `step` on each path, twice each, alternating: `general, fused, general, fused`. */
function compare(step: () => void, n: number): string[] {
  return [false, true, false, true].map((fused) => {
    setFused(fused);
    for (let i = 0; i < 3; i++) step();
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) step();
    const c = process.cpuUsage(c0);
    return ((c.user + c.system) / 1000 / n).toFixed(2);
  });
}

console.log('scaledDotProductAttention, causal, forward+backward: CPU ms per call (general, fused, general, fused)');
for (const [b, h, t, d] of [[1, 1, 4, 4], [2, 2, 16, 16], [4, 4, 32, 32], [8, 4, 64, 32], [32, 4, 64, 32]] as const) {
  const q = rng(1).normalTensor([b, h, t, d]);
  const mask = tf.reshape(causalMask(t, t), [1, 1, t, t]);
  const step = (): void => tf.dispose(tf.tidy(() => tf.grads((a: tf.Tensor) => tf.sum(scaledDotProductAttention(a, a, a, { mask }).output))([q])));
  console.log(`  [${b}, ${h}, ${t}, ${d}]: ${compare(step, b * t >= 512 ? 10 : 40).join(', ')}`);
  tf.dispose([q, mask]);
}
console.log('layerNorm over the last axis, forward+backward: CPU ms per call (general, fused, general, fused)');
for (const shape of [[2, 8], [64, 64], [256, 128], [2048, 128]]) {
  const c = shape[1]!;
  const [x, gamma, beta] = [rng(2).normalTensor(shape), tf.ones([c]), tf.zeros([c])];
  const step = (): void =>
    tf.dispose(tf.tidy(() => tf.grads((a: tf.Tensor, g: tf.Tensor, o: tf.Tensor) => tf.sum(tf.mul(layerNorm(a, g, o, [1], 1e-5), a)))([x, gamma, beta])));
  console.log(`  [${shape}]: ${compare(step, shape[0]! >= 256 ? 10 : 40).join(', ')}`);
  tf.dispose([x, gamma, beta]);
}

console.log('transformer task, 20 steps per round: samples/s and samples per CPU second, rounds in order');
const { batch, input } = TASK_SHAPES.transformer;
const model = tensorloomModel('transformer');
const x = tf.randomNormal([batch, ...input], 0, 1, 'float32', 1);
const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 2), 10);
const optimizer = tf.train.adam(1e-3);
const variables = Object.values(model.trainableParameters());
const train = (): void => {
  const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true })) as tf.Scalar, true, variables)!;
  cost.dataSync();
  cost.dispose();
};
const rates: Record<string, string[]> = { general: [], fused: [] };
for (const fused of [false, true]) {
  setFused(fused);
  for (let i = 0; i < 6; i++) train();
}
for (let round = 0; round < 3; round++) {
  for (const fused of [false, true]) {
    setFused(fused);
    train();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) train();
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    rates[fused ? 'fused' : 'general']!.push(`${((20 * batch) / wall).toFixed(0)} (${((20 * batch * 1e6) / (c.user + c.system)).toFixed(0)})`);
  }
}
for (const [path, r] of Object.entries(rates)) console.log(`  ${path}: ${r.join(', ')}`);
setFused(true);
process.exit(0);
