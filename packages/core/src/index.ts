/**
 * `@tensorloom/core`: the tensor adapter every Tensorloom package stands on.
 *
 * Importing it completes tfjs-core (gradients, chained tensor methods, the cpu backend) and
 * gives backends, seeded randomness, memory helpers, shape checks, typed errors and
 * safetensors files. Every other Tensorloom package reaches tfjs through the `tf` namespace
 * exported here, so a program has one tfjs engine.
 *
 * @example
 * ```ts
 * import { tf, rng, useBackend } from '@tensorloom/core';
 * await useBackend('cpu');
 * const w = tf.variable(rng(1).normalTensor([2, 1]));
 * const loss = () => tf.sum(tf.square(tf.matMul(tf.ones([4, 2]), w)));
 * const { grads } = tf.variableGrads(loss as () => tf.Scalar);
 * ```
 *
 * @packageDocumentation
 */
import './register.js';

import * as tf from '@tensorflow/tfjs-core';

/**
 * The whole of `@tensorflow/tfjs-core`, completed with gradients and chained methods.
 * Use it instead of importing tfjs-core yourself.
 *
 * @example
 * ```ts
 * import { tf } from '@tensorloom/core';
 * const y = tf.relu(tf.tensor([-1, 2]));
 * ```
 */
export { tf };

export {
  TensorloomError,
  ShapeError,
  DTypeError,
  ValueError,
  ConfigError,
  BackendError,
  LeakError,
  FormatError,
} from './errors.js';
export type { TensorloomErrorOptions } from './errors.js';

export { assert, assertRank, assertShape, assertSameShape, assertDtype, formatShape } from './checks.js';
export type { ShapePattern, TypedArray } from './checks.js';

export { describeValue, invalidOption, inRange, finiteNumber, intInRange, positiveInt, oneOf } from './validate.js';
export type { RangeBounds } from './validate.js';

export { Rng, rng } from './rng.js';

export { useBackend, registerBackendProvider, registeredBackends, currentBackend } from './backends.js';
export type { BackendName, BackendProvider } from './backends.js';

export { scope, keep, disposeAll, forEachTensor, forEachAsync, expectNoLeaks } from './memory.js';
export type { ForEachAsyncOptions } from './memory.js';

export { readSafetensors, readSafetensorsRaw, readSafetensorsHeader, writeSafetensors, checkTensorMap } from './safetensors.js';
export type {
  SafetensorsArray,
  SafetensorsRawTensor,
  SafetensorsTypedTensor,
  SafetensorsValue,
  SafetensorsRawContent,
  WriteSafetensorsOptions,
  SafetensorsDtype,
  SafetensorsEntry,
  SafetensorsHeader,
  SafetensorsExpectation,
  ReadSafetensorsOptions,
  SafetensorsContent,
} from './safetensors.js';

export { hasKernel } from './fused/has-kernel.js';
export { FusedAttention, FusedAttentionGrad } from './fused/attention.js';
export type { FusedAttentionInputs, FusedAttentionGradInputs, FusedAttentionAttrs } from './fused/attention.js';
export { FusedLayerNorm, FusedLayerNormGrad } from './fused/layer-norm.js';
export type { FusedLayerNormInputs, FusedLayerNormGradInputs, FusedLayerNormAttrs } from './fused/layer-norm.js';
export { FusedLstmSequence, FusedLstmSequenceGrad, FusedGruSequence, FusedGruSequenceGrad, lstmSequence, gruSequence } from './fused/recurrent.js';
export type { FusedRecurrentAttrs, FusedSequenceOptions } from './fused/recurrent.js';
