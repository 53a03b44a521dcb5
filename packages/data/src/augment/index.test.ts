// One sweep over every image transform the module exports: single and batch shapes, masks
// kept in step, reproducibility, the rank error at call time, the missing-rng error, no leaks.
import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import * as augment from './index.js';
import type { Transform } from './index.js';

interface Case {
  name: string;
  make: () => Transform;
  /** Output [h, w] for a 12×12 input, when it changes. */
  size?: [number, number];
  channels?: number;
  random?: boolean;
}

const cases: Case[] = [
  { name: 'randomFlip', make: () => augment.randomFlip({ horizontal: true, vertical: true }) },
  { name: 'randomRotation', make: () => augment.randomRotation({ degrees: 20 }) },
  { name: 'randomTranslate', make: () => augment.randomTranslate({ max: 2 }) },
  { name: 'randomZoom', make: () => augment.randomZoom({ scale: 0.2 }) },
  { name: 'randomCrop', make: () => augment.randomCrop({ height: 8, width: 9 }), size: [8, 9] },
  { name: 'randomResizedCrop', make: () => augment.randomResizedCrop({ height: 5, width: 7 }), size: [5, 7] },
  { name: 'resize', make: () => augment.resize({ height: 6, width: 18 }), size: [6, 18], random: false },
  { name: 'pad', make: () => augment.pad({ padding: [1, 2] }), size: [14, 16], random: false },
  { name: 'randomBrightness', make: () => augment.randomBrightness({ delta: 0.2 }) },
  { name: 'randomContrast', make: () => augment.randomContrast({ factor: 0.5 }) },
  { name: 'randomSaturation', make: () => augment.randomSaturation({ factor: 0.5 }), channels: 3 },
  { name: 'randomHue', make: () => augment.randomHue({ delta: 0.2 }), channels: 3 },
  { name: 'randomGamma', make: () => augment.randomGamma({ gamma: [0.5, 2] }) },
  { name: 'gaussianNoise', make: () => augment.gaussianNoise({ std: 0.1 }) },
  { name: 'gaussianBlur', make: () => augment.gaussianBlur({ kernelSize: 3, sigma: [0.5, 2] }) },
  { name: 'randomErasing', make: () => augment.randomErasing({ p: 1 }) },
  { name: 'cutout', make: () => augment.cutout({ size: 4 }) },
  { name: 'normalize', make: () => augment.normalize({ mean: 0.5, std: 0.25 }), random: false },
];

describe.each(cases)('$name', ({ name, make, size = [12, 12], channels = 1, random = true }) => {
  const t = make();
  const single = rng(1).uniformTensor([12, 12, channels]) as tf.Tensor3D;
  const batch = rng(2).uniformTensor([3, 12, 12, channels]) as tf.Tensor4D;
  const mask = tf.tensor3d(Array.from({ length: 3 * 144 }, (_, i) => i % 5), [3, 12, 12], 'int32');

  it('keeps the form: single in, single out; batch and mask in, batch and mask out', () => {
    expect(t(single, rng(3)).shape).toEqual([...size, channels]);
    const out = t({ image: batch, mask, id: 'x' }, rng(3));
    expect(out.image.shape).toEqual([3, ...size, channels]);
    expect(out.mask.shape).toEqual([3, ...size]);
    expect(out.mask.dtype).toBe('int32');
    expect(out.id).toBe('x');
  });

  it('is reproducible from the generator state' + (random ? ' and varies with it' : ''), () => {
    const a = Array.from(t(batch, rng(4)).dataSync());
    expect(Array.from(t(batch, rng(4)).dataSync())).toEqual(a);
    // Another seed gives another output (a few seeds: a flip of 3 images repeats by chance 1 time in 64).
    if (random) expect([5, 6, 7].some((seed) => t(batch, rng(seed)).dataSync().some((v, i) => v !== a[i]))).toBe(true);
  });

  it('rejects an image of the wrong rank when called, and a missing generator', () => {
    expect(() => t(tf.zeros([12, 12]) as unknown as tf.Tensor3D, rng(1))).toThrow(
      `${name}: image must be rank 3 or 4 ([h, w, c] or [batch, h, w, c]), got [12, 12]`,
    );
    if (random) {
      expect(() => t(single, {} as Rng)).toThrow(`${name}: rng expected an Rng or { rng: Rng }, got an object`);
    }
  });

  it('does not leak or dispose its input', async () => {
    await expectNoLeaks(() => t({ image: batch, mask }, rng(6)), name);
    await expectNoLeaks(() => t(single, rng(6)), name);
    expect(single.isDisposed || batch.isDisposed || mask.isDisposed).toBe(false);
  });
});
