// The README's examples, run as tests (keep them in sync).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectNoLeaks, tf } from '@tensorloom/core';
import { BpeTokenizer, Dataset, WordTokenizer, applySplit, randomSplit } from '@tensorloom/data';
import { readCsv, readImageFolder, writePng } from '@tensorloom/data/node';

describe('README examples', () => {
  it('pipelines', async () => {
    await expectNoLeaks(async () => {
      const images = Array.from({ length: 100 }, (_, i) => new Float32Array(16).fill(i / 100));
      const labels = Array.from({ length: 100 }, (_, i) => i % 10);

      const split = randomSplit(images.length, { validation: 0.2 }, { seed: 1 });
      const { train, validation } = applySplit(split, { images, labels });

      const batches = Dataset.zip({ x: Dataset.from(train.images), y: Dataset.from(train.labels) })
        .shuffle(80, { seed: 2 })
        .map(
          ({ x, y }, { rng }) => ({
            x: tf.tidy(() => tf.add(tf.tensor3d(x, [4, 4, 1]), rng.normal(0, 0.01))),
            y,
          }),
          { seed: 3 },
        )
        .batch(16, { numberDtype: 'int32' })
        .prefetch(2);

      let seen = 0;
      for (let epoch = 0; epoch < 2; epoch++) {
        for await (const { x, y } of batches) {
          expect(x.shape).toEqual([16, 4, 4, 1]);
          expect(y.dtype).toBe('int32');
          seen++;
          tf.dispose([x, y]);
        }
      }
      expect(seen).toBe(10);
      expect([batches.size, validation.images.length]).toEqual([5, 20]);
    }, 'README pipeline');
  });

  it('text', () => {
    const words = WordTokenizer.fit(['The cat sat.', 'The dog ran!'], { lowercase: true, minFrequency: 1 });
    const ids = words.encode('the cat ran', { addEnd: true });
    expect(ids[ids.length - 1]).toBe(3);
    const bpe = BpeTokenizer.train(['low lower lowest', 'new newer newest'], { vocabSize: 60 });
    expect(bpe.decode(bpe.encode('newer lowest'))).toBe('newer lowest');
    const saved = JSON.stringify(bpe);
    expect(BpeTokenizer.fromJSON(JSON.parse(saved)).decode(bpe.encode('lower'))).toBe('lower');
  });

  it('files', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tensorloom-readme-'));
    try {
      for (const [cls, value] of [['a', 0.2], ['b', 0.8]] as const) {
        await mkdir(join(root, 'train', cls), { recursive: true });
        const image = tf.fill([4, 4, 1], value);
        await writePng(join(root, 'train', cls, '0.png'), image);
        image.dispose();
      }
      await writeFile(join(root, 'train', 'b', 'broken.png'), 'oops');
      await writeFile(join(root, 'table.csv'), 'x,label\n0.5,1\n0.25,0\n');
      await expectNoLeaks(async () => {
        const folder = await readImageFolder(join(root, 'train'), { channels: 1, dtype: 'float32', skipInvalid: true });
        expect(folder.classNames).toEqual(['a', 'b']);
        const batches = folder.dataset
          .shuffle(1000, { seed: 1 })
          .map(({ image, label }) => ({ image, label }))
          .batch(32, { numberDtype: 'int32' });
        const [batch] = await batches.toArray();
        expect(batch!.image.shape).toEqual([2, 4, 4, 1]);
        expect(folder.skipped).toBe(1);
        tf.dispose(batch);
        const rows = await readCsv(join(root, 'table.csv'), { columns: { label: 'int' } }).ignoreErrors().toArray();
        expect(rows).toEqual([
          { x: 0.5, label: 1 },
          { x: 0.25, label: 0 },
        ]);
      }, 'README files');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
