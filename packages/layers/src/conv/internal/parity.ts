// Test helper of the conv tests: compares one of our layers with a tfjs-layers layer holding
// the same weights, in outputs, input gradients and parameter gradients. It takes the
// reference layer as a structural type, so this file does not import tfjs-layers (only
// tests may). Not exported from the package.
import { rng, tf } from '@tensorloom/core';
import type { Module } from '../../module/module.js';
import { compareTensors } from '../../internal/testing.js';
import type { Tolerance } from '../../internal/testing.js';

/** The part of a tfjs-layers `Layer` the comparison uses. */
export interface ReferenceLayer {
  apply(x: tf.Tensor): unknown;
  setWeights(weights: tf.Tensor[]): void;
  readonly trainableWeights: readonly { read(): tf.Tensor }[];
}

/**
 * Copies `weights` (our parameters, in the reference's weight order) into `ref`, then
 * compares outputs, the gradient with respect to the input and the gradient with respect to
 * each weight of `loss = Σ y · R` (R fixed random). Returns `null` when everything agrees
 * within tolerance (default 1e-5 absolute, 1e-4 relative), else what differs first. With
 * `gradients: false` only outputs are compared (for cases tfjs-layers cannot differentiate).
 */
export function compareWithReference(
  ours: Module,
  ref: ReferenceLayer,
  x: tf.Tensor,
  weights: readonly tf.Variable[],
  options: Tolerance & { gradients?: boolean } = {},
): string | null {
  const { gradients = true, ...tol } = options;
  let result: string | null = null;
  tf.tidy(() => {
    result = compare();
  });
  return result;

  function compare(): string | null {
    tf.dispose(ref.apply(x) as tf.Tensor); // builds the reference layer
    if (weights.length > 0) ref.setWeights([...weights]);
    const runOurs = (t: tf.Tensor): tf.Tensor => ours.apply(t);
    const runRef = (t: tf.Tensor): tf.Tensor => ref.apply(t) as tf.Tensor;
    const yOurs = runOurs(x);
    const out = compareTensors(yOurs, runRef(x), tol);
    if (out !== null) return `output: ${out}`;
    if (!gradients) return null;
    const r = rng(11).normalTensor(yOurs.shape);
    const loss = (run: (t: tf.Tensor) => tf.Tensor) => (t: tf.Tensor) => tf.sum(tf.mul(run(t), r));
    const dx = compareTensors(tf.grad(loss(runOurs))(x), tf.grad(loss(runRef))(x), tol);
    if (dx !== null) return `input gradient: ${dx}`;
    const refVars = ref.trainableWeights.map((w) => w.read() as tf.Variable);
    if (refVars.length !== weights.length) return `reference has ${refVars.length} trainable weights, ours ${weights.length}`;
    if (weights.length === 0) return null;
    const gOurs = tf.variableGrads(() => loss(runOurs)(x) as tf.Scalar, [...weights]).grads;
    const gRef = tf.variableGrads(() => loss(runRef)(x) as tf.Scalar, refVars).grads;
    for (let i = 0; i < weights.length; i++) {
      const d = compareTensors(gOurs[weights[i]!.name]!, gRef[refVars[i]!.name]!, tol);
      if (d !== null) return `gradient of weight ${i} (${weights[i]!.shape.join('×')}): ${d}`;
    }
    return null;
  }
}

/**
 * A dilated kernel written out with zeros between the taps, `[(kh−1)d+1, (kw−1)d+1, C, F]`,
 * built with differentiable ops (a 0/1 placement matrix), so an undilated tf.conv2d (or
 * depthwiseConv2d) with it is an independent reference for dilated convolution and its gradients.
 */
export function explicitDilatedKernel(kernel: tf.Tensor, [dh, dw]: [number, number]): tf.Tensor4D {
  const [kh, kw, c, f] = kernel.shape as [number, number, number, number];
  const eh = (kh - 1) * dh + 1;
  const ew = (kw - 1) * dw + 1;
  const place = new Float32Array(eh * ew * kh * kw);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) place[(i * dh * ew + j * dw) * kh * kw + i * kw + j] = 1;
  const p = tf.tensor2d(place, [eh * ew, kh * kw]);
  return tf.reshape(tf.matMul(p, tf.reshape(kernel, [kh * kw, c * f])), [eh, ew, c, f]) as tf.Tensor4D; // (eh, ew, C, F)
}
