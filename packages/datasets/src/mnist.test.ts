import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, FormatError, expectNoLeaks, tf } from '@tensorloom/core';
import type { ImageSets, ImageSplit, PackageFileReader } from './index.js';
import { mnist } from './index.js';
import { sameBytes, sameSet } from './internal/testing.js';
import { readPackageFile } from './node.js';

let sets: ImageSets;
beforeAll(async () => {
  sets = await mnist.load();
});

/** A string key of one image's float32 bytes. */
function keyOf(pixels: Float32Array): string {
  return Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength).toString('latin1');
}

function keys(split: ImageSplit): string[] {
  return Array.from({ length: split.count }, (_, i) => keyOf(split.images.subarray(i * 784, (i + 1) * 784)));
}

describe('mnist', () => {
  it('has the documented default split: 8,000 / 2,000, stratified per class', () => {
    const { train, test, validation } = sets;
    expect(validation).toBeUndefined();
    expect(train.count).toBe(8000);
    expect(test.count).toBe(2000);
    expect(train.count).toBe(mnist.counts.train);
    expect(test.count).toBe(mnist.counts.test);
    expect(train.classCounts()).toEqual(mnist.counts.trainPerClass);
    expect(test.classCounts()).toEqual(mnist.counts.testPerClass);
    // Each class's exact share of the 2,000 test images (n / 5), rounded down or up.
    mnist.counts.perClass.forEach((n, c) => expect(Math.abs(mnist.counts.testPerClass[c]! - n / 5)).toBeLessThan(1));
    expect(mnist.counts.perClass.map((n, c) => n - mnist.counts.testPerClass[c]!)).toEqual(mnist.counts.trainPerClass);
    expect(mnist.counts.perClass.reduce((a, b) => a + b, 0)).toBe(mnist.counts.total);
    expect(train.shape).toEqual([28, 28, 1]);
    expect(train.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('keeps floats in [0, 1] with real ink in every image', () => {
    for (const split of [sets.train, sets.test]) {
      let min = Infinity;
      let max = -Infinity;
      for (const v of split.images) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      expect(min).toBe(0);
      expect(max).toBe(1);
      for (let i = 0; i < split.count; i += 97) {
        const ink = split.images.subarray(i * 784, (i + 1) * 784).filter((v) => v > 0.5).length;
        expect(ink).toBeGreaterThan(10);
      }
    }
  });

  it('holds every package image exactly once across train and test, with its label (JSON.parse reference)', () => {
    const resolve = createRequire(import.meta.url).resolve;
    const expected = new Map<string, number>();
    for (let d = 0; d < 10; d++) {
      const { data } = JSON.parse(readFileSync(resolve(`mnist/src/digits/${d}.json`), 'utf8')) as { data: number[] };
      const all = new Float32Array(data);
      for (let i = 0; i < all.length / 784; i++) expected.set(keyOf(all.subarray(i * 784, (i + 1) * 784)), d);
    }
    expect(expected.size).toBe(10000); // the package has no duplicate images
    const seen = new Set<string>();
    for (const split of [sets.train, sets.test]) {
      keys(split).forEach((k, i) => {
        expect(expected.get(k)).toBe(split.labels[i]);
        seen.add(k);
      });
    }
    expect(seen.size).toBe(10000);
  });

  it('is deterministic: a second load (through a custom reader) gives the same arrays', async () => {
    const files: string[] = [];
    const read: PackageFileReader = (file) => {
      files.push(file);
      return readPackageFile(file);
    };
    const again = await mnist.load({ read });
    expect(files).toEqual(Array.from({ length: 10 }, (_, d) => `mnist/src/digits/${d}.json`));
    expect(sameBytes(again.train.labels, sets.train.labels)).toBe(true);
    expect(sameBytes(again.train.images, sets.train.images)).toBe(true);
    expect(sameBytes(again.test.images, sets.test.images)).toBe(true);
  });

  it('draws another split for another seed', async () => {
    const other = await mnist.load({ seed: 1, limit: 50 });
    expect(other.train.classCounts().reduce((a, b) => a + b)).toBe(50);
    expect(Array.from(other.train.labels)).not.toEqual(Array.from(sets.train.labels.subarray(0, 50)));
  });

  it('carves validation out of train per class and leaves test untouched', async () => {
    const { train, validation, test } = await mnist.load({ validationFraction: 0.1 });
    expect(sameBytes(test.labels, sets.test.labels)).toBe(true);
    expect(sameBytes(test.images, sets.test.images)).toBe(true);
    // 800 = round(8000 * 0.1), shared by controlled rounding: exact shares n·800/8000 =
    // 80.1 90.2 79.3 82.6 78.4 69 81.1 85.6 75.5 78.2; floors sum to 797, the 3 largest
    // remainders (.6 .6 .5) round up.
    expect(validation!.classCounts()).toEqual([80, 90, 79, 83, 78, 69, 81, 86, 76, 78]);
    expect(train.count + validation!.count).toBe(8000);
    const union = new Set([...keys(train), ...keys(validation!)]);
    expect(sameSet(union, new Set(keys(sets.train)))).toBe(true);
  });

  it('limits each split to a prefix of its fixed order', async () => {
    const { train, test } = await mnist.load({ limit: 300 });
    expect(train.count).toBe(300);
    expect(sameBytes(train.images, sets.train.images.subarray(0, 300 * 784))).toBe(true);
    expect(sameBytes(test.labels, sets.test.labels.subarray(0, 300))).toBe(true);
  });

  it('iterates a slice without leaking tensors', async () => {
    await expectNoLeaks(() => {
      let n = 0;
      for (const { image, label } of sets.test.slice(10, 20)) {
        expect(image.shape).toEqual([28, 28, 1]);
        expect(label).toBe(sets.test.labels[10 + n]);
        n++;
        image.dispose();
      }
      expect(n).toBe(10);
    }, 'mnist test slice');
    const { xs, ys } = sets.train.take(8).tensors();
    expect(xs.shape).toEqual([8, 28, 28, 1]);
    expect(Array.from(ys.dataSync())).toEqual(Array.from(sets.train.labels.subarray(0, 8)));
    tf.dispose([xs, ys]);
  });

  it.each([
    [{ seed: 0.5 }, 'mnist.load: seed expected an integer, got 0.5'],
    [{ trainFraction: 1 }, 'mnist.load: trainFraction expected a number in (0, 1), got 1'],
    [{ trainFraction: 0 }, 'mnist.load: trainFraction expected a number in (0, 1), got 0'],
    [{ validationFraction: -0.1 }, 'mnist.load: validationFraction expected a number in [0, 1), got -0.1'],
    [{ limit: 0 }, 'mnist.load: limit expected an integer >= 1, got 0'],
    [{ read: 'files' }, 'mnist.load: read expected a function (file) => Promise<Uint8Array>, got string'],
  ])('rejects %o', async (options, message) => {
    const load = mnist.load(options as never);
    await expect(load).rejects.toThrowError(ConfigError);
    await expect(mnist.load(options as never)).rejects.toThrowError(message);
  });

  it('fails with a FormatError when the files hold another number of images', async () => {
    const tiny: PackageFileReader = async () => new TextEncoder().encode(`{"data":[${new Array(784).fill(0).join(',')}]}`);
    const load = mnist.load({ read: tiny });
    await expect(load).rejects.toThrowError(FormatError);
    await expect(mnist.load({ read: tiny })).rejects.toThrowError(
      'mnist.load: the package files expected 10000 images, got 10',
    );
  });
});
