import { tf } from '@tensorloom/core';

import type { Loss } from './loss.js';
import { checkFloat, checkLossOptions, checkReduction, checkSameShape, makeLoss, reduceLoss } from './reduce.js';
import type { BaseLossOptions } from './reduce.js';

/**
 * Options of {@link cosineSimilarity}.
 *
 * @example
 * ```ts
 * const options: CosineSimilarityOptions = { reduction: 'none' };
 * ```
 */
export type CosineSimilarityOptions = BaseLossOptions;

const NAME = 'cosine_similarity';

/**
 * Negative cosine similarity over the last axis, `−⟨y, ŷ⟩ / (‖y‖·‖ŷ‖)` with each norm floored at
 * 1e-6 (Keras' `CosineSimilarity` loss: −1 is best, 0 orthogonal, 1 opposite).
 *
 * Shapes: yTrue and yPred `[...S, D]`; `'none'` gives `[...S]`.
 *
 * @param options - {@link CosineSimilarityOptions}.
 * @returns a {@link Loss} named `'cosine_similarity'`.
 * @throws ShapeError when the shapes differ.
 * @example
 * ```ts
 * losses.cosineSimilarity()(tf.tensor2d([[1, 0]]), tf.tensor2d([[1, 1]])); // −√½
 * ```
 */
export function cosineSimilarity(options: CosineSimilarityOptions = {}): Loss {
  checkLossOptions(NAME, options, []);
  const reduction = checkReduction(NAME, options.reduction);
  return makeLoss(NAME, (yTrue, yPred, sampleWeight) => {
    checkFloat(NAME, 'yPred', yPred);
    checkSameShape(NAME, yTrue, yPred);
    const y = tf.cast(yTrue, 'float32');
    const norm = (t: tf.Tensor) => tf.sqrt(tf.maximum(tf.sum(tf.square(t), -1), 1e-12));
    const cos = tf.div(tf.sum(tf.mul(y, yPred), -1), tf.mul(norm(y), norm(yPred)));
    return reduceLoss(NAME, tf.neg(cos), reduction, sampleWeight);
  });
}
