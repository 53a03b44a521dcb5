import { tf } from '@tensorloom/core';

import type { Loss } from './loss.js';
import { checkFloat, checkLossOptions, checkReduction, checkSameShape, makeLoss, reduceLoss } from './reduce.js';
import type { BaseLossOptions } from './reduce.js';

/**
 * @internal A loss that averages an element-wise penalty of (yTrue, yPred) over the last axis (a
 * rank-1 input is one value per sample), as Keras' regression losses do.
 */
export function elementwiseLoss(
  name: string,
  options: BaseLossOptions & Record<string, unknown>,
  known: readonly string[],
  penalty: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor,
): Loss {
  checkLossOptions(name, options, known);
  const reduction = checkReduction(name, options.reduction);
  return makeLoss(name, (yTrue, yPred, sampleWeight) => {
    checkFloat(name, 'yPred', yPred);
    checkSameShape(name, yTrue, yPred);
    const e = penalty(tf.cast(yTrue, 'float32'), yPred);
    return reduceLoss(name, yPred.rank <= 1 ? e : tf.mean(e, -1), reduction, sampleWeight);
  });
}
