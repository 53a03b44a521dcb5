import { describe, expect, it } from 'vitest';
import { expectNoLeaks, tf } from '@tensorloom/core';
import { pad } from './pad.js';
import { coordinateBatch } from '../internal/testing.js';

describe('pad', () => {
  const row = (): tf.Tensor3D => tf.tensor3d([1, 2, 3], [1, 3, 1]);

  it.each([
    ['constant', { mode: 'constant' as const, value: 9 }, [9, 9, 1, 2, 3, 9, 9]],
    ['reflect (dcb|abcd|cba)', { mode: 'reflect' as const }, [3, 2, 1, 2, 3, 2, 1]],
    ['symmetric (cba|abcd|dcb)', { mode: 'symmetric' as const }, [2, 1, 1, 2, 3, 3, 2]],
  ])('pads a row by 2 on each side, %s', (_, options, expected) => {
    const out = pad({ padding: [0, 2], ...options })(row());
    expect(out.shape).toEqual([1, 7, 1]);
    expect(Array.from(out.dataSync())).toEqual(expected);
  });

  it('pads [top, bottom, left, right] and fills the mask with maskValue', () => {
    const out = pad({ padding: [1, 0, 0, 2], value: 0.5, maskValue: 255 })({
      image: tf.tensor3d([1, 2], [1, 2, 1]),
      mask: tf.tensor3d([4, 5], [1, 2, 1], 'int32'),
      label: 'kept',
    });
    expect(out.image.arraySync()).toEqual([[[0.5], [0.5], [0.5], [0.5]], [[1], [2], [0.5], [0.5]]]);
    expect(out.mask.arraySync()).toEqual([[[255], [255], [255], [255]], [[4], [5], [255], [255]]]);
    expect(out.mask.dtype).toBe('int32');
    expect(out.label).toBe('kept');
  });

  it('mirrors a batch and its masks the same way', () => {
    const { image, mask } = coordinateBatch(2, 3, 3);
    const out = pad({ padding: 2, mode: 'reflect' })({ image, mask });
    expect(out.image.shape).toEqual([2, 7, 7, 3]);
    const img = out.image.dataSync();
    const ids = out.mask.dataSync();
    for (let p = 0; p < ids.length; p++) {
      expect((img[p * 3] as number) * 3 + (img[p * 3 + 1] as number)).toBe(ids[p]);
    }
  });

  it('checks its configuration when made and the image size when called', () => {
    expect(() => pad({ padding: -1 })).toThrow(
      'pad: padding expected an integer >= 0, a [y, x] pair or a [top, bottom, left, right] list of them, got -1',
    );
    expect(() => pad({ padding: [1, 2, 3] as unknown as [number, number] })).toThrow(
      'pad: padding expected an integer >= 0, a [y, x] pair or a [top, bottom, left, right] list of them, got [1, 2, 3]',
    );
    expect(() => pad({ padding: 1, mode: 'edge' as 'reflect' })).toThrow(
      "pad: mode expected one of 'constant', 'reflect', 'symmetric', got 'edge'",
    );
    expect(() => pad({ padding: [0, 3], mode: 'reflect' })(row())).toThrow(
      "pad: image expected height and width > the padding [0, 0, 3, 3] for mode 'reflect', got shape [1, 3, 1]",
    );
  });

  it('does not leak', async () => {
    const { image, mask } = coordinateBatch(2, 3, 3);
    await expectNoLeaks(() => pad({ padding: 1, mode: 'symmetric' })({ image, mask }), 'pad');
  });
});
