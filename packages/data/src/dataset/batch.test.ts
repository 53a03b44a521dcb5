import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, expectNoLeaks, tf } from '@tensorloom/core';
import { Dataset } from './dataset.js';

/** Runs one epoch, returns the batches as plain values and disposes them. */
async function values(ds: Dataset<unknown>): Promise<unknown[]> {
  const out = await ds.toArray();
  const plain = out.map(toPlain);
  tf.dispose(out as tf.TensorContainer);
  return plain;
}

function toPlain(v: unknown): unknown {
  if (v instanceof tf.Tensor) return { dtype: v.dtype, shape: v.shape, data: Array.from(v.dataSync()) };
  if (Array.isArray(v)) return v.map(toPlain);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  }
  return v;
}

describe('Dataset.batch', () => {
  it('stacks numbers, booleans, strings and tensors in objects and tuples', async () => {
    const ds = Dataset.from([
      { x: [1, 2], y: 0, ok: true, name: 'a', pair: [3, 'p'] },
      { x: [3, 4], y: 1, ok: false, name: 'b', pair: [4, 'q'] },
    ]).map(({ x, ...rest }) => ({ x: tf.tensor1d(x), ...rest }));
    expect(await values(ds.batch(2))).toEqual([
      {
        x: { dtype: 'float32', shape: [2, 2], data: [1, 2, 3, 4] },
        y: { dtype: 'float32', shape: [2], data: [0, 1] },
        ok: { dtype: 'bool', shape: [2], data: [1, 0] },
        name: ['a', 'b'],
        pair: [{ dtype: 'float32', shape: [2], data: [3, 4] }, ['p', 'q']],
      },
    ]);
  });

  it('makes int32 labels with numberDtype int32 and rejects fractions there', async () => {
    expect(await values(Dataset.from([3, 1, 2]).batch(3, { numberDtype: 'int32' }))).toEqual([
      { dtype: 'int32', shape: [3], data: [3, 1, 2] },
    ]);
    const bad = Dataset.from([{ label: 1 }, { label: 1.5 }]).batch(2, { numberDtype: 'int32' });
    await expect(bad.toArray()).rejects.toThrow(
      new DTypeError("Dataset.batch: element 1 at 'label' expected an integer for numberDtype 'int32', got 1.5"),
    );
  });

  it('keeps a short last batch unless dropRemainder, and computes the size', async () => {
    const ds = Dataset.range(7);
    expect(ds.batch(3).size).toBe(3);
    expect(ds.batch(3, { dropRemainder: true }).size).toBe(2);
    expect(Dataset.range(6).batch(3, { dropRemainder: true }).size).toBe(2);
    expect(ds.filter(() => true).batch(3).size).toBeNull();
    expect(ds.repeat().batch(3).size).toBe(Infinity);
    const kept = (await values(ds.batch(3))) as { data: number[] }[];
    expect(kept.map((b) => b.data)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    const dropped = (await values(ds.batch(3, { dropRemainder: true }))) as { data: number[] }[];
    expect(dropped.map((b) => b.data)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(await values(Dataset.from<number>([]).batch(2))).toEqual([]);
  });

  it('pads variable-length tensors with padValue, at the end of every axis', async () => {
    const ds = Dataset.from([
      [[1, 2]],
      [
        [3, 4, 5],
        [6, 7, 8],
      ],
    ]).map((rows) => tf.tensor2d(rows, undefined, 'int32'));
    expect(await values(ds.batch(2, { padValue: -1 }))).toEqual([
      { dtype: 'int32', shape: [2, 2, 3], data: [1, 2, -1, -1, -1, -1, 3, 4, 5, 6, 7, 8] },
    ]);
  });

  it('pads sequences to padTo, with 0 by default, and rejects longer ones', async () => {
    const ds = Dataset.from([[1], [2, 3]]).map((s) => tf.tensor1d(s));
    expect(await values(ds.batch(2, { padTo: 4 }))).toEqual([
      { dtype: 'float32', shape: [2, 4], data: [1, 0, 0, 0, 2, 3, 0, 0] },
    ]);
    await expect(ds.batch(2, { padTo: 1 }).toArray()).rejects.toThrow(
      new ShapeError('Dataset.batch: element 1 axis 0 expected at most padTo 1, got shape [2]', {
        help: 'truncate long sequences first (augment has sequence truncation)',
      }),
    );
  });

  it('pads typed-array sequences straight into a [batch, length] tensor', async () => {
    const ids = Dataset.from([new Int32Array([5, 6, 7]), new Int32Array([8])]);
    expect(await values(ids.batch(2, { padValue: 0 }))).toEqual([
      { dtype: 'int32', shape: [2, 3], data: [5, 6, 7, 8, 0, 0] },
    ]);
    expect(await values(ids.batch(2, { padValue: 9, padTo: 5 }))).toEqual([
      { dtype: 'int32', shape: [2, 5], data: [5, 6, 7, 9, 9, 8, 9, 9, 9, 9] },
    ]);
    const floats = Dataset.from([new Float32Array([0.5, 1]), new Float32Array([2, 3])]);
    expect(await values(floats.batch(2))).toEqual([{ dtype: 'float32', shape: [2, 2], data: [0.5, 1, 2, 3] }]);
    await expect(ids.batch(2).toArray()).rejects.toThrow(
      new ShapeError('Dataset.batch: element 1 expected length 3 like element 0, got 1', {
        help: 'pass { padValue: 0 } (and optionally padTo) to pad variable-length sequences',
      }),
    );
    await expect(ids.batch(2, { padTo: 2 }).toArray()).rejects.toThrow(
      'Dataset.batch: element 0 length expected at most padTo 2, got 3',
    );
    const mixed = Dataset.from<Int32Array | Float32Array>([new Int32Array(1), new Float32Array(1)]);
    await expect(mixed.batch(2).toArray()).rejects.toThrow(
      new DTypeError('Dataset.batch: element 1 expected a Int32Array like element 0, got Float32Array'),
    );
  });

  it('pads only the leaves named in per-path options', async () => {
    const ds = Dataset.from([
      { ids: new Int32Array([1, 2]), mask: new Int32Array([1, 1]) },
      { ids: new Int32Array([3]), mask: new Int32Array([1]) },
    ]);
    expect(await values(ds.batch(2, { padValue: { ids: 0, mask: 0 }, padTo: { ids: 3 } }))).toEqual([
      {
        ids: { dtype: 'int32', shape: [2, 3], data: [1, 2, 0, 3, 0, 0] },
        mask: { dtype: 'int32', shape: [2, 2], data: [1, 1, 1, 0] },
      },
    ]);
    await expect(ds.batch(2, { padValue: { ids: 0 } }).toArray()).rejects.toThrow(
      "Dataset.batch: element 1 at 'mask' expected length 2 like element 0, got 1",
    );
  });

  it('names the element and leaf that do not match', async () => {
    const shapes = Dataset.from([[1, 2], [3]]).map((s) => ({ x: tf.tensor1d(s) }));
    await expect(shapes.batch(2).toArray()).rejects.toThrow(
      new ShapeError("Dataset.batch: element 1 at 'x' expected shape [2] like element 0, got [1]", {
        help: 'pass { padValue: 0 } (and optionally padTo) to pad variable-length elements',
      }),
    );
    const ranks = Dataset.from(() => [tf.zeros([2]), tf.zeros([2, 1])]);
    await expect(ranks.batch(2).toArray()).rejects.toThrow(
      'Dataset.batch: element 1 expected rank 1 like element 0, got shape [2, 1]',
    );
    const dtypes = Dataset.from(() => [tf.zeros([2]), tf.zeros([2], 'int32')]);
    await expect(dtypes.batch(2).toArray()).rejects.toThrow(
      'Dataset.batch: element 1 dtype expected float32 like element 0, got int32',
    );
    const kinds = Dataset.from<{ y: number | string }>([{ y: 1 }, { y: 'a' }]);
    await expect(kinds.batch(2).toArray()).rejects.toThrow(
      "Dataset.batch: element 1 at 'y' expected a number like element 0, got a string",
    );
    const keys = Dataset.from<Record<string, number>>([{ a: 1 }, { b: 1 }]);
    await expect(keys.batch(2).toArray()).rejects.toThrow('Dataset.batch: element 1 expected keys [a] like element 0, got [b]');
    const tuples = Dataset.from([[1, 2], [1]]);
    await expect(tuples.batch(2).toArray()).rejects.toThrow(
      'Dataset.batch: element 1 expected an array of length 2 like element 0, got length 1',
    );
  });

  it('validates its options when given', () => {
    const ds = Dataset.range(3);
    expect(() => ds.batch(0)).toThrow('Dataset.batch: batchSize expected an integer >= 1, got 0');
    expect(() => ds.batch(2, { padTo: 0 })).toThrow('Dataset.batch: padTo expected an integer >= 1, got 0');
    expect(() => ds.batch(2, { padTo: { ids: 2.5 } })).toThrow('Dataset.batch: padTo expected an integer >= 1, got 2.5');
    expect(() => ds.batch(2, { padValue: Number.NaN })).toThrow('Dataset.batch: padValue expected a number, got NaN');
    expect(() => ds.batch(2, { numberDtype: 'int8' as 'int32' })).toThrow(
      "Dataset.batch: numberDtype expected 'float32' or 'int32', got 'int8'",
    );
  });

  it('leaks nothing, also when a batch fails to assemble', async () => {
    await expectNoLeaks(async () => {
      const ds = Dataset.from(function* () {
        for (let i = 0; i < 5; i++) yield { x: tf.fill([2], i), y: i };
      });
      const out = await ds.batch(2).toArray();
      tf.dispose(out);
    }, 'batch epoch');
    await expectNoLeaks(async () => {
      const ds = Dataset.from(function* () {
        yield { a: tf.zeros([2]), b: tf.zeros([1]) };
        yield { a: tf.zeros([2]), b: tf.zeros([3]) }; // b differs: a is stacked, then b fails
      });
      await expect(ds.batch(2).toArray()).rejects.toThrow(ShapeError);
    }, 'failed batch');
  });
});

describe('Dataset.unbatch', () => {
  it('splits batches back into the elements batch made', async () => {
    const elements = [
      { x: [1, 2], y: 0, name: 'a' },
      { x: [3, 4], y: 1, name: 'b' },
      { x: [5, 6], y: 2, name: 'c' },
    ];
    const ds = Dataset.from(elements)
      .map(({ x, ...rest }) => ({ x: tf.tensor1d(x), ...rest }))
      .batch(2)
      .unbatch();
    const out = await values(ds);
    expect(out).toEqual(
      elements.map(({ x, y, name }) => ({
        x: { dtype: 'float32', shape: [2], data: x },
        y: { dtype: 'float32', shape: [], data: [y] },
        name,
      })),
    );
  });

  it('splits typed arrays and tuples of tensors', async () => {
    const ds = Dataset.from(() => [[tf.tensor2d([[1], [2]]), new Int32Array([7, 8])] as const]).unbatch();
    expect(await values(ds)).toEqual([
      [{ dtype: 'float32', shape: [1], data: [1] }, 7],
      [{ dtype: 'float32', shape: [1], data: [2] }, 8],
    ]);
  });

  it('rejects batches without a common batch axis', async () => {
    const sizes = Dataset.from(() => [{ a: tf.zeros([2, 1]), b: tf.zeros([3]) }]);
    await expect(sizes.unbatch().toArray()).rejects.toThrow(
      new ShapeError("Dataset.unbatch: 'b' batch size expected 2 like 'a', got 3"),
    );
    const scalar = Dataset.from(() => [tf.scalar(1)]);
    await expect(scalar.unbatch().toArray()).rejects.toThrow('Dataset.unbatch: the batch expected a tensor with a batch axis, got shape []');
    const plain = Dataset.from([{ a: 5 }]);
    await expect(plain.unbatch().toArray()).rejects.toThrow(
      "Dataset.unbatch: 'a' expected a tensor, array or object with a batch axis, got a number",
    );
  });
});
