// The contract with the augmentation module: transforms plug into Dataset.map directly.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import * as augment from '../augment/index.js';
import { Dataset } from './dataset.js';

/** Four 2×3 single-channel images with distinct values (the pipeline owns them). */
function images(): Dataset<tf.Tensor3D> {
  return Dataset.from(function* () {
    for (let i = 0; i < 4; i++) yield tf.tensor3d(Array.from({ length: 6 }, (_, j) => 10 * i + j), [2, 3, 1]);
  });
}

describe('Dataset.map with augment transforms', () => {
  it('applies a transform with the context rng, leaking nothing', async () => {
    const flip = augment.randomFlip({ horizontal: true });
    const ds = images().map(flip, { seed: 5 });
    expectTypeOf(ds).toEqualTypeOf<Dataset<tf.Tensor3D>>();
    await expectNoLeaks(async () => {
      const out = await ds.toArray();
      // the same transform called directly with rng(seed).fold(epoch).fold(index)
      const inputs = await images().toArray();
      const expected = inputs.map((x, i) => flip(x, rng(5).fold(0).fold(i)));
      expect(out.map((t) => Array.from(t.dataSync()))).toEqual(expected.map((t) => Array.from(t.dataSync())));
      tf.dispose([out, inputs, expected]);
    }, 'augment in map');
  });

  it('moves object samples through a chain, batches them, and differs between epochs', async () => {
    const ds = images()
      .map((image, { index }) => ({ image, label: index }))
      .map(augment.randomFlip({ horizontal: true, vertical: true }), { seed: 1 })
      .batch(4, { numberDtype: 'int32' });
    expectTypeOf(ds).toEqualTypeOf<Dataset<{ image: tf.Tensor4D; label: tf.Tensor1D }>>();
    await expectNoLeaks(async () => {
      const epochs: number[][] = [];
      for (let e = 0; e < 3; e++) {
        const [batch] = await ds.toArray();
        expect(batch!.image.shape).toEqual([4, 2, 3, 1]);
        expect(Array.from(batch!.label.dataSync())).toEqual([0, 1, 2, 3]);
        epochs.push(Array.from(batch!.image.dataSync()));
        tf.dispose(batch);
      }
      expect(epochs[1]).not.toEqual(epochs[0]); // new flips each epoch (fold(epoch))
      expect(epochs[2]).not.toEqual(epochs[1]);
    }, 'augmented epochs');
  });
});
