// What Module.apply checks before a layer computes: the input's structure (a tensor, a list or
// a record of tensors), its dtype (one rule for every layer), and, for Sequential, the built
// input shape; and the rank-1 Dense message.
import { DTypeError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import {
  Add,
  BatchNorm,
  Conv1D,
  Conv2D,
  Dense,
  Dropout,
  Embedding,
  Flatten,
  GRU,
  LayerNorm,
  LSTM,
  MaxPool2D,
  MultiHeadAttention,
  Sequential,
  TransformerEncoderLayer,
} from '../index.js';
import type { Module, TensorTree } from '../index.js';

const ints = [
  [1, 0, 2, 3],
  [0, 1, 1, 2],
];

// [label, a built module, an input of integers as a float32 tensor or tree of them]
type Case = [string, () => Module<TensorTree, TensorTree>, () => TensorTree];
const families: Case[] = [
  ['Dense', () => new Dense({ units: 3 }).build([null, 4], rng(1)) as never, () => tf.tensor2d(ints)],
  ['Conv2D', () => new Conv2D({ filters: 2, kernelSize: 2 }).build([null, 2, 4, 1], rng(1)) as never, () => tf.tensor4d(ints.flat(), [1, 2, 4, 1])],
  ['Conv1D', () => new Conv1D({ filters: 2, kernelSize: 2 }).build([null, 4, 2], rng(1)) as never, () => tf.tensor3d(ints.flat(), [1, 4, 2])],
  ['MaxPool2D', () => new MaxPool2D({ poolSize: 2 }) as never, () => tf.tensor4d(ints.flat(), [1, 2, 4, 1])],
  ['BatchNorm', () => new BatchNorm().build([null, 4], rng(1)) as never, () => tf.tensor2d(ints)],
  ['LayerNorm', () => new LayerNorm().build([null, 4], rng(1)) as never, () => tf.tensor2d(ints)],
  ['LSTM', () => new LSTM({ units: 2 }).build([null, 4, 2], rng(1)) as never, () => tf.tensor3d(ints.flat(), [1, 4, 2])],
  ['GRU', () => new GRU({ units: 2 }).build([null, 4, 2], rng(1)) as never, () => tf.tensor3d(ints.flat(), [1, 4, 2])],
  ['Dropout', () => new Dropout({ rate: 0.5 }) as never, () => tf.tensor2d(ints)],
  ['Add', () => new Add() as never, () => [tf.tensor2d(ints), tf.tensor2d(ints)]],
  [
    'MultiHeadAttention',
    () => new MultiHeadAttention({ numHeads: 1, keyDim: 2 }).build({ query: [null, 2, 4], value: [null, 2, 4] }, rng(1)) as never,
    () => ({ query: tf.tensor3d(ints.flat(), [1, 2, 4]), value: tf.tensor3d(ints.flat(), [1, 2, 4]) }),
  ],
  [
    'TransformerEncoderLayer',
    () => new TransformerEncoderLayer({ numHeads: 1, dimFeedforward: 4, dropout: 0 }).build([null, 2, 4], rng(1)) as never,
    () => tf.tensor3d(ints.flat(), [1, 2, 4]),
  ],
  [
    'Sequential',
    () => new Sequential([new Conv2D({ filters: 2, kernelSize: 2 }), new Flatten(), new Dense({ units: 2 })]).build([null, 2, 4, 1], rng(1)) as never,
    () => tf.tensor4d(ints.flat(), [1, 2, 4, 1]),
  ],
];

function mapTree(tree: TensorTree, f: (t: tf.Tensor) => tf.Tensor): TensorTree {
  if (tree instanceof tf.Tensor) return f(tree);
  if (Array.isArray(tree)) return tree.map(f);
  return Object.fromEntries(Object.entries(tree as Record<string, tf.Tensor>).map(([k, v]) => [k, f(v)]));
}

function valuesOf(tree: TensorTree): number[][] {
  const list = tree instanceof tf.Tensor ? [tree] : Array.isArray(tree) ? tree : Object.values(tree as Record<string, tf.Tensor>);
  return list.map((t) => Array.from(t.dataSync()));
}

describe('the dtype rule of Module.apply', () => {
  it.each(families)('%s: int32 and bool inputs are cast to float32 and give the float32 result', async (_label, make, input) => {
    const m = make();
    const floats = input();
    const asInt = mapTree(floats, (t) => tf.cast(t, 'int32'));
    const asBool = mapTree(floats, (t) => tf.cast(t, 'bool'));
    const boolsAsFloat = mapTree(asBool, (t) => tf.cast(t, 'float32'));
    const expected = m.apply(floats) as TensorTree;
    const expectedBool = m.apply(boolsAsFloat) as TensorTree;
    await expectNoLeaks(() => {
      const a = m.apply(asInt) as TensorTree;
      const b = m.apply(asBool) as TensorTree;
      expect(valuesOf(a)).toEqual(valuesOf(expected));
      expect(valuesOf(b)).toEqual(valuesOf(expectedBool));
      expect((a instanceof tf.Tensor ? a : Object.values(a)[0]!).dtype).toBe('float32');
      tf.dispose([a, b] as never);
    }, 'apply with a cast');
    tf.dispose([floats, asInt, asBool, boolsAsFloat, expected, expectedBool] as never);
    m.dispose();
  });

  it.each(families)('%s: a string tensor is a DTypeError naming the layer and the dtype', async (_label, make, input) => {
    const m = make();
    const floats = input();
    const strings = mapTree(floats, (t) => tf.tensor(Array.from(t.dataSync(), String), t.shape, 'string'));
    await expectNoLeaks(() => {
      expect(() => m.apply(strings)).toThrowError(DTypeError);
    }, 'rejected string input');
    const arg = floats instanceof tf.Tensor ? 'input' : Array.isArray(floats) ? 'input[0]' : 'input.query';
    expect(() => m.apply(strings)).toThrowError(`${m.label}: ${arg} dtype expected float32, int32 or bool, got string`);
    tf.dispose([floats, strings] as never);
    m.dispose();
  });

  it('Embedding takes its integer ids as they are, and rejects strings too', () => {
    const emb = new Embedding({ inputDim: 4, outputDim: 2 }).build([null, 3], rng(1));
    const ids = tf.tensor2d([[0, 3, 1]], undefined, 'int32');
    const out = emb.apply(ids);
    expect(out.shape).toEqual([1, 3, 2]);
    const table = emb.parameters().embeddings!.arraySync() as number[][];
    expect(out.arraySync()).toEqual([[table[0], table[3], table[1]]]);
    const strings = tf.tensor2d([['0', '3', '1']], undefined, 'string');
    expect(() => emb.apply(strings)).toThrowError("Embedding 'embedding': input dtype expected float32, int32 or bool, got string");
    tf.dispose([ids, out, strings]);
    emb.dispose();
  });

  it('shape layers keep the dtype: Flatten of int32 ids feeds an Embedding unchanged', () => {
    const model = new Sequential([new Flatten(), new Embedding({ inputDim: 5, outputDim: 2 })]).build([null, 2, 2], rng(3));
    const ids = tf.tensor3d([[[1, 4], [0, 2]]], undefined, 'int32');
    const flat = new Flatten().apply(ids);
    expect(flat.dtype).toBe('int32');
    expect(model.apply(ids).shape).toEqual([1, 4, 2]);
    tf.dispose([ids, flat]);
    model.dispose();
  });
});

describe('Module.apply with something that is not a tensor tree', () => {
  const dense = new Dense({ units: 2 }).build([null, 3], rng(1));
  const head = "Dense 'dense': input expected a tensor, a list or a record of tensors, got";
  it.each([
    ['a nested plain array', [[1, 2, 3]], `${head} an array holding an array at [0]`],
    ['undefined', undefined, `${head} undefined`],
    ['null', null, `${head} null`],
    ['a number', 3, `${head} number 3`],
    ['a string', 'x', `${head} string 'x'`],
    ['a record with a plain array', { x: [1, 2, 3] }, `${head} a record holding an array at 'x'`],
  ])('%s says what it expected and what it got', (_label, input, message) => {
    let thrown: unknown;
    try {
      dense.apply(input as never);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ShapeError);
    expect((thrown as Error).message).toBe(`${message}\nhelp: wrap plain arrays in a tensor first, e.g. layer.apply(tf.tensor2d([[1, 2, 3]]))`);
  });

  it('a disposed tensor says so', () => {
    const x = tf.ones([1, 3]);
    x.dispose();
    expect(() => dense.apply(x)).toThrowError("Dense 'dense': input expected a live tensor, got a disposed one");
  });

  it('an unbuilt layer gives the same message, and builds nothing', () => {
    const fresh = new Dense({ units: 2 });
    expect(() => fresh.apply(undefined as never)).toThrowError(`${head} undefined`);
    expect(fresh.built).toBe(false);
  });
});

describe('input shapes', () => {
  it('a rank-1 input to Dense says the batch axis is missing', () => {
    const dense = new Dense({ units: 10 }).build([null, 784], rng(1));
    const x = tf.zeros([784]);
    expect(() => dense.apply(x)).toThrowError(
      new ShapeError("Dense 'dense': input expected rank >= 2 [batch, ..., features], got shape [784]", {
        help: 'add the batch axis, e.g. x.expandDims(0) for one sample',
      }),
    );
    x.dispose();
    dense.dispose();
  });

  it('Sequential checks the input against its built shape first and names the model', async () => {
    const model = new Sequential(
      [new Conv2D({ filters: 2, kernelSize: 3 }), new MaxPool2D({ poolSize: 2 }), new Flatten(), new Dense({ units: 10 })],
      { name: 'mnist-cnn' },
    ).build([null, 28, 28, 1], rng(1));
    const wrong = tf.zeros([8, 32, 32, 1]);
    await expectNoLeaks(() => {
      expect(() => model.apply(wrong)).toThrowError(
        new ShapeError("Sequential 'mnist-cnn': input axis 1 expected 28, got shape [8, 32, 32, 1]", {
          help: 'the model was built for [null, 28, 28, 1]; build it with null for the axes that vary',
        }),
      );
    }, 'rejected input');
    const rank3 = tf.zeros([8, 28, 28]);
    expect(() => model.apply(rank3)).toThrowError("Sequential 'mnist-cnn': input expected rank 4 like [null, 28, 28, 1], got [8, 28, 28]");
    const ok = tf.zeros([2, 28, 28, 1]);
    const y = model.apply(ok);
    expect(y.shape).toEqual([2, 10]);
    tf.dispose([wrong, rank3, ok, y]);
    model.dispose();
  });

  it('Sequential built with null axes takes any size there', () => {
    const model = new Sequential([new Conv1D({ filters: 2, kernelSize: 2 })]).build([null, null, 3], rng(1));
    for (const t of [4, 7]) {
      const x = tf.zeros([1, t, 3]);
      const y = model.apply(x);
      expect(y.shape).toEqual([1, t - 1, 2]);
      tf.dispose([x, y]);
    }
    model.dispose();
  });
});
