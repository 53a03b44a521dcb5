import { FusedLayerNorm, FusedLayerNormGrad, expectNoLeaks, rng, tf, useBackend } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { data, expectClose, runOn, tensor, wasmDataIds } from '../../test/helpers.js';

// A randomized sweep of shapes (rank 2 to 4, the normalized last axis from 3 to 160) and epsilons.
// (Not 2: there x̂ = ±1 and dx is 0 up to epsilon, so both sides are float32 noise.)
const r = rng(77);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r.uniform() * xs.length)] as T;
const cases = Array.from({ length: 10 }, () => {
  const lead = Array.from({ length: pick([1, 2, 3]) }, () => pick([1, 2, 5, 32]));
  return { shape: [...lead, pick([3, 7, 16, 128, 160])], epsilon: pick([1e-5, 1e-3]) };
});

/** The general path (layers' layerNorm) with plain ops, for the cpu reference. */
function reference(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, [x.rank - 1], true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon))), gamma), beta);
}

describe('FusedLayerNorm and FusedLayerNormGrad on native', () => {
  it.each(cases.map((c) => [`[${c.shape}] eps ${c.epsilon}`, c] as const))('match the general path on cpu within 1e-4: %s', async (_l, c) => {
    const seed = cases.indexOf(c) * 10;
    const channels = c.shape[c.shape.length - 1]!;
    // An offset and a spread per row, as residual streams have.
    const xd = data(rng(seed + 1), c.shape);
    xd.values.forEach((v, i) => (xd.values[i] = 3 * v + 0.5));
    const gd = data(rng(seed + 2), [channels]);
    const bd = data(rng(seed + 3), [channels]);
    const dyd = data(rng(seed + 4), c.shape);
    const cpu = await runOn('cpu', () => {
      const [x, gamma, beta, dy] = [xd, gd, bd, dyd].map(tensor) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const y = reference(x, gamma, beta, c.epsilon);
      const grads = tf.grads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(reference(xi, gi, bi, c.epsilon), dy)))([x, gamma, beta]);
      return [y, ...grads];
    });
    const native = await runOn('native', () => {
      const [x, gamma, beta, dy] = [xd, gd, bd, dyd].map(tensor) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const [y, mean, rstd] = tf.engine().runKernel(FusedLayerNorm, { x, gamma, beta }, { epsilon: c.epsilon }) as tf.Tensor[];
      expect(mean!.shape).toEqual([...c.shape.slice(0, -1), 1]);
      const grads = tf.engine().runKernel(FusedLayerNormGrad, { dy, x, gamma, mean: mean!, rstd: rstd! }, { epsilon: c.epsilon }) as tf.Tensor[];
      return [y!, ...grads];
    });
    expectClose(native, cpu, 1e-4, 'y, dx, dgamma, dbeta');
  });

  it('leaks neither tensors nor wasm memory', async () => {
    await useBackend('native');
    const x = tf.randomNormal([4, 6, 16]);
    const gamma = tf.ones([16]);
    const run = (): void => {
      tf.tidy(() => {
        const [y, mean, rstd] = tf.engine().runKernel(FusedLayerNorm, { x, gamma, beta: gamma }, { epsilon: 1e-5 }) as tf.Tensor[];
        return tf.engine().runKernel(FusedLayerNormGrad, { dy: y!, x, gamma, mean: mean!, rstd: rstd! }, { epsilon: 1e-5 }) as tf.Tensor[];
      }).forEach((t) => t.dispose());
    };
    run();
    const ids = wasmDataIds();
    await expectNoLeaks(run, 'FusedLayerNorm on native');
    expect(wasmDataIds()).toBe(ids);
    tf.dispose([x, gamma]);
  });
});
