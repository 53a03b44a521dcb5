import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { VisionTransformer } from '../index.js';
import { adamSteps, crossEntropy, trainableCount } from '../transfer/internal/testing.js';

/** Closed form: patch conv, class token, positions, per layer attention (4 projections) + 2 layer norms + MLP, final norm, head. */
function vitClosedForm(image: number, patch: number, channels: number, d: number, depth: number, mlp: number, classes: number): number {
  const tokens = (image / patch) ** 2 + 1;
  const layer = 4 * (d * d + d) + 4 * d + (d * mlp + mlp) + (mlp * d + d);
  return patch * patch * channels * d + d + d + tokens * d + depth * layer + 2 * d + d * classes + classes;
}

describe('VisionTransformer', () => {
  it('parameter count equals the closed form (default 208,970)', () => {
    expect(trainableCount(new VisionTransformer().parameterShapes([null, 32, 32, 3]))).toBe(vitClosedForm(32, 4, 3, 64, 6, 128, 10));
    expect(vitClosedForm(32, 4, 3, 64, 6, 128, 10)).toBe(208_970);
    const m = new VisionTransformer({ imageSize: 12, patchSize: 4, dModel: 8, depth: 2, numHeads: 2, mlpDim: 16, classes: 3 }).build([null, 12, 12, 1], rng(1));
    expect(m.countParams().trainable).toBe(vitClosedForm(12, 4, 1, 8, 2, 16, 3));
    m.dispose();
  });

  it('forward shapes with and without the head; pooling; batch 1; errors', async () => {
    const x = tf.ones([1, 12, 12, 3]);
    for (const [config, shape] of [
      [{}, [1, 10]],
      [{ includeTop: false }, [1, 8]],
      [{ includeTop: false, pooling: 'avg' as const }, [1, 8]],
      [{ includeTop: false, pooling: 'max' as const }, [1, 8]],
    ] as const) {
      const m = new VisionTransformer({ imageSize: 12, patchSize: 3, dModel: 8, depth: 1, numHeads: 2, ...config }).build([null, 12, 12, 3], rng(2));
      const y = await expectNoLeaks(() => m.apply(x, { training: true }), 'vit');
      expect(y.shape).toEqual(shape);
      y.dispose();
      m.dispose();
    }
    const m = new VisionTransformer({ imageSize: 12, patchSize: 3, dModel: 8, depth: 1, numHeads: 2 });
    expect(() => m.apply(tf.ones([1, 10, 12, 3]))).toThrow(new ShapeError("VisionTransformer 'vit': input expected [batch, 12, 12, channels], got [1, 10, 12, 3]"));
    expect(() => new VisionTransformer({ imageSize: 30, patchSize: 4 })).toThrow(new ConfigError("VisionTransformer 'vit': imageSize expected a multiple of patchSize 4, got 30"));
    expect(() => new VisionTransformer({ dModel: 10, numHeads: 4 })).toThrow(new ConfigError("VisionTransformer 'vit': numHeads expected a divisor of dModel 10, got 4"));
    x.dispose();
  });

  it('overfits a tiny batch', () => {
    // 4 random 8×8 images, 4 labels: cross-entropy from ≈ ln 4 to below 0.1 in 30 Adam steps.
    const m = new VisionTransformer({ imageSize: 8, patchSize: 4, dModel: 16, depth: 2, numHeads: 2, classes: 4 }).build([null, 8, 8, 3], rng(3));
    const x = rng(4).normalTensor([4, 8, 8, 3]);
    const losses = adamSteps([m], () => crossEntropy(m.apply(x, { training: true }), [0, 1, 2, 3]), 30, 0.01);
    expect(losses[0]!).toBeGreaterThan(1);
    expect(losses.at(-1)!).toBeLessThan(0.1);
    x.dispose();
    m.dispose();
  });
});
