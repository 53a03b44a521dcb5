import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, FormatError, expectNoLeaks, tf } from '@tensorloom/core';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { readImageFolder } from './image-folder.js';

const { PNG } = pngjs;

/** A 2×2 grey PNG whose pixels all equal `value`. */
function png(value: number): Buffer {
  const image = new PNG({ width: 2, height: 2 });
  for (let p = 0; p < 4; p++) image.data.set([value, value, value, 255], 4 * p);
  return PNG.sync.write(image);
}

function jpg(value: number): Uint8Array {
  const data = new Uint8Array(2 * 2 * 4).fill(value);
  return jpeg.encode({ width: 2, height: 2, data }, 100).data;
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tensorloom-folder-'));
  // classes in unsorted creation order; files in unsorted order; a stray file and a README
  await mkdir(join(root, 'zebra'));
  await mkdir(join(root, 'cat'));
  await writeFile(join(root, 'zebra', 'b.png'), png(30));
  await writeFile(join(root, 'zebra', 'a.PNG'), png(20));
  await writeFile(join(root, 'cat', 'x.jpg'), jpg(200));
  await writeFile(join(root, 'cat', 'notes.txt'), 'not an image');
  await writeFile(join(root, 'README.md'), 'ignored');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readImageFolder', () => {
  it('lists classes sorted, labels them in that order, and reads the images lazily', async () => {
    const folder = await readImageFolder(root, { channels: 1, dtype: 'int32' });
    expect(folder.classNames).toEqual(['cat', 'zebra']);
    expect(folder.files).toEqual([
      { path: join(root, 'cat', 'x.jpg'), label: 0 },
      { path: join(root, 'zebra', 'a.PNG'), label: 1 },
      { path: join(root, 'zebra', 'b.png'), label: 1 },
    ]);
    expect(folder.dataset.size).toBe(3);
    await expectNoLeaks(async () => {
      const samples = await folder.dataset.toArray();
      expect(samples.map((s) => [s.label, s.path, s.image.shape])).toEqual([
        [0, join(root, 'cat', 'x.jpg'), [2, 2, 1]],
        [1, join(root, 'zebra', 'a.PNG'), [2, 2, 1]],
        [1, join(root, 'zebra', 'b.png'), [2, 2, 1]],
      ]);
      expect(Array.from(samples[1]!.image.dataSync())).toEqual([20, 20, 20, 20]);
      expect(Math.abs(samples[0]!.image.dataSync()[0]! - 200)).toBeLessThanOrEqual(2); // JPEG
      tf.dispose(samples.map((s) => s.image));
    }, 'folder epoch');
  });

  it('batches into a training pipeline', async () => {
    const folder = await readImageFolder(root, { channels: 1, dtype: 'float32' });
    const batches = await folder.dataset
      .map(({ image, label }) => ({ image, label }))
      .batch(3, { numberDtype: 'int32' })
      .toArray();
    expect(batches[0]!.image.shape).toEqual([3, 2, 2, 1]);
    expect(Array.from(batches[0]!.label.dataSync())).toEqual([0, 1, 1]);
    tf.dispose(batches);
  });

  describe('with bad files', () => {
    let bad: string;
    beforeAll(async () => {
      bad = await mkdtemp(join(tmpdir(), 'tensorloom-bad-'));
      await mkdir(join(bad, 'a'));
      await writeFile(join(bad, 'a', '1.png'), png(1));
      await writeFile(join(bad, 'a', '2.png'), 'a text file renamed .png');
      const full = png(3);
      await writeFile(join(bad, 'a', '3.png'), full.subarray(0, full.length - 20)); // truncated
      await writeFile(join(bad, 'a', '4.png'), png(4));
    });
    afterAll(async () => {
      await rm(bad, { recursive: true, force: true });
    });

    it('fails on a bad file by default, naming it', async () => {
      const folder = await readImageFolder(bad);
      await expect(folder.dataset.toArray()).rejects.toThrow(
        new FormatError(`readImage '${join(bad, 'a', '2.png')}': expected a PNG or JPEG file, got bytes 61 20 74 65 78 74 20 66`),
      );
    });

    it('skips bad files with skipInvalid and counts them per epoch', async () => {
      const seen: string[] = [];
      const folder = await readImageFolder(bad, { skipInvalid: true, onSkip: (e) => seen.push(e.message) });
      await expectNoLeaks(async () => {
        for (let epoch = 0; epoch < 2; epoch++) {
          const samples = await folder.dataset.toArray();
          expect(samples.map((s) => s.path)).toEqual([join(bad, 'a', '1.png'), join(bad, 'a', '4.png')]);
          expect(folder.skipped).toBe(2);
          tf.dispose(samples.map((s) => s.image));
        }
      }, 'skipping epochs');
      expect(seen).toHaveLength(4);
      expect(seen[0]).toContain(join(bad, 'a', '2.png'));
      expect(seen[1]).toContain(`readImage '${join(bad, 'a', '3.png')}': the PNG file is truncated or corrupt`);
    });
  });

  it('rejects a missing folder, a folder without classes and bad options', async () => {
    const missing = join(root, 'nope');
    await expect(readImageFolder(missing)).rejects.toThrow(new FormatError(`readImageFolder '${missing}': cannot read the folder: no such folder`));
    const flat = await mkdtemp(join(tmpdir(), 'tensorloom-flat-'));
    await writeFile(join(flat, 'a.png'), png(1));
    await expect(readImageFolder(flat)).rejects.toThrow(
      new ConfigError(`readImageFolder '${flat}': expected class folders (${flat}/<class>/<image>), got none`),
    );
    await rm(flat, { recursive: true, force: true });
    await expect(readImageFolder(root, { concurrency: 0 })).rejects.toThrow(
      `readImageFolder '${root}': concurrency expected an integer >= 1, got 0`,
    );
  });
});
