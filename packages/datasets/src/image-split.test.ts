import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, tf } from '@tensorloom/core';
import { ImageSplit } from './image-split.js';

// 5 images of shape [2, 1, 2]; image i holds the values i + 0.1 * p for p = 0..3.
function makeSplit(): ImageSplit {
  const images = Float32Array.from({ length: 20 }, (_, k) => Math.floor(k / 4) + 0.1 * (k % 4));
  return new ImageSplit(images, Int32Array.from([2, 0, 1, 2, 1]), [2, 1, 2], ['a', 'b', 'c']);
}

describe('ImageSplit', () => {
  it('yields one lazily created [h, w, c] tensor per element with its label', async () => {
    const split = makeSplit();
    const iterator = split[Symbol.iterator]();
    const before = tf.memory().numTensors;
    const first = iterator.next();
    expect(tf.memory().numTensors).toBe(before + 1); // one tensor per element reached
    expect(first.done).toBe(false);
    const { image, label } = first.value as { image: tf.Tensor3D; label: number };
    expect(label).toBe(2);
    expect(image.shape).toEqual([2, 1, 2]);
    expect(image.dtype).toBe('float32');
    expect(Array.from(await image.data())).toEqual([0, 0.1, 0.2, 0.3].map(Math.fround));
    image.dispose();
    const rest = [...{ [Symbol.iterator]: () => iterator }];
    expect(rest.map((e) => e.label)).toEqual([0, 1, 2, 1]);
    expect(Array.from(rest[3]!.image.dataSync())).toEqual([4, 4.1, 4.2, 4.3].map(Math.fround));
    tf.dispose(rest.map((e) => e.image));
  });

  it('hands out copies: writing into a tensor’s data does not change the split', () => {
    const split = makeSplit();
    const [{ image }] = split.take(1);
    (image.dataSync() as Float32Array)[0] = 99;
    image.dispose();
    expect(split.images[0]).toBe(0);
  });

  it('stacks the split into xs [n, h, w, c] float32 and ys [n] int32', () => {
    const { xs, ys } = makeSplit().tensors();
    expect(xs.shape).toEqual([5, 2, 1, 2]);
    expect(ys.dtype).toBe('int32');
    expect(Array.from(ys.dataSync())).toEqual([2, 0, 1, 2, 1]);
    expect(xs.dataSync()[4 * 4 + 3]).toBeCloseTo(4.3, 6);
    tf.dispose([xs, ys]);
  });

  it('slices like Array.prototype.slice, sharing the arrays', () => {
    const split = makeSplit();
    const mid = split.slice(1, 3);
    expect(mid.count).toBe(2);
    expect(Array.from(mid.labels)).toEqual([0, 1]);
    expect(mid.images.buffer).toBe(split.images.buffer);
    expect(Array.from(mid.images.subarray(0, 1))).toEqual([1]);
    expect(Array.from(split.slice(-2).labels)).toEqual([2, 1]);
    expect(split.slice(3, 1).count).toBe(0);
    expect(split.slice(2, 100).count).toBe(3);
    expect(split.take(100).count).toBe(5);
    expect(Array.from(split.take(2).labels)).toEqual([2, 0]);
    expect(split.take(0).count).toBe(0);
  });

  it('counts classes', () => {
    expect(makeSplit().classCounts()).toEqual([1, 2, 2]);
  });

  it('leaks nothing when a slice is iterated and each element disposed', async () => {
    const split = makeSplit();
    await expectNoLeaks(() => {
      for (const { image } of split.slice(1, 4)) image.dispose();
    }, 'ImageSplit iteration');
    await expectNoLeaks(() => {
      const { xs, ys } = split.take(3).tensors();
      tf.dispose([xs, ys]);
    }, 'ImageSplit tensors');
  });

  it('rejects inconsistent arrays, bad shapes and labels with exact messages', () => {
    expect(() => new ImageSplit(new Float32Array(7), new Int32Array(2), [2, 2, 1], ['a'])).toThrowError(
      new ShapeError('ImageSplit: images expected 2 * 4 = 8 values for 2 labels of shape [2, 2, 1], got 7'),
    );
    expect(() => new ImageSplit(new Float32Array(0), new Int32Array(0), [2, 0, 1], ['a'])).toThrowError(
      'ImageSplit: shape expected [h, w, c] of positive integers, got [2, 0, 1]',
    );
    expect(() => new ImageSplit(new Float32Array(2), Int32Array.from([0, 3]), [1, 1, 1], ['a', 'b'])).toThrowError(
      new ConfigError('ImageSplit: labels[1] expected an integer in [0, 2), got 3'),
    );
    expect(() => makeSplit().take(-1)).toThrowError('ImageSplit.take: n expected an integer >= 0, got -1');
    expect(() => makeSplit().take(1.5)).toThrowError('ImageSplit.take: n expected an integer >= 0, got 1.5');
  });
});
