import { FusedGruSequence, FusedGruSequenceGrad, FusedLstmSequence, FusedLstmSequenceGrad, gruSequence, hasKernel, lstmSequence, tf } from '@tensorloom/core';
import type { ActivationFn, ActivationName } from '../core/activations.js';
import { tidyResult } from './recurrent.js';
import type { RecurrentParameters, RecurrentResult, RecurrentRunOptions } from './recurrent.js';

// The fused whole-sequence path of LSTM and GRU: on a backend that registers core's fused
// recurrent kernels (forward and backward), a whole sequence is one kernel call forward and
// one backward (core's `lstmSequence` / `gruSequence`, whose gradient is the backward
// kernel). It covers what those kernels compute — `activation: 'tanh'` and
// `recurrentActivation: 'sigmoid'` given by name, float32 inputs, masks or none, initial
// states or zeros, `goBackwards`, `returnSequences` either way, input dropout (applied to x
// before the call), GRU `resetAfter` both ways, with or without bias — and not recurrent
// dropout, whose mask sits inside the recurrence. Anything else takes the general path
// (`recurrentScan`), unchanged.

const enabled = { fused: true };

/**
 * Turns the fused path off (or on again); returns the previous setting. For tests and
 * benchmarks that compare the two paths on one backend.
 *
 * @internal
 */
export function setFusedRecurrent(on: boolean): boolean {
  const previous = enabled.fused;
  enabled.fused = on;
  return previous;
}

/** Whether a call with these activations and options is one the fused kernels compute. */
function covered(
  x: tf.Tensor,
  options: RecurrentRunOptions,
  activation: ActivationName | ActivationFn,
  recurrentActivation: ActivationName | ActivationFn,
  kernels: readonly string[],
): boolean {
  return (
    enabled.fused &&
    activation === 'tanh' &&
    recurrentActivation === 'sigmoid' &&
    !options.recurrentDropoutMask &&
    x.dtype === 'float32' &&
    kernels.every((k) => hasKernel(k))
  );
}

/** The last step of `[batch, time, units]`: `[batch, units]`. */
function lastStep(seq: tf.Tensor): tf.Tensor2D {
  const [batch, time, units] = seq.shape as [number, number, number];
  return tf.reshape(tf.slice(seq, [0, time - 1, 0], [batch, 1, units]), [batch, units]);
}

/** The input the kernel reads: `x` with the input dropout mask applied. */
function droppedInput(x: tf.Tensor, options: RecurrentRunOptions): tf.Tensor {
  return options.inputDropoutMask ? tf.mul(x, tf.expandDims(options.inputDropoutMask, 1)) : x;
}

/**
 * The LSTM over a sequence as one fused kernel call, or `null` when the backend or the
 * configuration is not covered (the caller then takes the general path).
 *
 * @internal
 */
export function fusedLstm(
  x: tf.Tensor,
  params: RecurrentParameters,
  options: RecurrentRunOptions,
  activation: ActivationName | ActivationFn,
  recurrentActivation: ActivationName | ActivationFn,
): RecurrentResult | null {
  if (!covered(x, options, activation, recurrentActivation, [FusedLstmSequence, FusedLstmSequenceGrad])) return null;
  return tidyResult(() => {
    const batch = x.shape[0]!;
    const units = params.recurrentKernel.shape[0]!;
    const bias = params.bias ?? tf.zeros([4 * units]);
    const [h0, c0] = options.initialState ?? [tf.zeros([batch, units]), tf.zeros([batch, units])];
    const { h, c } = lstmSequence(droppedInput(x, options), params.kernel, params.recurrentKernel, bias, h0!, c0!, {
      mask: options.mask ?? null,
      goBackwards: options.goBackwards ?? false,
    }); // (B, T, U) each, processing order
    const hLast = lastStep(h);
    return { output: options.returnSequences ? h : hLast, states: [hLast, lastStep(c)] };
  });
}

/**
 * The GRU over a sequence as one fused kernel call, or `null` when not covered.
 *
 * @internal
 */
export function fusedGru(
  x: tf.Tensor,
  params: RecurrentParameters,
  options: RecurrentRunOptions & { resetAfter?: boolean },
  activation: ActivationName | ActivationFn,
  recurrentActivation: ActivationName | ActivationFn,
): RecurrentResult | null {
  if (!covered(x, options, activation, recurrentActivation, [FusedGruSequence, FusedGruSequenceGrad])) return null;
  return tidyResult(() => {
    const batch = x.shape[0]!;
    const units = params.recurrentKernel.shape[0]!;
    const resetAfter = options.resetAfter ?? false;
    const bias = params.bias ?? tf.zeros(resetAfter ? [2, 3 * units] : [3 * units]);
    const [h0] = options.initialState ?? [tf.zeros([batch, units])];
    const h = gruSequence(droppedInput(x, options), params.kernel, params.recurrentKernel, bias, h0!, {
      mask: options.mask ?? null,
      goBackwards: options.goBackwards ?? false,
      resetAfter,
    }); // (B, T, U), processing order
    const hLast = lastStep(h);
    return { output: options.returnSequences ? h : hLast, states: [hLast] };
  });
}
