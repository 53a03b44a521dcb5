// The fused attention and layer-norm kernels against the general path on 'native', from a
// tiny shape to the perf transformer task's: CPU ms per forward+backward (the fused kernels
// unregistered for the general path, registered again for the fused one), each path twice,
// alternating. Why these kernels have no small-call fallback.
//   node --import tsx tools/bench/perf/fused-attention.ts
import { FusedAttention, FusedAttentionGrad, FusedLayerNorm, FusedLayerNormGrad, rng, tf, useBackend } from '@tensorloom/core';
import { setNativeThreads } from '@tensorloom/backend-native';
import { causalMask, layerNorm, scaledDotProductAttention } from '@tensorloom/layers';

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
setFused(true);
process.exit(0);
