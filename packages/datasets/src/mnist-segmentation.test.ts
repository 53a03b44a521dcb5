import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import type { ImageSets, SegmentationSets } from './index.js';
import { mnist, mnistSegmentation } from './index.js';
import { buildCanvases } from './internal/compose.js';
import type { DigitPool } from './internal/compose.js';
import { sameBytes } from './internal/testing.js';

let sets: SegmentationSets;
let digits: ImageSets;
beforeAll(async () => {
  sets = await mnistSegmentation.load();
  digits = await mnist.load();
});

const poolOf = (split: ImageSets['train']): DigitPool => ({ pixels: split.images, labels: split.labels, side: 28 });
const defaults = { size: 64, minDigits: 1, maxDigits: 3, inkThreshold: 0.5 };

describe('mnistSegmentation', () => {
  it('has the documented default: 2,000 / 500 canvases of 64×64×1, 11 mask classes', () => {
    expect(sets.train.count).toBe(mnistSegmentation.counts.train);
    expect(sets.test.count).toBe(mnistSegmentation.counts.test);
    expect([sets.train.count, sets.test.count]).toEqual([2000, 500]);
    expect(sets.train.shape).toEqual([64, 64, 1]);
    expect(sets.train.classNames).toEqual(['background', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect([digits.train.count, digits.test.count]).toEqual([
      mnistSegmentation.counts.trainDigits,
      mnistSegmentation.counts.testDigits,
    ]);
  });

  it('labels exactly the pixels where the canvas is above the ink threshold', () => {
    for (const split of [sets.train, sets.test]) {
      let disagreements = 0;
      let maxMask = 0;
      let inRange = true;
      for (let i = 0; i < split.masks.length; i++) {
        const v = split.images[i] as number;
        const m = split.masks[i] as number;
        if ((m !== 0) !== v > 0.5) disagreements++;
        if (m > maxMask) maxMask = m;
        if (!(v >= 0 && v <= 1)) inRange = false;
      }
      expect(disagreements).toBe(0);
      expect(maxMask).toBe(10);
      expect(inRange).toBe(true);
      // Every canvas holds some digit ink.
      const plane = 64 * 64;
      for (let c = 0; c < split.count; c++) expect(split.masks.subarray(c * plane, (c + 1) * plane).some((m) => m > 0)).toBe(true);
    }
  });

  it('composes train canvases from MNIST train digits and test canvases from MNIST test digits only', () => {
    // Rebuilding from the public MNIST default splits as pools reproduces the loader's output.
    const train = buildCanvases(poolOf(digits.train), rng(0).fold('train'), 2000, defaults);
    const test = buildCanvases(poolOf(digits.test), rng(0).fold('test'), 500, defaults);
    expect(sameBytes(train.images, sets.train.images)).toBe(true);
    expect(sameBytes(train.masks, sets.train.masks)).toBe(true);
    expect(sameBytes(test.images, sets.test.images)).toBe(true);
    expect(sameBytes(test.masks, sets.test.masks)).toBe(true);
    // Each canvas's mask classes are among the classes of the digits drawn on it.
    const counts = [0, 0, 0, 0];
    test.placements.forEach((placed, c) => {
      counts[placed.length]!++;
      const allowed = new Set(placed.map((p) => 1 + p.label));
      const seen = new Set(sets.test.masks.subarray(c * 4096, (c + 1) * 4096));
      seen.delete(0);
      for (const m of seen) expect(allowed.has(m)).toBe(true);
    });
    expect(counts[0]).toBe(0);
    expect(Math.min(counts[1]!, counts[2]!, counts[3]!)).toBeGreaterThan(100); // 1–3 digits, ~1/3 each
  });

  it('is deterministic for a seed, prefix-stable in the counts, and changes with the seed', async () => {
    const small = await mnistSegmentation.load({ trainCount: 20, testCount: 5 });
    expect(sameBytes(small.train.images, sets.train.images.subarray(0, 20 * 4096))).toBe(true);
    expect(sameBytes(small.test.masks, sets.test.masks.subarray(0, 5 * 4096))).toBe(true);
    const other = await mnistSegmentation.load({ seed: 1, trainCount: 20, testCount: 5 });
    expect(sameBytes(other.train.images, small.train.images)).toBe(false);
  });

  it('honours size, digit counts and threshold options', async () => {
    const { train } = await mnistSegmentation.load({ size: 28, minDigits: 1, maxDigits: 1, inkThreshold: 0.3, trainCount: 30, testCount: 1 });
    expect(train.shape).toEqual([28, 28, 1]);
    for (let c = 0; c < train.count; c++) {
      const classes = new Set(train.masks.subarray(c * 784, (c + 1) * 784));
      classes.delete(0);
      expect(classes.size).toBe(1); // one digit fills the 28×28 canvas
      const image = train.images.subarray(c * 784, (c + 1) * 784);
      const mask = train.masks.subarray(c * 784, (c + 1) * 784);
      expect(image.every((v, i) => (mask[i] !== 0) === v > 0.3)).toBe(true);
    }
  });

  it('yields image [64, 64, 1] and int32 mask [64, 64] tensors without leaks', async () => {
    await expectNoLeaks(() => {
      for (const { image, mask } of sets.test.slice(3, 6)) {
        expect(image.shape).toEqual([64, 64, 1]);
        expect(mask.shape).toEqual([64, 64]);
        expect(mask.dtype).toBe('int32');
        tf.dispose([image, mask]);
      }
    }, 'mnistSegmentation slice');
    const { xs, masks } = sets.train.take(2).tensors();
    expect(Array.from(masks.dataSync())).toEqual(Array.from(sets.train.masks.subarray(0, 2 * 4096)));
    tf.dispose([xs, masks]);
  });

  it.each([
    [{ size: 20 }, 'mnistSegmentation.load: size expected an integer in [28, 4096], got 20'],
    [{ minDigits: 0 }, 'mnistSegmentation.load: minDigits expected an integer >= 1, got 0'],
    [{ minDigits: 3, maxDigits: 2 }, 'mnistSegmentation.load: maxDigits expected an integer >= 3, got 2'],
    [{ inkThreshold: 1 }, 'mnistSegmentation.load: inkThreshold expected a number in (0, 1), got 1'],
    [{ trainCount: 0 }, 'mnistSegmentation.load: trainCount expected an integer >= 1, got 0'],
    [{ seed: 1.5 }, 'mnistSegmentation.load: seed expected an integer, got 1.5'],
  ])('rejects %o', async (options, message) => {
    await expect(mnistSegmentation.load(options)).rejects.toThrowError(ConfigError);
    await expect(mnistSegmentation.load(options)).rejects.toThrowError(message);
  });
});
