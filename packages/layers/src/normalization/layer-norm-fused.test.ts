// The fused layer norm path (one FusedLayerNorm call, one FusedLayerNormGrad call, on a
// backend that has them: 'native' in the project '@tensorloom/layers on native') against the
// general path on cpu within 1e-4 relative. Skipped where no backend has the kernels.
import { describe, expect, it } from 'vitest';
import { FusedLayerNorm, FusedLayerNormGrad, hasKernel, registeredBackends, rng, tf, useBackend } from '@tensorloom/core';
import { LayerNorm, layerNorm } from '@tensorloom/layers';

const fusedBackend = registeredBackends().includes('native') ? 'native' : null;

async function onBoth(make: () => tf.Tensor[]): Promise<{ cpu: Float32Array[]; fused: Float32Array[]; kernels: string[] }> {
  const read = (ts: tf.Tensor[]): Float32Array[] => ts.map((t) => t.dataSync() as Float32Array);
  await useBackend('cpu');
  expect(hasKernel(FusedLayerNorm)).toBe(false);
  const cpu = tf.tidy(() => read(make()));
  await useBackend(fusedBackend!);
  let fused: Float32Array[] = [];
  const profile = await tf.profile(() => {
    fused = tf.tidy(() => read(make()));
  });
  return { cpu, fused, kernels: profile.kernelNames };
}

function expectClose(actual: Float32Array[], expected: Float32Array[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((want, i) => {
    const got = actual[i]!;
    let scale = 0;
    let worst = 0;
    want.forEach((w, j) => {
      scale = Math.max(scale, Math.abs(w));
      worst = Math.max(worst, Math.abs(got[j]! - w));
    });
    expect(worst, `output ${i} max error (scale ${scale})`).toBeLessThanOrEqual(1e-4 * Math.max(scale, 1e-6));
  });
}

describe.runIf(fusedBackend !== null)('layer norm on the fused kernels', () => {
  it.each([
    { shape: [4, 16], center: true, scale: true },
    { shape: [2, 5, 24], center: true, scale: true },
    { shape: [3, 2, 2, 7], center: false, scale: true },
    { shape: [6, 9], center: true, scale: false },
  ])('LayerNorm $shape (center $center, scale $scale): output and every gradient match the general path on cpu', async ({ shape, center, scale }) => {
    const { cpu, fused, kernels } = await onBoth(() => {
      const norm = new LayerNorm({ epsilon: 1e-5, center, scale }).build([null, ...shape.slice(1)], rng(2));
      for (const p of Object.values(norm.trainableParameters())) p.assign(tf.add(p, rng(3).normalTensor(p.shape, 0, 0.3)));
      const x = tf.add(tf.mul(rng(4).normalTensor(shape), 2), 0.5);
      const dy = rng(5).normalTensor(shape);
      const params = Object.values(norm.trainableParameters());
      const f = (xi: tf.Tensor): tf.Scalar => tf.sum(tf.mul(norm.apply(xi) as tf.Tensor, dy));
      const { value, grads } = tf.variableGrads(() => f(x), params);
      const [dx] = tf.grads(f)([x]);
      const out = [norm.apply(x) as tf.Tensor, value, dx!, ...params.map((p) => grads[p.name]!)];
      norm.dispose();
      return out;
    });
    expect(kernels).toContain(FusedLayerNorm);
    expect(kernels).toContain(FusedLayerNormGrad);
    expectClose(fused, cpu);
  });

  it('keeps the general path for axes other than the last alone', async () => {
    await useBackend(fusedBackend!);
    const x = rng(1).normalTensor([2, 3, 4]);
    const profile = await tf.profile(() => tf.dispose(layerNorm(x, null, null, [1, 2], 1e-5)));
    expect(profile.kernelNames).not.toContain(FusedLayerNorm);
    x.dispose();
  });
});
