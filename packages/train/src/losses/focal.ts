import { tf } from '@tensorloom/core';

import { binaryCrossentropyElements } from './binary-crossentropy.js';
import type { Loss } from './loss.js';
import { PROB_EPSILON } from './log-probabilities.js';
import { checkFlag, checkFloat, checkLossOptions, checkNumber, checkReduction, checkSameShape, makeLoss, reduceLoss } from './reduce.js';
import type { BaseLossOptions } from './reduce.js';

/**
 * Options of {@link binaryFocalCrossentropy}.
 *
 * @example
 * ```ts
 * const options: BinaryFocalCrossentropyOptions = { fromLogits: true, gamma: 2, alpha: 0.25 };
 * ```
 */
export interface BinaryFocalCrossentropyOptions extends BaseLossOptions {
  /** The focusing parameter γ ≥ 0; default 2 (γ = 0 is binary cross-entropy). */
  gamma?: number;
  /** Class balance α in [0, 1]: positives weigh α, negatives 1 − α; default none (no balancing). */
  alpha?: number;
  /** yPred holds logits rather than probabilities; default false. */
  fromLogits?: boolean;
  /** ε in [0, 1]: targets become `y(1−ε) + ε/2`; default 0. */
  labelSmoothing?: number;
}

/**
 * Binary focal cross-entropy (Lin et al., https://arxiv.org/abs/1708.02002), Keras'
 * `BinaryFocalCrossentropy`: `α_t·(1 − p_t)^γ·BCE(y, p)` with `p_t = y·p + (1 − y)(1 − p)`,
 * averaged over the last axis; from logits the BCE is the stable softplus form.
 *
 * Shapes: yTrue and yPred the same shape `[B, …, D]`; `'none'` gives `[B, …]`.
 *
 * @param options - {@link BinaryFocalCrossentropyOptions}.
 * @returns a {@link Loss} named `'binary_focal_crossentropy'`.
 * @throws ConfigError for a bad option; ShapeError when the shapes differ.
 * @example
 * ```ts
 * losses.binaryFocalCrossentropy({ fromLogits: true })(tf.tensor2d([[1], [0]]), tf.tensor2d([[3], [-2]]));
 * ```
 */
export function binaryFocalCrossentropy(options: BinaryFocalCrossentropyOptions = {}): Loss {
  const name = 'binary_focal_crossentropy';
  checkLossOptions(name, options, ['gamma', 'alpha', 'fromLogits', 'labelSmoothing']);
  const reduction = checkReduction(name, options.reduction);
  const gamma = checkNumber(name, 'gamma', options.gamma ?? 2, 0, Infinity, 'a number ≥ 0');
  const alpha = options.alpha === undefined ? undefined : checkNumber(name, 'alpha', options.alpha, 0, 1, 'a number in [0, 1]');
  const fromLogits = checkFlag(name, 'fromLogits', options.fromLogits, false);
  const smoothing = checkNumber(name, 'labelSmoothing', options.labelSmoothing ?? 0, 0, 1, 'a number in [0, 1]');
  return makeLoss(name, (yTrue, yPred, sampleWeight) => {
    checkFloat(name, 'yPred', yPred);
    checkSameShape(name, yTrue, yPred);
    let y = tf.cast(yTrue, 'float32');
    if (smoothing > 0) y = tf.add(tf.mul(y, 1 - smoothing), smoothing / 2);
    const bce = binaryCrossentropyElements(y, yPred, fromLogits);
    const p = fromLogits ? tf.sigmoid(yPred) : tf.clipByValue(yPred, PROB_EPSILON, 1 - PROB_EPSILON);
    const oneMinusPt = tf.add(tf.mul(y, tf.sub(1, p)), tf.mul(tf.sub(1, y), p));
    let e = gamma === 0 ? bce : tf.mul(tf.pow(oneMinusPt, gamma), bce);
    if (alpha !== undefined) e = tf.mul(e, tf.add(tf.mul(y, alpha), tf.mul(tf.sub(1, y), 1 - alpha)));
    return reduceLoss(name, yPred.rank <= 1 ? e : tf.mean(e, -1), reduction, sampleWeight);
  });
}

/**
 * Options of {@link categoricalFocalCrossentropy}.
 *
 * @example
 * ```ts
 * const options: CategoricalFocalCrossentropyOptions = { fromLogits: true, gamma: 2, alpha: 0.25 };
 * ```
 */
export interface CategoricalFocalCrossentropyOptions extends BaseLossOptions {
  /** The focusing parameter γ ≥ 0; default 2. */
  gamma?: number;
  /** A weight α ≥ 0 on every term; default 0.25 (Keras'). */
  alpha?: number;
  /** yPred holds logits (log-softmax taken here) rather than probabilities; default false. */
  fromLogits?: boolean;
  /** ε in [0, 1]: targets become `(1−ε)y + ε/C`; default 0. */
  labelSmoothing?: number;
}

/**
 * Multi-class focal cross-entropy (Lin et al., https://arxiv.org/abs/1708.02002), Keras'
 * `CategoricalFocalCrossentropy`: `−Σ_c α·(1 − p_c)^γ·y_c·log p_c` over the last axis, with one-hot
 * or soft targets; from logits `log p` is a stable log-softmax.
 *
 * Shapes: yTrue and yPred `[...S, C]`; `'none'` gives `[...S]`.
 *
 * @param options - {@link CategoricalFocalCrossentropyOptions}.
 * @returns a {@link Loss} named `'categorical_focal_crossentropy'`.
 * @throws ConfigError for a bad option; ShapeError when the shapes differ.
 * @example
 * ```ts
 * losses.categoricalFocalCrossentropy({ fromLogits: true })(tf.tensor2d([[0, 1, 0]]), tf.tensor2d([[1, 2, 0]]));
 * ```
 */
export function categoricalFocalCrossentropy(options: CategoricalFocalCrossentropyOptions = {}): Loss {
  const name = 'categorical_focal_crossentropy';
  checkLossOptions(name, options, ['gamma', 'alpha', 'fromLogits', 'labelSmoothing']);
  const reduction = checkReduction(name, options.reduction);
  const gamma = checkNumber(name, 'gamma', options.gamma ?? 2, 0, Infinity, 'a number ≥ 0');
  const alpha = checkNumber(name, 'alpha', options.alpha ?? 0.25, 0, Infinity, 'a number ≥ 0');
  const fromLogits = checkFlag(name, 'fromLogits', options.fromLogits, false);
  const smoothing = checkNumber(name, 'labelSmoothing', options.labelSmoothing ?? 0, 0, 1, 'a number in [0, 1]');
  return makeLoss(name, (yTrue, yPred, sampleWeight) => {
    checkFloat(name, 'yPred', yPred);
    checkSameShape(name, yTrue, yPred);
    const classes = yPred.shape[yPred.rank - 1];
    let y = tf.cast(yTrue, 'float32');
    if (smoothing > 0) y = tf.add(tf.mul(y, 1 - smoothing), smoothing / classes);
    let logp: tf.Tensor;
    let p: tf.Tensor;
    if (fromLogits) {
      logp = tf.logSoftmax(yPred, -1);
      p = tf.exp(logp);
    } else {
      p = tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), PROB_EPSILON, 1 - PROB_EPSILON);
      logp = tf.log(p);
    }
    const factor = gamma === 0 ? tf.fill(p.shape, alpha) : tf.mul(tf.pow(tf.sub(1, p), gamma), alpha);
    return reduceLoss(name, tf.neg(tf.sum(tf.mul(tf.mul(factor, y), logp), -1)), reduction, sampleWeight);
  });
}
