import { describe, expect, it } from 'vitest';
import { ConfigError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { MobileNetV2, VGG, vgg11, vgg16 } from '../index.js';
import { adamSteps, crossEntropy, trainableCount } from '../transfer/internal/testing.js';

/** Closed form of a VGG: 3×3 convs with bias (+ 2c for batch norm), then the head on the flattened map. */
function vggClosedForm(layout: readonly (number | 'M')[], size: number, inChannels: number, hidden: number, classes: number, bn = false): number {
  let n = 0;
  let c = inChannels;
  let s = size;
  for (const v of layout) {
    if (v === 'M') {
      s = Math.floor(s / 2);
      continue;
    }
    n += 9 * c * v + v + (bn ? 2 * v : 0);
    c = v;
  }
  return n + (s * s * c * hidden + hidden) + (hidden * hidden + hidden) + (hidden * classes + classes);
}

describe('VGG', () => {
  it('has the published parameter counts (shape-only) and the closed form', () => {
    expect(trainableCount(vgg16().parameterShapes([null, 224, 224, 3]))).toBe(138_357_544);
    expect(trainableCount(vgg11().parameterShapes([null, 224, 224, 3]))).toBe(132_863_336);
    const layout = [4, 'M', 8, 8, 'M'] as const;
    for (const bn of [false, true]) {
      const shapes = new VGG({ layout, batchNorm: bn, hiddenUnits: 16, classes: 3 }).parameterShapes([null, 12, 12, 2]);
      expect(trainableCount(shapes)).toBe(vggClosedForm(layout, 12, 2, 16, 3, bn));
    }
    expect(Object.keys(vgg16().parameterShapes([null, 224, 224, 3])).slice(0, 3)).toEqual(['features.0.kernel', 'features.0.bias', 'features.2.kernel']);
  });

  it('forward shapes; features; configuration errors', async () => {
    const m = new VGG({ layout: [4, 'M', 8, 'M'], batchNorm: true, hiddenUnits: 8, classes: 3 }).build([null, 9, 11, 3], rng(1));
    const x = tf.ones([1, 9, 11, 3]);
    const y = await expectNoLeaks(() => m.apply(x), 'vgg');
    expect(y.shape).toEqual([1, 3]);
    const f = m.features(x);
    expect(f.shape).toEqual([1, 2 * 2 * 8]);
    const b = new VGG({ layout: [4, 'M'], includeTop: false, pooling: 'max' }).build([null, 8, 8, 1], rng(1));
    const g = b.apply(tf.ones([2, 8, 8, 1]));
    expect(g.shape).toEqual([2, 4]);
    expect(() => new VGG({ layout: 'vgg12' as never })).toThrow(new ConfigError("VGG 'vgg12': layout expected one of 'vgg11', 'vgg13', 'vgg16', 'vgg19' or a list, got 'vgg12'"));
    expect(() => new VGG({ layout: ['M'] })).toThrow(`VGG 'vgg': layout expected a list of positive widths and 'M', got ["M"]`);
    expect(() => vgg16({ dropout: -0.1 })).toThrow(new ConfigError("VGG 'vgg16': dropout expected a number in [0, 1), got -0.1"));
    tf.dispose([x, y, f, g]);
    m.dispose();
    b.dispose();
  });

  it('overfits a tiny batch', () => {
    // 4 random 8×8 images, 4 labels, no dropout: cross-entropy from ≈ ln 4 to below 0.05 in 25 Adam steps.
    const m = new VGG({ layout: [4, 'M', 8, 'M'], hiddenUnits: 16, dropout: 0, classes: 4 }).build([null, 8, 8, 3], rng(2));
    const x = rng(3).normalTensor([4, 8, 8, 3]);
    const losses = adamSteps([m], () => crossEntropy(m.apply(x, { training: true }), [0, 1, 2, 3]), 25, 0.01);
    expect(losses[0]!).toBeGreaterThan(1);
    expect(losses.at(-1)!).toBeLessThan(0.05);
    x.dispose();
    m.dispose();
  });
});

describe('MobileNetV2', () => {
  it('has the published 3,504,872 parameters at α = 1 (shape-only) and torchvision keys', () => {
    const shapes = new MobileNetV2().parameterShapes([null, 224, 224, 3]);
    expect(trainableCount(shapes)).toBe(3_504_872);
    expect(shapes['features.0.0.kernel']!.shape).toEqual([3, 3, 3, 32]);
    expect(shapes['features.1.conv.0.0.depthwiseKernel']!.shape).toEqual([3, 3, 32, 1]);
    expect(shapes['features.2.conv.0.0.kernel']!.shape).toEqual([1, 1, 16, 96]);
    expect(shapes['features.18.0.kernel']!.shape).toEqual([1, 1, 320, 1280]);
    expect(shapes['classifier.1.kernel']!.shape).toEqual([1280, 1000]);
    // α = 0.5: channels α·c rounded to multiples of 8 (32→16, 16→8, 24→16, 32→16, 64→32, 96→48, 160→80, 320→160), last 1280.
    const half = new MobileNetV2({ widthMultiplier: 0.5 }).parameterShapes([null, 224, 224, 3]);
    expect(half['features.0.0.kernel']!.shape).toEqual([3, 3, 3, 16]);
    expect(half['features.17.conv.2.kernel']!.shape).toEqual([1, 1, 480, 160]);
    expect(half['features.18.0.kernel']!.shape).toEqual([1, 1, 160, 1280]);
  });

  it('forward shapes at batch 1 and odd size; residual blocks; errors', async () => {
    const m = new MobileNetV2({ widthMultiplier: 0.25, classes: 5 }).build([null, 33, 31, 3], rng(1));
    const x = tf.ones([1, 33, 31, 3]);
    const y = await expectNoLeaks(() => m.apply(x, { training: true }), 'mobilenet');
    expect(y.shape).toEqual([1, 5]);
    const b = new MobileNetV2({ widthMultiplier: 0.25, includeTop: false }).build([null, 33, 31, 3], rng(1));
    const f = b.apply(x);
    expect(f.shape).toEqual([1, 2, 1, 1280]);
    expect(() => new MobileNetV2({ widthMultiplier: 0 })).toThrow(new ConfigError("MobileNetV2 'mobilenet_v2': widthMultiplier expected a finite number > 0, got 0"));
    tf.dispose([x, y, f]);
    m.dispose();
    b.dispose();
  });

  it('overfits a tiny batch', () => {
    // α = 0.1 on 2×2 images: every map after the stem is 1×1, so batch norm's statistics come
    // from the batch alone; 16 images keep them steady enough (4 images at 8×8 swing so much
    // that one Adam step of 3e-4 moves the loss by 0.5; 64 images give a smooth but slow curve).
    // 16 random labels of 2 classes: cross-entropy falls below a fifth of its start in 15 Adam
    // steps (1.20 → 0.08 measured), batch norm in training mode.
    const m = new MobileNetV2({ widthMultiplier: 0.1, classes: 2, dropout: 0 }).build([null, 2, 2, 3], rng(2));
    const x = rng(3).normalTensor([16, 2, 2, 3]);
    const labels = Array.from({ length: 16 }, (_, i) => ((i * 7) >> 2) % 2);
    const losses = adamSteps([m], () => crossEntropy(m.apply(x, { training: true }), labels), 15, 0.002);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 5);
    x.dispose();
    m.dispose();
  });
});
