// tfjs-layers 4.22's batchNormalization with `axis: 1` on a rank-3 input [batch, channels,
// length] normalises wrongly in training and its gradient throws. Ours is checked against a
// float64 reference written out in TypeScript and against finite differences
// (docs/design-notes.md).
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { BatchNorm } from '@tensorloom/layers';
import { checkModuleGradients, compareArrays } from '../internal/testing.js';

const EPSILON = 1e-3;

/** Float64 batch normalisation of [B, C, L] over axes 0 and 2, with batch statistics. */
function reference(x: tf.Tensor3D, gamma: tf.Tensor, beta: tf.Tensor): Float64Array {
  const [b, c, l] = x.shape;
  const xv = Float64Array.from(x.dataSync());
  const [g, bt] = [gamma.dataSync(), beta.dataSync()];
  const out = new Float64Array(xv.length);
  for (let ch = 0; ch < c; ch++) {
    const at = (n: number, i: number): number => (n * c + ch) * l + i;
    let mean = 0;
    for (let n = 0; n < b; n++) for (let i = 0; i < l; i++) mean += xv[at(n, i)]!;
    mean /= b * l;
    let variance = 0;
    for (let n = 0; n < b; n++) for (let i = 0; i < l; i++) variance += (xv[at(n, i)]! - mean) ** 2;
    variance /= b * l;
    for (let n = 0; n < b; n++) for (let i = 0; i < l; i++) out[at(n, i)] = (g[ch]! * (xv[at(n, i)]! - mean)) / Math.sqrt(variance + EPSILON) + bt[ch]!;
  }
  return out;
}

describe('BatchNorm on axis 1 of a rank-3 input (a tfjs-layers 4.22 defect)', () => {
  const shape = [4, 3, 5];

  function built(): { ours: BatchNorm; x: tf.Tensor3D } {
    const ours = new BatchNorm({ axis: 1, epsilon: EPSILON }).build([null, 3, 5], rng(1));
    ours.gamma!.assign(tf.tensor1d([0.5, 1.5, -2]));
    ours.beta!.assign(tf.tensor1d([0.1, -0.3, 2]));
    // Channels on very different scales, so normalising over the wrong axes shows.
    const x = tf.tidy(() => tf.add(tf.mul(rng(2).normalTensor(shape), tf.tensor3d([1, 10, 0.1], [1, 3, 1])), tf.tensor3d([0, 5, -3], [1, 3, 1]))) as tf.Tensor3D;
    return { ours, x };
  }

  it('in training, ours matches the float64 reference; tfjs-layers does not', async () => {
    const { ours, x } = built();
    const expected = reference(x, ours.gamma!, ours.beta!);
    const y = await expectNoLeaks(() => ours.apply(x, { training: true }));
    expect(y.shape).toEqual(shape);
    expect(compareArrays(y.dataSync(), expected, { atol: 1e-4, rtol: 1e-4 })).toBeNull();

    const theirs = tfl.layers.batchNormalization({ axis: 1, epsilon: EPSILON, momentum: ours.config.momentum });
    theirs.build([null, 3, 5]);
    theirs.setWeights([ours.gamma!, ours.beta!, ours.movingMean!, ours.movingVariance!]);
    const out = theirs.apply(x, { training: true }) as tf.Tensor;
    expect(compareArrays(out.dataSync(), expected, { atol: 1e-2, rtol: 1e-2 })).not.toBeNull();
    // Not even normalised: per channel, its output keeps most of the input's mean.
    const moments = tf.moments(out, [0, 2]);
    expect(Math.max(...Array.from(moments.mean.dataSync(), Math.abs))).toBeGreaterThan(1);
    tf.dispose([moments.mean, moments.variance]);
    tf.dispose([x, y, out]);
    ours.dispose();
  });

  it("ours has gradients that match finite differences; tfjs-layers' gradient throws", () => {
    const { ours, x } = built();
    expect(checkModuleGradients(ours, x, { training: true })).toBeNull();

    const theirs = tfl.layers.batchNormalization({ axis: 1, epsilon: EPSILON });
    theirs.build([null, 3, 5]);
    const loss = (t: tf.Tensor): tf.Scalar => tf.sum(tf.square(theirs.apply(t, { training: true }) as tf.Tensor));
    expect(() => tf.grad(loss)(x)).toThrow('Size(60) must match the product of shape 1,3,1');
    x.dispose();
    ours.dispose();
  });
});
