import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { UNet, originalUNet } from '../index.js';
import { adamSteps, trainableCount } from '../transfer/internal/testing.js';

/** Closed form: double convs down, bottleneck, up-convs (2×2 transposed or 1×1 after bilinear), double convs up, 1×1 head. */
function unetClosedForm(depth: number, base: number, inChannels: number, classes: number, up: 'transpose' | 'bilinear', bn: boolean): number {
  const dc = (i: number, f: number): number => 9 * i * f + 9 * f * f + (bn ? 4 * f : 2 * f);
  let n = 0;
  let c = inChannels;
  for (let i = 1; i <= depth; i++) {
    n += dc(c, base * 2 ** (i - 1));
    c = base * 2 ** (i - 1);
  }
  n += dc(c, base * 2 ** depth);
  for (let i = depth; i >= 1; i--) {
    const f = base * 2 ** (i - 1);
    n += (up === 'transpose' ? 4 : 1) * 2 * f * f + f + dc(2 * f, f);
  }
  return n + base * classes + classes;
}

/** Mean per-pixel softmax cross-entropy of logits [b, h, w, k] against integer labels [b·h·w]. */
function pixelCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const k = logits.shape[3]!;
    return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, k), logits.reshape([-1, k])) as tf.Scalar;
  });
}

describe('UNet', () => {
  it('parameter counts equal the closed form (default 31,030,658, shape-only)', () => {
    expect(trainableCount(new UNet().parameterShapes([null, 512, 512, 1]))).toBe(31_030_658);
    expect(trainableCount(originalUNet().parameterShapes([null, 572, 572, 1]))).toBe(31_030_658);
    expect(unetClosedForm(4, 64, 1, 2, 'transpose', false)).toBe(31_030_658);
    for (const [up, bn] of [['transpose', true], ['bilinear', false], ['bilinear', true]] as const) {
      const shapes = new UNet({ depth: 2, baseFilters: 4, classes: 3, upsampling: up, batchNorm: bn }).parameterShapes([null, 8, 8, 2]);
      expect(trainableCount(shapes)).toBe(unetClosedForm(2, 4, 2, 3, up, bn));
    }
  });

  it('shapes: same padding keeps the size; the original valid variant crops (572 → 388)', async () => {
    expect(originalUNet().outputShape([null, 572, 572, 1])).toEqual([null, 388, 388, 2]);
    const cases: [UNet, number[], number[]][] = [
      [new UNet({ depth: 2, baseFilters: 4, classes: 3 }), [1, 12, 20, 1], [1, 12, 20, 3]],
      [new UNet({ depth: 2, baseFilters: 4, upsampling: 'bilinear', batchNorm: true }), [2, 8, 8, 3], [2, 8, 8, 2]],
      [originalUNet({ depth: 2, baseFilters: 4 }), [1, 44, 44, 1], [1, 4, 4, 2]],
      [originalUNet({ depth: 1, baseFilters: 4, includeTop: false }), [1, 20, 24, 1], [1, 4, 8, 4]],
    ];
    for (const [model, input, output] of cases) {
      model.build([null, ...input.slice(1)], rng(1));
      const x = tf.ones(input);
      const y = await expectNoLeaks(() => model.apply(x, { training: true }), model.name);
      expect(y.shape).toEqual(output);
      tf.dispose([x, y]);
      model.dispose();
    }
  });

  it('checks its configuration and input sizes', () => {
    expect(() => new UNet({ upsampling: 'nearest' as never })).toThrow(new ConfigError("UNet 'unet': upsampling expected one of 'transpose', 'bilinear', got 'nearest'"));
    expect(() => new UNet({ depth: 0 })).toThrow(new ConfigError("UNet 'unet': depth expected a positive integer, got 0"));
    expect(() => new UNet({ depth: 2 }).outputShape([null, 10, 12, 1])).toThrow(ShapeError);
    // A rejected build allocates nothing, and the model builds afterwards with a good shape.
    const u = new UNet({ depth: 2, baseFilters: 2 });
    const before = tf.memory().numTensors;
    expect(() => u.build([null, 10, 12, 1])).toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
    u.build([null, 8, 8, 1]);
    expect(u.built).toBe(true);
    u.dispose();
    expect(() => new UNet({ depth: 2 }).outputShape([null, 10, 12, 1])).toThrow(/gives an odd 5×6 map before pool2\nhelp: use h and w divisible by 2\^depth = 4/);
  });

  it('overfits a tiny batch of per-pixel labels', () => {
    // 2 random 8×8 images, random per-pixel labels of 3 classes: mean per-pixel cross-entropy
    // from ≈ ln 3 ≈ 1.1 to below 0.25 in 25 Adam steps — only possible if the skip
    // connections carry the per-pixel detail the 4×4 bottleneck cannot.
    const model = new UNet({ depth: 1, baseFilters: 4, classes: 3, batchNorm: true }).build([null, 8, 8, 1], rng(2));
    const x = rng(3).normalTensor([2, 8, 8, 1]);
    const labels = tf.tensor1d(Array.from({ length: 128 }, (_, i) => (i * 7 + (i >> 3)) % 3), 'int32');
    const losses = adamSteps([model], () => pixelCrossEntropy(model.apply(x, { training: true }), labels), 25, 0.03);
    expect(losses[0]!).toBeGreaterThan(0.9);
    expect(losses.at(-1)!).toBeLessThan(0.25);
    tf.dispose([x, labels]);
    model.dispose();
  });
});
