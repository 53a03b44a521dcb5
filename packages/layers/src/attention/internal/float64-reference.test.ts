// The float64 references are themselves checked against hand-computed values before the
// layers are checked against them.
import { describe, expect, it } from 'vitest';
import { erf, layerNormRef, maskedSoftmax, mhaRef } from './float64-reference.js';

describe('float64 references', () => {
  it('erf matches tabulated values (Abramowitz & Stegun table 7.1)', () => {
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 13);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 13);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 13);
    expect(erf(3)).toBeCloseTo(0.9999779095030014, 13); // continued-fraction branch
    expect(erf(2.9)).toBeCloseTo(0.9999589021219005, 13); // series branch near the switch
  });

  it('maskedSoftmax: [0, ln 3] → [1/4, 3/4]; masked entries get 0; a fully masked row is zeros', () => {
    const [a, b] = maskedSoftmax([0, Math.log(3)], [true, true]);
    expect(a).toBeCloseTo(0.25, 14);
    expect(b).toBeCloseTo(0.75, 14);
    expect(maskedSoftmax([5, 1, 1], [false, true, true])).toEqual([0, 0.5, 0.5]);
    expect(maskedSoftmax([1, 2], [false, false])).toEqual([0, 0]);
  });

  it('layerNormRef: [1, 3] → ±1/√(1 + eps), scaled and shifted', () => {
    const [a, b] = layerNormRef([1, 3], [2, 3], [0.5, -1], 1e-3);
    const n = 1 / Math.sqrt(1.001);
    expect(a).toBeCloseTo(-2 * n + 0.5, 14);
    expect(b).toBeCloseTo(3 * n - 1, 14);
  });

  it('mhaRef: one head with identity projections on a hand-computed example', () => {
    // q = [1, 0]; keys [1, 0] and [0, 1]: logits [1/√2, 0], so the weights are
    // [σ, 1 - σ] with σ = 1/(1 + e^{-1/√2}); values [1, 2] and [3, 4]; identity output.
    const identity3 = [[[1, 0]], [[0, 1]]]; // [F=2][H=1][D=2]
    const out3 = [[[1, 0], [0, 1]]]; // [H=1][Dv=2][O=2]
    const w = { qKernel: identity3, qBias: null, kKernel: identity3, kBias: null, vKernel: identity3, vBias: null, oKernel: out3, oBias: [0.5, 0] };
    const { output, scores } = mhaRef([[[1, 0]]], [[[1, 2], [3, 4]]], [[[1, 0], [0, 1]]], w);
    const s = 1 / (1 + Math.exp(-Math.SQRT1_2));
    expect(scores[0]![0]![0]![0]).toBeCloseTo(s, 14);
    expect(output[0]![0]![0]).toBeCloseTo(s * 1 + (1 - s) * 3 + 0.5, 14);
    expect(output[0]![0]![1]).toBeCloseTo(s * 2 + (1 - s) * 4, 14);
    // Causal with one query: only key 0 is visible, so the output is value 0 (+ bias).
    const causal = mhaRef([[[1, 0]]], [[[1, 2], [3, 4]]], [[[1, 0], [0, 1]]], w, { causal: true });
    expect(causal.output[0]![0]).toEqual([1.5, 2]);
  });
});
