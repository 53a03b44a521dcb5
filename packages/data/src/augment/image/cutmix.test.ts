import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { cutmix } from './cutmix.js';

describe('cutmix', () => {
  // 6 images of 8×8, each constant at its index; mask = index too; labels = index (6 classes).
  const n = 6;
  const batch = () => ({
    image: tf.tile(tf.reshape(tf.range(0, n), [n, 1, 1, 1]), [1, 8, 8, 1]) as tf.Tensor4D,
    mask: tf.tile(tf.reshape(tf.range(0, n, 1, 'int32'), [n, 1, 1]), [1, 8, 8]) as tf.Tensor3D,
    label: tf.range(0, n, 1, 'int32') as tf.Tensor1D,
  });

  it('pastes one partner’s rectangle into each image and mask, and weighs labels by the kept area', () => {
    const out = cutmix({ numClasses: n })(batch(), rng(4));
    const imgs = out.image.arraySync() as number[][][][];
    const masks = out.mask.arraySync() as number[][][];
    const labels = out.label.arraySync() as number[][];
    let pasted = 0;
    imgs.forEach((img, i) => {
      const values = img.flat(2);
      const others = [...new Set(values.filter((v) => v !== i))];
      expect(others.length).toBeLessThanOrEqual(1); // one partner
      const foreign = values.filter((v) => v !== i).length;
      // The foreign pixels form one rectangle.
      let top = 8, left = 8, bottom = -1, right = -1;
      img.forEach((row, y) =>
        row.forEach((px, x) => {
          if (px[0] === i) return;
          top = Math.min(top, y);
          left = Math.min(left, x);
          bottom = Math.max(bottom, y);
          right = Math.max(right, x);
        }),
      );
      if (foreign > 0) expect((bottom - top + 1) * (right - left + 1)).toBe(foreign);
      // The mask got the same pixels from the same partner.
      expect(masks[i]?.flat()).toEqual(values);
      // Labels: λ' = 1 − foreign/64 on the own class, the rest on the partner's.
      const kept = 1 - foreign / 64;
      const row = labels[i] as number[];
      if (others.length === 1) {
        expect(row[i]).toBeCloseTo(kept, 6);
        expect(row[others[0] as number]).toBeCloseTo(1 - kept, 6);
        pasted++;
      } else {
        expect(row[i]).toBeCloseTo(1, 6);
      }
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    });
    expect(pasted).toBeGreaterThan(2);
    expect(out.mask.dtype).toBe('int32');
  });

  it('uses one box for the whole batch with perExample: false', () => {
    const out = cutmix({ numClasses: n, perExample: false })(batch(), rng(9));
    const imgs = out.image.arraySync() as number[][][][];
    const pattern = (img: number[][][], i: number): string => img.map((row) => row.map((px) => (px[0] === i ? 0 : 1)).join('')).join('/');
    const shapes = new Set(imgs.map((img, i) => pattern(img, i)).filter((p) => p.includes('1')));
    expect(shapes.size).toBe(1);
  });

  it('is reproducible and varies with the seed', () => {
    const b = batch();
    const t = cutmix({ numClasses: n });
    expect(Array.from(t(b, rng(1)).image.dataSync())).toEqual(Array.from(t(b, rng(1)).image.dataSync()));
    expect(Array.from(t(b, rng(1)).image.dataSync())).not.toEqual(Array.from(t(b, rng(2)).image.dataSync()));
  });

  it('checks its configuration when made and labels when called', () => {
    expect(() => cutmix({ alpha: -1 })).toThrow('cutmix: alpha expected a number > 0, got -1');
    const b = batch();
    expect(() => cutmix({ numClasses: 4 })({ ...b, label: tf.zeros([n, 5]) }, rng(1))).toThrow(
      'cutmix: label axis 1 expected 4 (numClasses), got shape [6, 5]',
    );
  });

  it('does not leak', async () => {
    const b = batch();
    await expectNoLeaks(() => cutmix({ numClasses: n })(b, rng(1)), 'cutmix');
  });
});
