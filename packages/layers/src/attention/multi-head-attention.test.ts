import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { Module, MultiHeadAttention, multiHeadAttention, multiHeadAttentionOutputShape } from '@tensorloom/layers';
import type { ApplyOptions, MultiHeadAttentionApplyOptions, MultiHeadAttentionConfig } from '@tensorloom/layers';
import { checkFunctionGradients, checkModuleGradients, compareArrays, compareTensors, randomizeParameters } from '../internal/testing.js';
import { flat, mhaRef, readMhaWeights } from './internal/float64-reference.js';
import type { Arr3 } from './internal/float64-reference.js';

const boolMask = (rows: boolean[][]): tf.Tensor => tf.tensor(rows.flat(), [rows.length, rows[0]!.length], 'bool');

interface Case {
  title: string;
  config: MultiHeadAttentionConfig;
  t: number;
  s: number;
  fq: number;
  fv: number;
  fk?: number;
  keyMask?: boolean[][];
  attentionMask?: boolean[][][];
  causal?: boolean;
}

const cases: Case[] = [
  { title: 'self-attention, keyDim from features', config: { numHeads: 2 }, t: 3, s: 3, fq: 4, fv: 4 },
  { title: 'cross-attention with separate key, valueDim and outputDim', config: { numHeads: 2, keyDim: 3, valueDim: 2, outputDim: 5 }, t: 2, s: 4, fq: 4, fv: 3, fk: 2 },
  { title: 'key padding mask', config: { numHeads: 2 }, t: 3, s: 3, fq: 4, fv: 4, keyMask: [[true, true, false], [true, false, false]] },
  { title: 'causal', config: { numHeads: 2, keyDim: 3 }, t: 3, s: 3, fq: 4, fv: 4, causal: true },
  { title: 'causal and key padding mask', config: { numHeads: 2 }, t: 3, s: 3, fq: 4, fv: 4, causal: true, keyMask: [[true, false, true], [true, true, true]] },
  { title: 'full attention mask and no biases', config: { numHeads: 2, useBias: false }, t: 2, s: 3, fq: 4, fv: 2, attentionMask: [[[true, false, true], [false, true, true]], [[true, true, true], [false, false, true]]] },
];

describe('MultiHeadAttention', () => {
  it.each([
    { input: { query: [null, 3, 4], value: [null, 3, 4] }, config: { numHeads: 2 }, out: [null, 3, 4] },
    { input: { query: [1, 3, 4], value: [1, 5, 6] }, config: { numHeads: 2, keyDim: 3 }, out: [1, 3, 4] },
    { input: { query: [null, 2, 4], value: [null, 5, 6], key: [null, 5, 2] }, config: { numHeads: 1, keyDim: 3, outputDim: 7 }, out: [null, 2, 7] },
  ])('infers $out from $input and matches a real apply', ({ input, config, out }) => {
    const mha = new MultiHeadAttention(config).build(input, rng(1));
    expect(mha.outputShape(input)).toEqual(out);
    const concrete = (s: (number | null)[]) => tf.zeros(s.map((d) => d ?? 2));
    const y = mha.apply({ query: concrete(input.query), value: concrete(input.value), ...(input.key ? { key: concrete(input.key) } : {}) });
    expect(y.shape).toEqual(out.map((d) => d ?? 2));
    tf.dispose(y);
    mha.dispose();
  });

  it('lays its weights out as Keras (kernels [F, H, Dk] and [H, Dv, O]) under dotted names', () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 5 }).build({ query: [null, 4, 8], value: [null, 6, 7], key: [null, 6, 2] });
    const shapes = Object.fromEntries(Object.entries(mha.parameters()).map(([k, v]) => [k, v.shape]));
    expect(shapes).toEqual({
      'query.kernel': [8, 2, 3],
      'query.bias': [2, 3],
      'key.kernel': [2, 2, 3],
      'key.bias': [2, 3],
      'value.kernel': [7, 2, 5],
      'value.bias': [2, 5],
      'output.kernel': [2, 5, 8],
      'output.bias': [8],
    });
  });

  it.each(cases)('matches the float64 reference: $title', (c) => {
    const mha = new MultiHeadAttention(c.config);
    const [b] = [2];
    const query = rng(10).normalTensor([b, c.t, c.fq]);
    const value = rng(11).normalTensor([b, c.s, c.fv]);
    const key = c.fk === undefined ? undefined : rng(12).normalTensor([b, c.s, c.fk]);
    const input = { query, value, ...(key ? { key } : {}) };
    mha.build({ query: [null, c.t, c.fq], value: [null, c.s, c.fv], ...(key ? { key: [null, c.s, c.fk!] } : {}) }, rng(13));
    randomizeParameters(mha, 14, 0.6);
    const options: Omit<MultiHeadAttentionApplyOptions, 'returnAttentionScores'> = {
      keyMask: c.keyMask ? boolMask(c.keyMask) : null,
      attentionMask: c.attentionMask ? tf.tensor(c.attentionMask.flat(2), [b, c.t, c.s], 'bool') : null,
      useCausalMask: c.causal ?? false,
    };
    const { output, scores } = mha.apply(input, { ...options, returnAttentionScores: true });
    const ref = mhaRef(query.arraySync() as Arr3, value.arraySync() as Arr3, (key ?? value).arraySync() as Arr3, readMhaWeights(mha.parameters(), ''), {
      keyMask: c.keyMask ?? null,
      attentionMask: c.attentionMask ?? null,
      causal: c.causal ?? false,
    });
    expect(compareTensors(output, flat(ref.output))).toBeNull();
    expect(compareTensors(scores, flat(ref.scores))).toBeNull();
    // The plain apply returns the same output tensor.
    expect(compareTensors(mha.apply(input, options), output)).toBeNull();
  });

  it('gives weights that sum to 1 over unmasked keys, 0 on masked keys; a fully masked query attends to nothing', () => {
    const mha = new MultiHeadAttention({ numHeads: 2 }).build({ query: [null, 3, 4], value: [null, 3, 4] }, rng(2));
    randomizeParameters(mha, 3, 0.6);
    const x = rng(4).normalTensor([2, 3, 4]);
    // Sample 0 hides key 1; sample 1 hides every key.
    const keep = [[true, false, true], [false, false, false]];
    const { output, scores } = mha.apply({ query: x, value: x }, { keyMask: boolMask(keep), returnAttentionScores: true });
    const w = scores.arraySync() as number[][][][];
    for (const head of w[0]!) {
      for (const row of head) {
        expect(row[1]).toBe(0);
        expect(Math.abs(row[0]! + row[2]! - 1)).toBeLessThan(1e-6);
      }
    }
    expect(w[1]!.flat(2).every((v) => v === 0)).toBe(true);
    // Sample 1: no attention, so every output row is the output bias — and no NaN.
    const out = output.arraySync() as number[][][];
    const bias = Array.from(mha.output!.bias!.dataSync());
    for (const row of out[1]!) expect(compareArrays(row, bias)).toBeNull();
    expect(out.flat(2).some(Number.isNaN)).toBe(false);
  });

  it('accepts numeric 0/1 masks like boolean ones', () => {
    const mha = new MultiHeadAttention({ numHeads: 2 }).build({ query: [null, 3, 4], value: [null, 3, 4] }, rng(5));
    const x = rng(6).normalTensor([2, 3, 4]);
    const a = mha.apply({ query: x, value: x }, { keyMask: boolMask([[true, false, true], [true, true, false]]) });
    const b = mha.apply({ query: x, value: x }, { keyMask: tf.tensor([[1, 0, 1], [1, 1, 0]]) });
    expect(compareTensors(a, b, { atol: 0, rtol: 0 })).toBeNull();
  });

  it('has gradients that match finite differences: self-attention module with masks (input and every parameter)', () => {
    const keyMask = boolMask([[true, true, false], [true, true, true]]);
    class SelfAttention extends Module {
      readonly mha = this.addModule('mha', new MultiHeadAttention({ numHeads: 2 }));
      protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
        return this.mha.apply({ query: x, value: x }, { ...options, keyMask, useCausalMask: true });
      }
    }
    const block = new SelfAttention().build([2, 3, 4], rng(7)); // the default build runs call(), with the batch-2 mask
    randomizeParameters(block, 8, 0.6);
    expect(checkModuleGradients(block, rng(9).normalTensor([2, 3, 4]), { maxElements: 8 })).toBeNull(); // ≤ 8 elements of each tensor
  });

  it('has gradients that match finite differences: cross-attention with separate key, w.r.t. query, key, value and weights', () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 2, valueDim: 1, outputDim: 3 }).build(
      { query: [null, 2, 3], value: [null, 3, 2], key: [null, 3, 2] },
      rng(10),
    );
    randomizeParameters(mha, 11, 0.6);
    const w = mha.weights();
    const keyMask = boolMask([[true, false, true], [true, true, true]]);
    const f = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, wq: tf.Tensor, wk: tf.Tensor, wv: tf.Tensor, wo: tf.Tensor, bo: tf.Tensor): tf.Tensor =>
      multiHeadAttention(
        { query: q, key: k, value: v },
        { query: { kernel: wq, bias: w.query.bias }, key: { kernel: wk, bias: w.key.bias }, value: { kernel: wv, bias: w.value.bias }, output: { kernel: wo, bias: bo } },
        { keyMask },
      ).output;
    const inputs = [rng(12).normalTensor([2, 2, 3]), rng(13).normalTensor([2, 3, 2]), rng(14).normalTensor([2, 3, 2]), w.query.kernel, w.key.kernel, w.value.kernel, w.output.kernel, w.output.bias!];
    expect(checkFunctionGradients(f, inputs)).toBeNull();
  });

  it('applies seeded dropout to the attention weights in training only; unbiased on average', () => {
    const make = () => {
      const m = new MultiHeadAttention({ numHeads: 2, dropout: 0.5 }).build({ query: [null, 3, 4], value: [null, 3, 4] }, rng(20));
      randomizeParameters(m, 21, 0.6);
      return m;
    };
    const mha = make();
    const x = rng(22).normalTensor([2, 3, 4]);
    const input = { query: x, value: x };
    const inference = mha.apply(input);
    const first = mha.apply(input, { training: true });
    const second = mha.apply(input, { training: true });
    expect(compareTensors(first, inference)).not.toBeNull();
    expect(compareTensors(first, second)).not.toBeNull();
    // Same seed, same masks.
    expect(compareTensors(make().apply(input, { training: true }), first, { atol: 0, rtol: 0 })).toBeNull();
    // The returned scores are the weights before dropout: still rows summing to 1.
    const { scores } = mha.apply(input, { training: true, returnAttentionScores: true });
    expect(compareTensors(tf.sum(scores, -1), new Array(12).fill(1), { atol: 1e-6 })).toBeNull();
    // Inverted dropout is unbiased and the output is linear in the weights, so the mean of
    // many training outputs estimates the inference output: each element within 4 standard
    // errors (estimated from the same draws).
    const n = 200;
    const expected = inference.dataSync();
    const sum = new Float64Array(expected.length);
    const sumSq = new Float64Array(expected.length);
    for (let i = 0; i < n; i++) {
      const y = tf.tidy(() => mha.apply(input, { training: true }).dataSync());
      y.forEach((v, j) => {
        sum[j]! += v;
        sumSq[j]! += v * v;
      });
    }
    let maxZ = 0;
    expected.forEach((e, j) => {
      const mean = sum[j]! / n;
      const se = Math.sqrt(Math.max(sumSq[j]! / n - mean * mean, 0) / n);
      maxZ = Math.max(maxZ, Math.abs(mean - e) / (se + 1e-6));
    });
    expect(maxZ).toBeLessThan(4.5);
  });

  it('does not leak in inference, with masks and scores, or under a gradient', async () => {
    const mha = new MultiHeadAttention({ numHeads: 2, dropout: 0.2 }).build({ query: [null, 3, 4], value: [null, 3, 4] }, rng(1));
    const x = rng(2).normalTensor([2, 3, 4]);
    const keyMask = boolMask([[true, true, false], [true, true, true]]);
    await expectNoLeaks(() => mha.apply({ query: x, value: x }).dispose(), 'MHA apply');
    await expectNoLeaks(() => mha.apply({ query: x, value: x }, { keyMask, useCausalMask: true, returnAttentionScores: true, training: true }), 'MHA scores');
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(mha.apply({ query: x, value: x }, { keyMask, training: true })) as tf.Scalar);
      tf.dispose([value, grads]);
    }, 'MHA gradient');
  });

  it('names itself and the expected value in errors', () => {
    const name = { name: 'mha' };
    expect(() => new MultiHeadAttention({ numHeads: 0, ...name })).toThrowError(new ConfigError("MultiHeadAttention 'mha': numHeads expected a positive integer, got 0"));
    expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 1.5, ...name })).toThrowError(new ConfigError("MultiHeadAttention 'mha': keyDim expected a positive integer, got 1.5"));
    expect(() => new MultiHeadAttention({ numHeads: 2, valueDim: -1, ...name })).toThrowError(new ConfigError("MultiHeadAttention 'mha': valueDim expected a positive integer, got -1"));
    expect(() => new MultiHeadAttention({ numHeads: 2, outputDim: 0, ...name })).toThrowError(new ConfigError("MultiHeadAttention 'mha': outputDim expected a positive integer, got 0"));
    expect(() => new MultiHeadAttention({ numHeads: 2, dropout: 1, ...name })).toThrowError(new ConfigError("MultiHeadAttention 'mha': rate expected a number in [0, 1), got 1"));
    expect(() => new MultiHeadAttention({ numHeads: 3, ...name }).build({ query: [null, 5, 4], value: [null, 5, 4] })).toThrowError(
      new ShapeError("MultiHeadAttention 'mha': query features expected a multiple of numHeads 3, got 4", {
        help: 'keyDim defaults to queryFeatures / numHeads; set keyDim explicitly or change numHeads',
      }),
    );
    expect(() => new MultiHeadAttention({ numHeads: 2, ...name }).build({ query: [null, 4], value: [null, 5, 4] })).toThrowError(
      new ShapeError("MultiHeadAttention 'mha': query expected rank 3 [batch, length, features] with known features, got [null, 4]"),
    );
    expect(() => new MultiHeadAttention({ numHeads: 2, ...name }).weights()).toThrowError("MultiHeadAttention 'mha': weights need a built module");

    const mha = new MultiHeadAttention({ numHeads: 2, ...name }).build({ query: [null, 3, 4], value: [null, 5, 6], key: [null, 5, 2] });
    const [q, v, k] = [tf.zeros([2, 3, 4]), tf.zeros([2, 5, 6]), tf.zeros([2, 5, 2])];
    const err = (input: { query: tf.Tensor; value: tf.Tensor; key?: tf.Tensor }, options: MultiHeadAttentionApplyOptions = {}) => () => mha.apply(input, options);
    expect(err({ query: tf.zeros([2, 4]), value: v, key: k })).toThrowError(
      new ShapeError("MultiHeadAttention 'mha': query must be rank 3 [batch, queryLength, features], got [2, 4]"),
    );
    expect(err({ query: tf.zeros([2, 3, 5]), value: v, key: k })).toThrowError(new ShapeError("MultiHeadAttention 'mha': query axis 2 expected 4, got shape [2, 3, 5]"));
    expect(err({ query: q, value: tf.zeros([3, 5, 6]), key: k })).toThrowError(
      new ShapeError("MultiHeadAttention 'mha': value batch expected 2 (the query's), got shape [3, 5, 6]"),
    );
    expect(err({ query: q, value: tf.zeros([2, 5, 4]), key: k })).toThrowError(new ShapeError("MultiHeadAttention 'mha': value axis 2 expected 6, got shape [2, 5, 4]"));
    expect(err({ query: q, value: v, key: tf.zeros([2, 4, 2]) })).toThrowError(
      new ShapeError("MultiHeadAttention 'mha': key length expected 5 (the value's), got shape [2, 4, 2]"),
    );
    expect(err({ query: q, value: v, key: tf.zeros([1, 5, 2]) })).toThrowError(
      new ShapeError("MultiHeadAttention 'mha': key batch expected 2 (the query's), got shape [1, 5, 2]"),
    );
    expect(err({ query: q, value: v, key: tf.zeros([2, 5, 3]) })).toThrowError(new ShapeError("MultiHeadAttention 'mha': key axis 2 expected 2, got shape [2, 5, 3]"));
    expect(err({ query: q, value: v })).toThrowError(
      new ShapeError("MultiHeadAttention 'mha': value axis 2 expected 2 (the key's features: no key was given, so the value is the key), got shape [2, 5, 6]"),
    );
    expect(err({ query: q, value: v, key: k }, { keyMask: tf.ones([2, 4]) })).toThrowError(
      new ShapeError("MultiHeadAttention 'mha': keyMask axis 1 expected 5, got shape [2, 4]"),
    );
    expect(err({ query: q, value: v, key: k }, { keyMask: tf.ones([2, 5, 1]) })).toThrowError(
      new ShapeError("MultiHeadAttention 'mha': keyMask expected shape [2, 5], got [2, 5, 1]"),
    );
    expect(err({ query: q, value: v, key: k }, { attentionMask: tf.ones([2, 5, 3]) })).toThrowError(
      new ShapeError("MultiHeadAttention 'mha': attentionMask axis 1 expected 3, got shape [2, 5, 3]"),
    );
  });

  it('exposes the pure forward and shape functions', () => {
    expect(multiHeadAttentionOutputShape({ query: [null, 5, 16], value: [null, 7, 8] })).toEqual([null, 5, 16]);
    expect(multiHeadAttentionOutputShape({ query: [2, 5, 16], value: [2, 7, 8] }, 3)).toEqual([2, 5, 3]);
    const mha = new MultiHeadAttention({ numHeads: 2 }).build({ query: [null, 3, 4], value: [null, 3, 4] }, rng(3));
    const x = rng(4).normalTensor([1, 3, 4]);
    const viaFunction = multiHeadAttention({ query: x, value: x }, mha.weights(), { useCausalMask: true });
    expect(viaFunction.scores.shape).toEqual([1, 2, 3, 3]);
    expect(compareTensors(viaFunction.output, mha.apply({ query: x, value: x }, { useCausalMask: true }), { atol: 0, rtol: 0 })).toBeNull();
  });
});
