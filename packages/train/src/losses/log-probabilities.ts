import { tf } from '@tensorloom/core';

/** Keras' clipping epsilon for losses on probabilities. */
export const PROB_EPSILON = 1e-7;

/**
 * @internal Log-probabilities over the last axis: `x − logsumexp(x)` for logits (stable for any
 * magnitude), else `log(clip(p / Σp, ε, 1 − ε))` as Keras does for probabilities.
 */
export function logProbabilities(yPred: tf.Tensor, fromLogits: boolean): tf.Tensor {
  if (fromLogits) return tf.logSoftmax(yPred, -1);
  const p = tf.div(yPred, tf.sum(yPred, -1, true));
  return tf.log(tf.clipByValue(p, PROB_EPSILON, 1 - PROB_EPSILON));
}
