// The augmentations inside real Dataset pipelines: the MapContext contract, ownership
// (map disposes what a transform replaced), reproducibility per epoch, and batches.
import { describe, expect, it } from 'vitest';
import { expectNoLeaks, tf } from '@tensorloom/core';
import { Dataset } from '../dataset/dataset.js';
import * as augment from './index.js';
import { alignment, coordinateBatch } from './internal/testing.js';

function samples(n: number): { image: tf.Tensor3D; mask: tf.Tensor2D; label: number }[] {
  const { image, mask } = coordinateBatch(n, 6, 6);
  const images = tf.unstack(image) as tf.Tensor3D[];
  const masks = tf.unstack(mask) as tf.Tensor2D[];
  image.dispose();
  mask.dispose();
  return images.map((img, i) => ({ image: img, mask: masks[i] as tf.Tensor2D, label: i % 3 }));
}

describe('augment in Dataset pipelines', () => {
  it('gives the same elements for the same epoch and different ones for another, without leaks', async () => {
    const source = samples(8);
    const ds = Dataset.from(source)
      .map(augment.compose([augment.randomRotation({ degrees: 30, maskFillValue: -1 }), augment.randomBrightness({ delta: 0.1, clip: null })]))
      .batch(4);
    const read = async (epoch: number): Promise<number[]> => {
      const out: number[] = [];
      await ds.forEachAsync((b) => void out.push(...b.image.dataSync()), { epoch, disposeElements: true });
      return out;
    };
    const a = await expectNoLeaks(() => read(0), 'epoch 0');
    expect(await read(0)).toEqual(a);
    expect(await read(1)).not.toEqual(a);
    for (const s of source) expect(s.image.isDisposed).toBe(false); // the array source stays valid
  });

  it('keeps masks aligned and labels intact through map and batch', async () => {
    const source = samples(6);
    const ds = Dataset.from(source).map(augment.randomZoom({ scale: 0.3, maskFillValue: -1 }), { seed: 3 }).batch(6);
    const [batch] = await ds.toArray();
    if (batch === undefined) throw new Error('no batch');
    const { checkedFraction, worst } = alignment(batch.image, batch.mask, 6);
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-4);
    for (const f of checkedFraction) expect(f).toBeGreaterThan(0.3);
    expect(Array.from(batch.label.dataSync())).toEqual([0, 1, 2, 0, 1, 2]);
    tf.dispose([batch.image, batch.mask, batch.label]);
  });

  it('mixes batches after batching', async () => {
    const source = samples(8).map(({ image, label }) => ({ image, label }));
    const ds = Dataset.from(source).batch(4, { numberDtype: 'int32' }).map(augment.mixup({ alpha: 0.4, numClasses: 3 }));
    const batches = await ds.toArray();
    expect(batches.map((b) => b.label.shape)).toEqual([
      [4, 3],
      [4, 3],
    ]);
    tf.dispose(batches.flatMap((b) => [b.image, b.label]));
  });
});
