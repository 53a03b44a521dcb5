import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { rng, tf } from '@tensorloom/core';
import {
  Add, Bidirectional, Concatenate, Dense, Embedding, GlobalAvgPool1D, GlobalMaxPool1D, GRU, LSTM, Module, MultiHeadAttention, Multiply, Sequential,
  SimpleRNN, TransformerDecoderLayer, TransformerEncoderLayer,
} from '@tensorloom/layers';
import type { ApplyOptions, Shape } from '@tensorloom/layers';
import { exportOnnx, registerOnnxConverter } from '@tensorloom/interop';
import { dumpOnnx, maxExcess, randomizeState } from '../internal/testing.js';

/** Runs a graph on named inputs (float32 or int32) and returns its single output. */
async function runFeeds(bytes: Uint8Array, feeds: Record<string, tf.Tensor>): Promise<tf.Tensor> {
  const session = await ort.InferenceSession.create(bytes);
  const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [
    k,
    t.dtype === 'int32'
      ? new ort.Tensor('int32', Int32Array.from(t.dataSync() as Int32Array), t.shape)
      : new ort.Tensor('float32', Float32Array.from(t.dataSync() as Float32Array), t.shape),
  ]));
  const result = await session.run(ortFeeds);
  const out = result[session.outputNames[0]!]!;
  const y = tf.tensor(out.data as Float32Array, out.dims as number[]);
  await session.release();
  return y;
}

/** Expects the graph's output on `feeds` to equal `expected` (atol 1e-5, rtol 1e-4); disposes both. */
async function expectClose(bytes: Uint8Array, feeds: Record<string, tf.Tensor>, expected: tf.Tensor): Promise<void> {
  const got = await runFeeds(bytes, feeds);
  expect(got.shape).toEqual(expected.shape);
  expect(maxExcess(got, expected, 1e-4)).toBeLessThanOrEqual(1e-5);
  tf.dispose([got, expected]);
}

/** A 0/1 padding mask `[b, t]`: row i keeps its first t - (i mod t) steps (row 0 unpadded). */
const padding = (b: number, t: number): tf.Tensor =>
  tf.tensor2d(Array.from({ length: b * t }, (_, k) => (k % t < t - (Math.floor(k / t) % t) ? 1 : 0)), [b, t]);

/** Token ids `[b, t]` in [1, vocab) with trailing pad id 0 as {@link padding}, and one row padded in the middle. */
function paddedIds(b: number, t: number, vocab: number): tf.Tensor {
  const m = padding(b, t).dataSync();
  const ids = Array.from({ length: b * t }, (_, k) => (m[k] ? 1 + ((k * 7 + 3) % (vocab - 1)) : 0));
  if (b > 2 && t > 2) ids[2 * t + 1] = 0; // a pad inside row 2
  return tf.tensor2d(ids, [b, t], 'int32');
}

describe('exportOnnx: MultiHeadAttention with named inputs, masks and a causal mask', () => {
  const shapes: { query: Shape; value: Shape } = { query: [null, null, 8], value: [null, null, 6] };

  it('query and value of different lengths (dynamic), a key padding mask and a full mask', async () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 3, name: 'mha' }).build(shapes, rng(1));
    randomizeState(mha, 2);
    const bytes = exportOnnx(mha, { inputShape: shapes, masks: { keyMask: [null, null], attentionMask: [null, null, null] } });
    dumpOnnx('MultiHeadAttention masks', bytes);
    for (const [b, t, s] of [[1, 3, 4], [3, 5, 2]] as const) {
      const query = rng(3).normalTensor([b, t, 8]);
      const value = rng(4).normalTensor([b, s, 6]);
      // Row 1 (when there is one) has no key at all: the library gives it zeros, so must the graph.
      const keyMask = tf.tidy(() => tf.mul(padding(b, s), tf.tensor2d(Array.from({ length: b }, (_, i) => (i === 1 ? 0 : 1)), [b, 1])));
      const attentionMask = tf.tensor3d(Array.from({ length: b * t * s }, (_, k) => ((k * 5) % 7 < 5 ? 1 : 0)), [b, t, s]);
      const expected = mha.apply({ query, value }, { keyMask, attentionMask });
      await expectClose(bytes, { query, value, keyMask, attentionMask }, expected);
      tf.dispose([query, value, keyMask, attentionMask]);
    }
    mha.dispose();
  });

  it('separate keys, and the causal mask built in the graph for any length', async () => {
    const three: { query: Shape; key: Shape; value: Shape } = { query: [null, null, 4], key: [null, null, 5], value: [null, null, 3] };
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 2, valueDim: 3, outputDim: 5 }).build(three, rng(1));
    randomizeState(mha, 5);
    const bytes = exportOnnx(mha, { inputShape: three, causal: true });
    dumpOnnx('MultiHeadAttention causal', bytes);
    for (const [b, t] of [[1, 2], [2, 5]] as const) {
      const query = rng(6).normalTensor([b, t, 4]);
      const key = rng(7).normalTensor([b, t, 5]);
      const value = rng(8).normalTensor([b, t, 3]);
      await expectClose(bytes, { query, key, value }, mha.apply({ query, key, value }, { useCausalMask: true }));
      tf.dispose([query, key, value]);
    }
    mha.dispose();
  });

  it('names a missing input and a mask option the model does not take', () => {
    const mha = new MultiHeadAttention({ numHeads: 2, name: 'mha' }).build(shapes, rng(1));
    expect(() => exportOnnx(mha, { inputShape: { query: [null, null, 8] } })).toThrowError(
      "exportOnnx: layer 'mha' (MultiHeadAttention) expected the inputs query, value, key?, got the inputs query",
    );
    const dense = new Dense({ units: 2, name: 'fc' }).build([null, 3]);
    expect(() => exportOnnx(dense, { inputShape: { a: [null, 3] } })).toThrowError("exportOnnx: layer 'fc' (Dense) expected one input, got the inputs a");
    expect(() => exportOnnx(dense, { inputShape: [null, 3], causal: true })).toThrowError("exportOnnx: causal expected a MultiHeadAttention model, got Dense 'fc'");
    expect(() => exportOnnx(mha, { inputShape: shapes, masks: { memoryMask: [null, null] } })).toThrowError(
      "exportOnnx: model MultiHeadAttention 'mha' does not take the mask option memoryMask",
    );
    expect(() => exportOnnx(mha, { inputShape: shapes, masks: { padding: [null, null] } })).toThrowError(
      "exportOnnx: masks expected options among mask, keyMask, attentionMask, memoryMask, got 'padding'",
    );
    mha.dispose();
    dense.dispose();
  });
});

/** A subclassed model with two inputs: towers, Add, Multiply and Concatenate, a head. */
class TwoTower extends Module<{ a: tf.Tensor; b: tf.Tensor }, tf.Tensor> {
  readonly fa = this.addModule('fa', new Dense({ name: 'fa', units: 4, activation: 'tanh' }));
  readonly fb = this.addModule('fb', new Dense({ name: 'fb', units: 4 }));
  readonly add = this.addModule('add', new Add({ name: 'add' }));
  readonly mul = this.addModule('mul', new Multiply({ name: 'mul' }));
  readonly join = this.addModule('join', new Concatenate({ name: 'join' }));
  readonly head = this.addModule('head', new Dense({ name: 'head', units: 2 }));

  protected override onBuild(shape: { a: Shape; b: Shape }): void {
    this.fa.build(shape.a);
    this.fb.build(shape.b);
    this.head.build([null, 12]);
  }

  override outputShape(shape: { a: Shape; b: Shape }): Shape {
    return [shape.a[0] ?? null, 2];
  }

  protected call({ a, b }: { a: tf.Tensor; b: tf.Tensor }, _options: ApplyOptions): tf.Tensor {
    return tf.tidy(() => {
      const [x, y] = [this.fa.apply(a), this.fb.apply(b)];
      return this.head.apply(this.join.apply([this.add.apply([x, y]), this.mul.apply([x, y]), x]));
    });
  }
}

describe('exportOnnx: merges, a subclassed model, several inputs', () => {
  it('a subclassed two-input model with Add, Multiply and Concatenate, through registerOnnxConverter', async () => {
    registerOnnxConverter(TwoTower, (m, { a, b }, child) => {
      const [x, y] = [child(m.fa, a), child(m.fb, b)];
      return child(m.head, child(m.join, [child(m.add, [x, y]), child(m.mul, [x, y]), x]));
    });
    const shapes = { a: [null, 3], b: [null, 5] } as { a: Shape; b: Shape };
    const model = new TwoTower({ name: 'towers' }).build(shapes, rng(1));
    randomizeState(model, 2);
    const bytes = exportOnnx(model, { inputShape: shapes });
    dumpOnnx('subclassed two-tower merges', bytes);
    for (const batch of [1, 3]) {
      const a = rng(3).normalTensor([batch, 3]);
      const b = rng(4).normalTensor([batch, 5]);
      await expectClose(bytes, { a, b }, model.apply({ a, b }));
      tf.dispose([a, b]);
    }
    model.dispose();
  });

  it('the merge layers alone on a list of inputs (broadcasting, concatenation on a middle axis)', async () => {
    const list: Shape[] = [[null, 2, 3], [null, 1, 3], [null, 2, 3]];
    for (const [layer, shapes] of [[new Add(), list], [new Multiply(), list], [new Concatenate({ axis: 1 }), [[null, 2, 3], [null, 4, 3]]]] as const) {
      const built = layer.build(shapes as Shape[]);
      const bytes = exportOnnx(built, { inputShape: shapes as Shape[] });
      dumpOnnx(`merge ${layer.className}`, bytes);
      for (const batch of [1, 2]) {
        const xs = (shapes as Shape[]).map((s, i) => rng(10 + i).normalTensor(s.map((d) => d ?? batch)));
        await expectClose(bytes, Object.fromEntries(xs.map((x, i) => [`input_${i}`, x])), built.apply(xs));
        tf.dispose(xs);
      }
    }
  });

  it('an unregistered subclassed model is named, with the way to register it', () => {
    class Mine extends TwoTower {}
    const model = new Mine({ name: 'mine' }).build({ a: [null, 3], b: [null, 5] }, rng(1));
    expect(() => exportOnnx(model, { inputShape: { a: [null, 3], b: [null, 5] } })).toThrowError(
      /^exportOnnx: layer 'mine' \(Mine\) has no ONNX converter\nhelp: supported layers: .*; for a model of your own, registerOnnxConverter\(Mine, /,
    );
    model.dispose();
  });
});

describe('exportOnnx: transformer layers with padding masks', () => {
  for (const normFirst of [false, true]) {
    it(`TransformerDecoderLayer (target + memory, ${normFirst ? 'pre' : 'post'}-norm), target and memory masks, dynamic lengths`, async () => {
      const shapes: { target: Shape; memory: Shape } = { target: [null, null, 8], memory: [null, null, 6] };
      const layer = new TransformerDecoderLayer({ numHeads: 2, dimFeedforward: 12, normFirst, activation: normFirst ? 'gelu' : 'relu' }).build(shapes, rng(1));
      randomizeState(layer, 2);
      const bytes = exportOnnx(layer, { inputShape: shapes, masks: { mask: [null, null], memoryMask: [null, null] } });
      dumpOnnx(`TransformerDecoderLayer ${normFirst ? 'pre' : 'post'}-norm`, bytes);
      for (const [b, t, s] of [[1, 3, 4], [3, 5, 3]] as const) {
        const target = rng(3).normalTensor([b, t, 8]);
        const memory = rng(4).normalTensor([b, s, 6]);
        const mask = padding(b, t);
        const memoryMask = padding(b, s);
        await expectClose(bytes, { target, memory, mask, memoryMask }, layer.apply({ target, memory }, { mask, memoryMask }));
        tf.dispose([target, memory, mask, memoryMask]);
      }
      layer.dispose();
    });
  }

  it('TransformerEncoderLayer with a padding mask input, and a masked mean pool after it', async () => {
    const model = new Sequential([new TransformerEncoderLayer({ numHeads: 2, dimFeedforward: 8 }), new GlobalAvgPool1D()]).build([null, null, 4], rng(1));
    randomizeState(model, 2);
    const bytes = exportOnnx(model, { inputShape: [null, null, 4], masks: { mask: [null, null] } });
    dumpOnnx('TransformerEncoderLayer mask', bytes);
    for (const [b, t] of [[1, 3], [3, 6]] as const) {
      const input = rng(3).normalTensor([b, t, 4]);
      const mask = padding(b, t);
      await expectClose(bytes, { input, mask }, model.apply(input, { mask }));
      tf.dispose([input, mask]);
    }
    model.dispose();
  });
});

describe('exportOnnx: Embedding padding masks through recurrent layers and pools', () => {
  const cases: { name: string; layers: () => Module[]; length?: number }[] = [
    { name: 'a known length past the unroll limit: Loops (LSTM sequences backwards, bidirectional GRU)', length: 40, layers: () => [
      new LSTM({ units: 3, returnSequences: true, goBackwards: true }), new Bidirectional({ layer: new GRU({ units: 2 }), mergeMode: 'sum' }),
    ] },
    { name: 'LSTM (sequences), GRU (last), masked steps kept', layers: () => [new LSTM({ units: 3, returnSequences: true }), new GRU({ units: 2, resetAfter: true })] },
    { name: 'GRU sequences, masked max pool', layers: () => [new GRU({ units: 3, returnSequences: true }), new GlobalMaxPool1D(), new Dense({ units: 2 })] },
    { name: 'Bidirectional LSTM (concat, sequences) and GRU (sum, last)', layers: () => [
      new Bidirectional({ layer: new LSTM({ units: 2, returnSequences: true }) }), new Bidirectional({ layer: new GRU({ units: 2 }), mergeMode: 'sum' }),
    ] },
    { name: 'goBackwards: LSTM sequences (in the order taken), SimpleRNN last state', layers: () => [
      new LSTM({ units: 3, goBackwards: true, returnSequences: true }), new SimpleRNN({ units: 3, goBackwards: true }),
    ] },
    { name: 'transformer encoder layer with the embedding mask, masked mean pool', layers: () => [
      new Dense({ units: 4 }), new TransformerEncoderLayer({ numHeads: 2, dimFeedforward: 8 }), new GlobalAvgPool1D(), new Dense({ units: 2 }),
    ] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const t = c.length ?? 5;
      const model = new Sequential([new Embedding({ inputDim: 9, outputDim: 4, padId: 0 }), ...c.layers()]).build([null, t], rng(1));
      randomizeState(model, 2);
      const bytes = exportOnnx(model, { inputShape: [null, t] });
      dumpOnnx(`padding mask ${c.name}`, bytes);
      for (const batch of [1, 4]) {
        const input = paddedIds(batch, t, 9);
        await expectClose(bytes, { input }, model.apply(input));
        input.dispose();
      }
      model.dispose();
    });
  }

  it('a dynamic length: the masked recurrences become ONNX Loops (LSTM, bidirectional GRU, SimpleRNN backwards)', async () => {
    const model = new Sequential([
      new Embedding({ inputDim: 9, outputDim: 4, maskZero: true }), new LSTM({ units: 3, returnSequences: true }),
      new GRU({ units: 3, returnSequences: true, goBackwards: true }),
      new Bidirectional({ layer: new GRU({ units: 2, returnSequences: true }) }), new Bidirectional({ layer: new SimpleRNN({ units: 2 }), mergeMode: 'ave' }),
    ]).build([null, null], rng(1));
    randomizeState(model, 2);
    const bytes = exportOnnx(model, { inputShape: [null, null] });
    dumpOnnx('padding mask dynamic length loops', bytes);
    for (const [batch, length] of [[1, 3], [4, 6]] as const) {
      const input = paddedIds(batch, length, 9);
      await expectClose(bytes, { input }, model.apply(input));
      input.dispose();
    }
    model.dispose();
  });
});

describe('exportOnnx: masked paths at opsets 18 and 21 (Reduce* axes as inputs)', () => {
  it('attention masks, masked mean and max pools, a masked recurrence', async () => {
    const model = new Sequential([
      new Embedding({ inputDim: 9, outputDim: 4, padId: 0 }), new TransformerEncoderLayer({ numHeads: 2, dimFeedforward: 8 }),
      new GRU({ units: 3, returnSequences: true }), new GlobalMaxPool1D({ keepDims: true }), new GlobalAvgPool1D(),
    ]).build([null, 4], rng(1));
    randomizeState(model, 2);
    for (const opset of [18, 21]) {
      const bytes = exportOnnx(model, { inputShape: [null, 4], opset });
      dumpOnnx(`masked paths opset ${opset}`, bytes);
      const input = paddedIds(3, 4, 9);
      await expectClose(bytes, { input }, model.apply(input));
      input.dispose();
    }
    model.dispose();
  });
});

describe('exportOnnx: several outputs (returnState, mergeMode none)', () => {
  /** Runs a graph and returns every output, in order. */
  async function runAll(bytes: Uint8Array, feeds: Record<string, tf.Tensor>): Promise<tf.Tensor[]> {
    const session = await ort.InferenceSession.create(bytes);
    const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [
      k, t.dtype === 'int32' ? new ort.Tensor('int32', Int32Array.from(t.dataSync() as Int32Array), t.shape) : new ort.Tensor('float32', Float32Array.from(t.dataSync() as Float32Array), t.shape),
    ]));
    const result = await session.run(ortFeeds);
    const outs = session.outputNames.map((n) => tf.tensor(result[n]!.data as Float32Array, result[n]!.dims as number[]));
    await session.release();
    return outs;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const cases: { name: string; make: () => Module<any, any>; outputs: number; padded?: boolean }[] = [
    { name: 'LSTM returnState with sequences: [output, h, c]', outputs: 3, make: () => new LSTM({ units: 3, returnSequences: true, returnState: true }) },
    { name: 'GRU returnState, goBackwards: [output, h]', outputs: 2, make: () => new GRU({ units: 2, returnState: true, goBackwards: true }) },
    { name: 'Bidirectional LSTM, mergeMode none, returnState: [fw, bw, hF, cF, hB, cB]', outputs: 6, make: () => new Bidirectional({ layer: new LSTM({ units: 2, returnSequences: true, returnState: true }), mergeMode: 'none' }) },
    { name: 'Bidirectional GRU (concat, last) with returnState: [y, hF, hB]', outputs: 3, make: () => new Bidirectional({ layer: new GRU({ units: 2, returnState: true }) }) },
    { name: 'after a padding mask: LSTM returnState over padded steps', outputs: 3, padded: true, make: () => new LSTM({ units: 3, returnSequences: true, returnState: true }) },
    { name: 'after a padding mask: Bidirectional SimpleRNN, mergeMode none', outputs: 2, padded: true, make: () => new Bidirectional({ layer: new SimpleRNN({ units: 2 }), mergeMode: 'none' }) },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const layer = c.make();
      // With padding, the recurrent layer gets its mask from an Embedding inside a registered two-step model.
      let model: Module<tf.Tensor, tf.Tensor | tf.Tensor[]> = layer;
      const shape: Shape = c.padded ? [null, 5] : [null, 5, 3];
      if (c.padded) {
        class Padded extends Module<tf.Tensor, tf.Tensor | tf.Tensor[]> {
          readonly emb = this.addModule('emb', new Embedding({ inputDim: 9, outputDim: 3, padId: 0 }));
          readonly rnn = this.addModule('rnn', layer);
          protected override onBuild(s: Shape): void {
            this.emb.build(s);
            this.rnn.build([null, s[1] ?? null, 3]);
          }
          override outputShape(s: Shape): Shape {
            return this.rnn.outputShape([s[0] ?? null, s[1] ?? null, 3]) as Shape;
          }
          protected call(ids: tf.Tensor): tf.Tensor | tf.Tensor[] {
            const x = this.emb.apply(ids);
            const mask = this.emb.computeMask(ids, null);
            const y = this.rnn.apply(x, { mask });
            tf.dispose([x, mask ?? []].flat());
            return y as tf.Tensor | tf.Tensor[];
          }
        }
        registerOnnxConverter(Padded, (m, ids, child) => child(m.rnn, child(m.emb, ids)));
        model = new Padded({ name: 'padded' });
      }
      model.build(shape, rng(1));
      randomizeState(model, 2);
      const bytes = exportOnnx(model, { inputShape: shape, inputDtype: c.padded ? 'int32' : 'float32' });
      dumpOnnx(`outputs ${c.name}`, bytes);
      for (const batch of [1, 3]) {
        const input = c.padded ? paddedIds(batch, 5, 9) : rng(3).normalTensor([batch, 5, 3]);
        const expected = model.apply(input) as tf.Tensor[];
        const got = await runAll(bytes, { input });
        expect(got.length).toBe(c.outputs);
        expect(expected.length).toBe(c.outputs);
        got.forEach((g, i) => {
          expect(g.shape).toEqual(expected[i]!.shape);
          expect(maxExcess(g, expected[i]!, 1e-4)).toBeLessThanOrEqual(1e-5);
        });
        tf.dispose([input, ...expected, ...got]);
      }
      model.dispose();
    });
  }
});
