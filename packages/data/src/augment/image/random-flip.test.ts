import { describe, expect, it } from 'vitest';
import type { Rng } from '@tensorloom/core';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { randomFlip } from './random-flip.js';
import { alignment, coordinateBatch, values } from '../internal/testing.js';

// The 2×3 image [[1, 2, 3], [4, 5, 6]] and its mirror images, by hand.
const image = (): tf.Tensor3D => tf.tensor3d([1, 2, 3, 4, 5, 6], [2, 3, 1]);
const col = (rows: number[][]): number[][][] => rows.map((r) => r.map((v) => [v]));

describe('randomFlip', () => {
  it.each([
    ['horizontal', { horizontal: true }, [[3, 2, 1], [6, 5, 4]]],
    ['vertical', { vertical: true }, [[4, 5, 6], [1, 2, 3]]],
    ['both', { horizontal: true, vertical: true }, [[6, 5, 4], [3, 2, 1]]],
  ])('flips a 2×3 image %s with p = 1', (_, axes, expected) => {
    expect(values(randomFlip({ ...axes, p: 1 })(image(), rng(1)))).toEqual(col(expected));
  });

  it('leaves the image as it is with p = 0', () => {
    expect(values(randomFlip({ horizontal: true, vertical: true, p: 0 })(image(), rng(1)))).toEqual(
      col([[1, 2, 3], [4, 5, 6]]),
    );
  });

  it('draws a flip per image of a batch and flips each mask with its image', () => {
    const { image: xs, mask } = coordinateBatch(16, 3, 4);
    const out = randomFlip({ horizontal: true, vertical: true })({ image: xs, mask, label: 7 }, rng(3));
    expect(out.image.shape).toEqual([16, 3, 4, 3]);
    expect(out.mask.shape).toEqual([16, 3, 4]);
    expect(out.mask.dtype).toBe('int32');
    expect(out.label).toBe(7);
    const { checkedFraction, worst } = alignment(out.image, out.mask, 4);
    expect(worst).toBe(0);
    expect(Math.min(...checkedFraction)).toBe(1);
    // Which flips happened: read them off the first pixel's source coordinates.
    const px = out.image.arraySync() as number[][][][];
    const kinds = new Set(px.map((img) => `${img[0]?.[0]?.[0]},${img[0]?.[0]?.[1]}`));
    expect(kinds).toEqual(new Set(['0,0', '0,3', '2,0', '2,3'])); // none, h, v, both all occur
  });

  it('is reproducible from the generator state and varies with the seed', () => {
    const xs = tf.range(0, 32 * 4).reshape([32, 2, 2, 1]) as tf.Tensor4D;
    const t = randomFlip({ horizontal: true });
    const a = t(xs, rng(5)).dataSync();
    const b = t(xs, rng(5)).dataSync();
    const c = t(xs, rng(6)).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('accepts a Dataset.map context and advances its generator', () => {
    const context = { index: 0, epoch: 0, rng: rng(9) };
    const before = context.rng.getState();
    randomFlip({ horizontal: true })(image(), context).dispose();
    expect(context.rng.getState()).not.toEqual(before);
  });

  it('checks its configuration when made', () => {
    expect(() => randomFlip({})).toThrow('randomFlip: horizontal or vertical expected true, got neither');
    expect(() => randomFlip({ horizontal: true, p: 1.5 })).toThrow(
      'randomFlip: p expected a number in [0, 1], got 1.5',
    );
  });

  it('checks the sample when called', () => {
    const t = randomFlip({ horizontal: true });
    expect(() => t(tf.zeros([28, 28]) as unknown as tf.Tensor3D, rng(1))).toThrow(
      'randomFlip: image must be rank 3 or 4 ([h, w, c] or [batch, h, w, c]), got [28, 28]',
    );
    expect(() => t(tf.zeros([2, 2, 1], 'int32') as tf.Tensor3D, rng(1))).toThrow(
      'randomFlip: image dtype expected float32, got int32',
    );
    expect(() => t({ image: tf.zeros([4, 4, 1]) as tf.Tensor3D, mask: tf.zeros([4, 3]) }, rng(1))).toThrow(
      'randomFlip: mask expected shape [4, 4] or [4, 4, 1] to match image [4, 4, 1], got [4, 3]',
    );
    expect(() => t(image(), undefined as unknown as Rng)).toThrow(
      'randomFlip: rng expected an Rng or { rng: Rng }, got undefined',
    );
  });

  it('does not leak and does not dispose its input', async () => {
    const { image: xs, mask } = coordinateBatch(4, 3, 3);
    const t = randomFlip({ horizontal: true, vertical: true });
    await expectNoLeaks(() => t({ image: xs, mask }, rng(1)), 'randomFlip batch');
    const single = image();
    await expectNoLeaks(() => t(single, rng(2)), 'randomFlip single');
    expect(xs.isDisposed || mask.isDisposed).toBe(false);
  });
});
