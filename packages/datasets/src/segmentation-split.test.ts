import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, tf } from '@tensorloom/core';
import { SegmentationSplit } from './segmentation-split.js';

// 3 canvases of 2×2; canvas i has pixels i + 0.25 * p and mask values (i + p) % 3.
function makeSplit(): SegmentationSplit {
  const images = Float32Array.from({ length: 12 }, (_, k) => Math.floor(k / 4) + 0.25 * (k % 4));
  const masks = Uint8Array.from({ length: 12 }, (_, k) => (Math.floor(k / 4) + (k % 4)) % 3);
  return new SegmentationSplit(images, masks, [2, 2, 1], ['bg', 'x', 'y']);
}

describe('SegmentationSplit', () => {
  it('yields image [h, w, 1] float32 and mask [h, w] int32 per canvas', () => {
    const out = [...makeSplit()];
    expect(out).toHaveLength(3);
    const { image, mask } = out[1]!;
    expect(image.shape).toEqual([2, 2, 1]);
    expect(mask.shape).toEqual([2, 2]);
    expect(mask.dtype).toBe('int32');
    expect(Array.from(image.dataSync())).toEqual([1, 1.25, 1.5, 1.75]);
    expect(Array.from(mask.dataSync())).toEqual([1, 2, 0, 1]);
    tf.dispose(out.flatMap((e) => [e.image, e.mask]));
  });

  it('stacks into xs [n, h, w, 1] and masks [n, h, w] int32', () => {
    const { xs, masks } = makeSplit().slice(1).tensors();
    expect(xs.shape).toEqual([2, 2, 2, 1]);
    expect(masks.shape).toEqual([2, 2, 2]);
    expect(masks.dtype).toBe('int32');
    expect(Array.from(masks.dataSync())).toEqual([1, 2, 0, 1, 2, 0, 1, 2]);
    tf.dispose([xs, masks]);
  });

  it('slices and takes views of the same arrays', () => {
    const split = makeSplit();
    expect(split.take(2).count).toBe(2);
    expect(split.slice(-1).images[0]).toBe(2);
    expect(split.slice(1, 2).masks.buffer).toBe(split.masks.buffer);
  });

  it('leaks nothing when a slice is iterated and disposed', async () => {
    const split = makeSplit();
    await expectNoLeaks(() => {
      for (const { image, mask } of split.slice(0, 2)) tf.dispose([image, mask]);
    }, 'SegmentationSplit iteration');
  });

  it('rejects inconsistent arrays and mask classes with exact messages', () => {
    expect(() => new SegmentationSplit(new Float32Array(8), new Uint8Array(7), [2, 2, 1], ['a'])).toThrowError(
      new ShapeError('SegmentationSplit: masks expected a multiple of 4 values (h * w), got 7'),
    );
    expect(() => new SegmentationSplit(new Float32Array(7), new Uint8Array(8), [2, 2, 1], ['a'])).toThrowError(
      'SegmentationSplit: images expected 8 values for 2 masks of shape [2, 2, 1], got 7',
    );
    expect(() => new SegmentationSplit(new Float32Array(4), Uint8Array.from([0, 1, 2, 0]), [2, 2, 1], ['a', 'b'])).toThrowError(
      new ConfigError('SegmentationSplit: masks[2] expected an integer in [0, 2), got 2'),
    );
    expect(() => new SegmentationSplit(new Float32Array(0), new Uint8Array(0), [2, 2, 1.5], ['a'])).toThrowError(
      new ShapeError('SegmentationSplit: shape expected [h, w, c] of positive integers, got [2, 2, 1.5]'),
    );
    expect(() => makeSplit().take(-2)).toThrowError('SegmentationSplit.take: n expected an integer >= 0, got -2');
  });
});
