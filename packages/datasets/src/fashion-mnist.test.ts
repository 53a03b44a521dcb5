import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeaks } from '@tensorloom/core';
import type { ImageSets } from './index.js';
import { fashionMnist } from './index.js';
import { sameBytes } from './internal/testing.js';

// The full default split is loaded once: ~160 MB of JSON, 220 MB of float32 pixels.
let sets: ImageSets;
beforeAll(async () => {
  sets = await fashionMnist.load();
});

describe('fashionMnist', () => {
  it('has the documented default split: 60,000 / 10,000, 6,000 / 1,000 a class', () => {
    expect(sets.train.count).toBe(fashionMnist.counts.train);
    expect(sets.test.count).toBe(fashionMnist.counts.test);
    expect(sets.train.count).toBe(60000);
    expect(sets.test.count).toBe(10000);
    expect(sets.train.classCounts()).toEqual(new Array(10).fill(6000));
    expect(sets.test.classCounts()).toEqual(new Array(10).fill(1000));
    expect(fashionMnist.counts.perClass).toEqual(new Array(10).fill(7000));
    expect(sets.test.classNames).toEqual([
      'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
    ]);
  });

  it('scales the package bytes to [0, 1] as byte / 255', () => {
    let min = Infinity;
    let max = -Infinity;
    const images = sets.test.images;
    for (let i = 0; i < images.length; i++) {
      const v = images[i] as number;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    for (let i = 0; i < images.length; i += 1013) {
      const byte = Math.round((images[i] as number) * 255);
      expect(images[i]).toBe(Math.fround(byte / 255));
    }
  });

  it('holds the package’s own images under their labels (JSON.parse reference, class 5)', () => {
    const file = createRequire(import.meta.url).resolve('fashion-mnist/src/clothes/5.json');
    const { data } = JSON.parse(readFileSync(file, 'utf8')) as { data: number[][] };
    const rows = new Set(data.map((row) => Float32Array.from(row, (b) => b / 255).join(',')));
    let checked = 0;
    for (const split of [sets.train.take(600), sets.test.take(600)]) {
      for (let i = 0; i < split.count; i++) {
        if (split.labels[i] !== 5) continue;
        expect(rows.has(split.images.subarray(i * 784, (i + 1) * 784).join(','))).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('is deterministic, limits to a prefix and keeps test when validation is carved out', async () => {
    const { train, validation, test } = await fashionMnist.load({ limit: 500, validationFraction: 0.1 });
    expect(sameBytes(test.images, sets.test.images.subarray(0, 500 * 784))).toBe(true);
    expect(sameBytes(test.labels, sets.test.labels.subarray(0, 500))).toBe(true);
    expect(validation!.count).toBe(500);
    expect(train.count).toBe(500);
  });

  it('iterates a slice without leaking tensors', async () => {
    await expectNoLeaks(() => {
      for (const { image } of sets.train.slice(100, 105)) {
        expect(image.shape).toEqual([28, 28, 1]);
        image.dispose();
      }
    }, 'fashionMnist slice');
  });
});
