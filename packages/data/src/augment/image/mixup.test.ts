import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { mixup } from './mixup.js';
import { sampleBeta } from '../internal/beta.js';
import { maxAbsDiff } from '../internal/testing.js';

describe('mixup', () => {
  // 4 images, each constant at its index (0, 1, 2, 3), with sparse labels 0, 1, 2, 0.
  const batch = () => ({
    image: tf.tile(tf.reshape(tf.range(0, 4), [4, 1, 1, 1]), [1, 2, 2, 1]) as tf.Tensor4D,
    label: tf.tensor1d([0, 1, 2, 0], 'int32'),
  });

  it('blends each example with its partner: λ·x_i + (1 − λ)·x_π(i), labels likewise (float64 reference)', () => {
    // Reference: the same draws in the same order (permutation, then one λ per example).
    const probe = rng(7);
    const perm = probe.permutation(4);
    const lambdas = Array.from({ length: 4 }, () => sampleBeta(probe, 0.4, 0.4));
    const out = mixup({ alpha: 0.4, numClasses: 3 })({ ...batch(), id: 'b1' }, rng(7));
    expect(out.id).toBe('b1');
    const ids = [0, 1, 2, 0];
    const expectedImages: number[] = [];
    const expectedLabels: number[] = [];
    for (let i = 0; i < 4; i++) {
      const l = lambdas[i] as number;
      const j = perm[i] as number;
      for (let k = 0; k < 4; k++) expectedImages.push(l * i + (1 - l) * j);
      for (let c = 0; c < 3; c++) expectedLabels.push(l * (ids[i] === c ? 1 : 0) + (1 - l) * (ids[j] === c ? 1 : 0));
    }
    expect(maxAbsDiff(out.image, expectedImages)).toBeLessThan(1e-6);
    expect(out.label.shape).toEqual([4, 3]);
    expect(out.label.dtype).toBe('float32');
    expect(maxAbsDiff(out.label, expectedLabels)).toBeLessThan(1e-6);
  });

  it('accepts one-hot labels and shares one λ with perExample: false', () => {
    const { image } = batch();
    const label = tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3);
    const out = mixup({ alpha: 1, perExample: false })({ image, label }, rng(3));
    // With images constant at their index i and one λ: pixel = λ·i + (1 − λ)·π(i) and label rows
    // sum to 1; λ is the same for all examples whose partner differs from themselves.
    const probe = rng(3);
    const perm = probe.permutation(4);
    const lam = sampleBeta(probe, 1, 1);
    const px = out.image.dataSync();
    for (let i = 0; i < 4; i++) expect(px[i * 4]).toBeCloseTo(lam * i + (1 - lam) * (perm[i] as number), 5);
    const sums = (out.label.arraySync() as number[][]).map((row) => row.reduce((a, b) => a + b, 0));
    for (const s of sums) expect(s).toBeCloseTo(1, 6);
  });

  it('is reproducible and varies with the seed', () => {
    const b = batch();
    const t = mixup({ alpha: 0.2, numClasses: 3 });
    expect(Array.from(t(b, rng(1)).image.dataSync())).toEqual(Array.from(t(b, rng(1)).image.dataSync()));
    expect(Array.from(t(b, rng(1)).image.dataSync())).not.toEqual(Array.from(t(b, rng(2)).image.dataSync()));
  });

  it('checks its configuration when made', () => {
    expect(() => mixup({ alpha: 0 })).toThrow('mixup: alpha expected a number > 0, got 0');
    expect(() => mixup({ alpha: 0.2, numClasses: 1 })).toThrow('mixup: numClasses expected an integer >= 2, got 1');
  });

  it('checks the batch when called', () => {
    const b = batch();
    expect(() => mixup({ alpha: 0.2 })(b, rng(1))).toThrow(
      'mixup: numClasses expected a class count for sparse labels [batch], got undefined',
    );
    expect(() => mixup({ alpha: 0.2, numClasses: 2 })(b, rng(1))).toThrow(
      'mixup: label expected class ids in [0, 2), got 2 at index 2',
    );
    expect(() => mixup({ alpha: 0.2, numClasses: 3 })({ image: b.image, label: tf.zeros([3]) }, rng(1))).toThrow(
      'mixup: label expected shape [4] (class ids) or [4, classes] (one-hot) to match the batch, got [3]',
    );
    expect(() =>
      mixup({ alpha: 0.2, numClasses: 3 })({ image: tf.zeros([2, 2, 1]) as unknown as tf.Tensor4D, label: b.label }, rng(1)),
    ).toThrow('mixup: image must be rank 4 [batch, h, w, c], got [2, 2, 1]');
    expect(() => mixup({ alpha: 0.2, numClasses: 3 })({ ...b, mask: tf.zeros([4, 2, 2]) }, rng(1))).toThrow(
      'mixup: mask expected none (blended class ids have no meaning), got a tensor [4, 2, 2]',
    );
  });

  it('does not leak', async () => {
    const b = batch();
    await expectNoLeaks(() => mixup({ alpha: 0.2, numClasses: 3 })(b, rng(1)), 'mixup');
  });
});
