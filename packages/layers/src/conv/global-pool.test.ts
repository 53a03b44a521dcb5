import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { GlobalAvgPool1D, GlobalAvgPool2D, GlobalMaxPool1D, GlobalMaxPool2D, Sequential, globalPool1d, globalPoolOutputShape } from '@tensorloom/layers';
import { checkFunctionGradients, checkModuleGradients, compareArrays, compareTensors } from '../internal/testing.js';
import { compareWithReference } from './internal/parity.js';

const cases = [
  { name: 'GlobalAvgPool1D', Layer: GlobalAvgPool1D, ref: () => tfl.layers.globalAveragePooling1d(), input: [2, 5, 3], out: [2, 3], kept: [2, 1, 3] },
  { name: 'GlobalMaxPool1D', Layer: GlobalMaxPool1D, ref: () => tfl.layers.globalMaxPooling1d(), input: [2, 5, 3], out: [2, 3], kept: [2, 1, 3] },
  { name: 'GlobalAvgPool2D', Layer: GlobalAvgPool2D, ref: () => tfl.layers.globalAveragePooling2d({}), input: [2, 3, 4, 3], out: [2, 3], kept: [2, 1, 1, 3] },
  { name: 'GlobalMaxPool2D', Layer: GlobalMaxPool2D, ref: () => tfl.layers.globalMaxPooling2d({}), input: [2, 3, 4, 3], out: [2, 3], kept: [2, 1, 1, 3] },
];

describe.each(cases)('$name', ({ name, Layer, ref, input, out, kept }) => {
  it('infers shapes (batch null and 1, keepDims) and matches a real apply', () => {
    const withNull = [null, ...input.slice(1)];
    expect(new Layer().outputShape(withNull)).toEqual([null, ...out.slice(1)]);
    expect(new Layer({ keepDims: true }).outputShape([1, ...input.slice(1)])).toEqual([1, ...kept.slice(1)]);
    expect(ref().computeOutputShape(withNull)).toEqual([null, ...out.slice(1)]);
    const x = rng(1).normalTensor(input);
    const y = new Layer().apply(x);
    const yk = new Layer({ keepDims: true }).apply(x);
    expect(y.shape).toEqual(out);
    expect(yk.shape).toEqual(kept);
    expect(compareTensors(tf.reshape(yk, out), y, { atol: 0, rtol: 0 })).toBeNull();
  });

  it('matches tfjs-layers in outputs and input gradients', () => {
    const x = rng(2).normalTensor(input);
    expect(compareWithReference(new Layer(), ref(), x, [])).toBeNull();
  });

  it('has input gradients that match finite differences', () => {
    const x = tf.tensor(Float32Array.from(rng(3).permutation(input.reduce((a, b) => a * b)), (v) => v / 5), input);
    expect(checkModuleGradients(new Layer({ keepDims: true }), x)).toBeNull();
  });

  it('does not leak and drops the mask', async () => {
    const layer = new Layer();
    const x = tf.ones(input);
    expect(layer.computeMask()).toBeNull();
    await expectNoLeaks(() => layer.apply(x).dispose(), `${name} apply`);
    await expectNoLeaks(() => tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t)))(x).dispose(), `${name} gradient`);
  });

  it('names itself and the expected rank in errors', () => {
    const layout = input.length === 3 ? '[batch, time, features]' : '[batch, h, w, c]';
    const layer = new Layer({ name: 'gp' });
    expect(() => layer.apply(tf.zeros([2, 3]))).toThrowError(new ShapeError(`${name} 'gp': input must be rank ${input.length} ${layout}, got [2, 3]`));
  });
});

/** Float64 masked pooling: the mean / max over the steps where mask ≠ 0, zeros when none. */
function maskedReference(x: tf.Tensor, mask: number[][], mode: 'avg' | 'max'): Float64Array {
  const [B, T, C] = x.shape as [number, number, number];
  const v = x.dataSync();
  const y = new Float64Array(B * C);
  for (let b = 0; b < B; b++)
    for (let c = 0; c < C; c++) {
      const vals: number[] = [];
      for (let t = 0; t < T; t++) if (mask[b]![t]) vals.push(v[(b * T + t) * C + c]!);
      y[b * C + c] = vals.length === 0 ? 0 : mode === 'avg' ? vals.reduce((s, e) => s + e, 0) / vals.length : Math.max(...vals);
    }
  return y;
}

describe('masked global pooling over time', () => {
  const mask = [
    [1, 1, 1, 0, 0],
    [1, 0, 1, 1, 1],
    [0, 0, 0, 0, 0],
  ];

  it.each(['avg', 'max'] as const)('%s pools the valid steps only (float64 reference); no valid step gives zeros', (mode) => {
    const x = rng(4).normalTensor([3, 5, 2]);
    const Layer = mode === 'avg' ? GlobalAvgPool1D : GlobalMaxPool1D;
    const y = new Layer().apply(x, { mask: tf.tensor2d(mask, [3, 5], 'bool') });
    expect(y.shape).toEqual([3, 2]);
    expect(compareArrays(y.dataSync(), maskedReference(x, mask, mode))).toBeNull();
    // An all-ones mask is the same as no mask.
    expect(compareTensors(globalPool1d(x, mode, { mask: tf.ones([3, 5]) }), globalPool1d(x, mode))).toBeNull();
  });

  it.each(['avg', 'max'] as const)('%s has finite-difference gradients, zero at masked steps', (mode) => {
    const x = tf.tensor3d(Float32Array.from(rng(5).permutation(30), (v) => v / 7), [3, 5, 2]);
    const m = tf.tensor2d(mask, [3, 5]);
    expect(checkFunctionGradients((t) => globalPool1d(t, mode, { mask: m }), [x])).toBeNull();
    const dx = tf.grad((t: tf.Tensor) => tf.sum(globalPool1d(t, mode, { mask: m })))(x);
    const masked = tf.sum(tf.abs(tf.mul(dx, tf.expandDims(tf.sub(1, m), 2))));
    expect(masked.dataSync()[0]).toBe(0);
  });

  it('takes the mask from a Sequential and checks its shape', async () => {
    const model = new Sequential([new GlobalAvgPool1D({ name: 'gap' })]);
    const x = rng(6).normalTensor([3, 5, 2]);
    const m = tf.tensor2d(mask, [3, 5], 'bool');
    expect(compareArrays(model.apply(x, { mask: m }).dataSync(), maskedReference(x, mask, 'avg'))).toBeNull();
    expect(() => new GlobalAvgPool1D({ name: 'gap' }).apply(x, { mask: tf.ones([3, 4]) })).toThrowError(
      new ShapeError("GlobalAvgPool1D 'gap': mask expected shape [3, 5], got [3, 4]"),
    );
    await expectNoLeaks(() => globalPool1d(x, 'max', { mask: m }).dispose(), 'masked globalPool1d');
  });

  it('exposes the pure shape function', () => {
    expect(globalPoolOutputShape([null, 7, 7, 64], 2, false)).toEqual([null, 64]);
    expect(() => globalPoolOutputShape([7, 7, 64], 2, false)).toThrowError(new ShapeError('globalPool: input must be rank 4 [batch, h, w, c], got [7, 7, 64]'));
  });
});
