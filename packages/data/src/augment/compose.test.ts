import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import { compose } from './compose.js';
import { randomApply } from './random-apply.js';
import { oneOf } from './one-of.js';
import { randomFlip } from './image/random-flip.js';
import { normalize } from './image/normalize.js';
import { pad } from './image/pad.js';
import { randomBrightness } from './image/random-brightness.js';
import { randomTranslate } from './image/random-translate.js';
import type { Sample, Transform } from './types.js';

/** A stand-in for Dataset.map with the shared MapContext, to check the types line up. */
function mapLike<T, U>(items: T[], fn: (element: T, context: { index: number; epoch: number; rng: Rng }) => U): U[] {
  return items.map((item, index) => fn(item, { index, epoch: 0, rng: rng(index) }));
}

describe('compose', () => {
  it('applies transforms first to last with one generator', () => {
    const x = tf.tensor3d([1, 2, 3], [1, 3, 1]);
    const t = compose([randomFlip({ horizontal: true, p: 1 }), pad({ padding: [0, 1], value: 0 }), normalize({ mean: 1, std: 2 })]);
    expect(Array.from(t(x, rng(1)).dataSync())).toEqual([-0.5, 1, 0.5, 0, -0.5]);
  });

  it('equals calling the transforms in turn on the same generator', () => {
    const x = rng(0).uniformTensor([2, 6, 6, 1]) as tf.Tensor4D;
    const a = randomTranslate({ max: 2 });
    const b = randomBrightness({ delta: 0.2 });
    const r1 = rng(5);
    const stepwise = b(a(x, r1), r1);
    expect(Array.from(compose([a, b])(x, rng(5)).dataSync())).toEqual(Array.from(stepwise.dataSync()));
  });

  it('disposes intermediates but never the input or pass-through tensors', async () => {
    const image = tf.ones([4, 4, 1]) as tf.Tensor3D;
    const label = tf.scalar(3);
    const mask = tf.zeros([4, 4], 'int32');
    const t = compose([randomFlip({ horizontal: true }), randomTranslate({ max: 1 }), randomBrightness({ delta: 0.1 })]);
    const out = await expectNoLeaks(() => t({ image, mask, label }, rng(1)), 'compose');
    expect(out.label).toBe(label);
    expect(image.isDisposed || mask.isDisposed || label.isDisposed).toBe(false);
    expect(out.image.isDisposed || out.mask.isDisposed).toBe(false);
  });

  it('disposes intermediates when a later transform throws', async () => {
    const x = tf.ones([4, 4, 1]) as tf.Tensor3D;
    const t = compose([randomBrightness({ delta: 0.1 }), pad({ padding: 5, mode: 'reflect' })]);
    await expectNoLeaks(() => {
      expect(() => t(x, rng(1))).toThrow("pad: image expected height and width > the padding");
    }, 'compose error');
  });

  it('types line up with Dataset.map’s (element, { index, epoch, rng }) callback', () => {
    const samples = [{ image: tf.zeros([2, 2, 1]) as tf.Tensor3D, label: 1 }];
    const out = mapLike(samples, compose([randomFlip({ horizontal: true }), normalize({ mean: 0, std: 1 })]));
    const label: number = out[0]?.label as number; // the label field keeps its type
    expect(label).toBe(1);
    const bare = mapLike([tf.zeros([2, 2, 1]) as tf.Tensor3D], randomApply(0.5, randomFlip({ vertical: true })));
    expect(bare[0]?.shape).toEqual([2, 2, 1]);
  });

  it('checks its configuration when made', () => {
    expect(() => compose('flip' as unknown as Transform[])).toThrow("compose: transforms expected a list of transforms, got 'flip'");
    expect(() => compose([randomFlip({ horizontal: true }), 3 as unknown as Transform])).toThrow(
      'compose: transforms[1] expected a transform function, got 3',
    );
  });
});

describe('randomApply', () => {
  const x = (): tf.Tensor3D => tf.tensor3d([1, 2], [1, 2, 1]);
  const flip = randomFlip({ horizontal: true, p: 1 });

  it('returns the same sample object with p = 0 and always applies with p = 1', () => {
    const input = { image: x() };
    expect(randomApply(0, flip)(input, rng(1))).toBe(input);
    expect(Array.from(randomApply(1, flip)(x(), rng(1)).dataSync())).toEqual([2, 1]);
  });

  it('applies with probability p, reproducibly', () => {
    const input = x();
    const t = randomApply(0.3, flip);
    const r = rng(2);
    let applied = 0;
    for (let i = 0; i < 400; i++) {
      const out = t(input, r);
      if (out !== input) {
        applied++;
        out.dispose();
      }
    }
    expect(applied).toBeGreaterThan(400 * 0.3 - 40); // ±4.4 standard deviations
    expect(applied).toBeLessThan(400 * 0.3 + 40);
  });

  it('checks its configuration when made', () => {
    expect(() => randomApply(-0.1, flip)).toThrow('randomApply: p expected a number in [0, 1], got -0.1');
    expect(() => randomApply(0.5, undefined as unknown as Transform)).toThrow(
      'randomApply: transform expected a transform function, got undefined',
    );
  });
});

describe('oneOf', () => {
  // Two transforms that tag the output: one adds 1, the other adds 10 (clip off).
  const plus1 = randomBrightness({ delta: [1, 1], clip: null });
  const plus10 = randomBrightness({ delta: [10, 10], clip: null });

  it('picks by weight, reproducibly', () => {
    const x = tf.zeros([1, 1, 1]) as tf.Tensor3D;
    const t = oneOf([plus1, plus10], [1, 3]);
    const r = rng(3);
    let tens = 0;
    for (let i = 0; i < 400; i++) {
      const out = t(x, r);
      if (out.dataSync()[0] === 10) tens++;
      out.dispose();
    }
    expect(tens).toBeGreaterThan(300 - 35); // 0.75 ± 4 standard deviations (8.7)
    expect(tens).toBeLessThan(300 + 35);
    expect(oneOf([plus1, plus10], [0, 1])(x, rng(1)).dataSync()[0]).toBe(10);
    const a = oneOf([plus1, plus10])(x, rng(7)).dataSync()[0];
    expect(oneOf([plus1, plus10])(x, rng(7)).dataSync()[0]).toBe(a);
  });

  it('checks its configuration when made', () => {
    expect(() => oneOf([])).toThrow('oneOf: transforms expected a non-empty list of transforms, got []');
    expect(() => oneOf([plus1, plus10], [1])).toThrow(
      'oneOf: weights expected 2 finite numbers >= 0, not all 0, got [1]',
    );
    expect(() => oneOf([plus1, plus10], [0, 0])).toThrow(
      'oneOf: weights expected 2 finite numbers >= 0, not all 0, got [0, 0]',
    );
  });

  it('works on every sample kind it is given', () => {
    const samples: Sample[] = [tf.zeros([1, 1, 1]) as tf.Tensor3D, { image: tf.zeros([2, 1, 1, 1]) as tf.Tensor4D }];
    const [bare, object] = samples.map((s) => oneOf([plus1])(s, rng(1))) as [tf.Tensor3D, { image: tf.Tensor4D }];
    expect(Array.from(bare.dataSync())).toEqual([1]);
    expect(Array.from(object.image.dataSync())).toEqual([1, 1]);
  });
});
