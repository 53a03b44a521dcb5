// The loss: cross-entropy over the pixel labels plus a soft Dice loss over the classes.
import { tf } from '@tensorloom/core';
import { losses } from '@tensorloom/train';
import type { Loss } from '@tensorloom/train';

/**
 * Dice + cross-entropy for logits `[b, h, w, C]` and labels `[b, h, w]`: train's
 * `sparseCategoricalCrossentropy({ fromLogits: true })` (the mean over pixels) plus train's
 * soft `dice` on the softmax, per class and averaged over the C classes.
 *
 * The Dice sums run over the whole batch (every pixel of every canvas as one sample, as
 * nnU-Net's "batch Dice"): a canvas holds one to three digits, so per canvas most digit
 * classes are absent and their Dice would be a 0-or-1 coin; over a batch every class is
 * present and each term is a real overlap. `smooth` 1 keeps a class absent from the batch
 * near 0 loss once the network stops predicting it. Cross-entropy gives every pixel a
 * gradient from the first step; Dice weighs the small digit classes as much as the
 * background, which covers about 90 % of the pixels.
 */
export function diceCrossEntropy(classes: number): Loss {
  const crossEntropy = losses.sparseCategoricalCrossentropy({ fromLogits: true });
  const dice = losses.dice({ activation: 'softmax', perClass: true, smooth: 1 });
  const loss = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor =>
    tf.tidy(() => {
      const onehot = tf.oneHot(tf.reshape(tf.cast(yTrue, 'int32'), [1, -1]), classes); // (1, b·h·w, C)
      const logits = tf.reshape(yPred, [1, -1, classes]); // (1, b·h·w, C)
      return tf.add(crossEntropy(yTrue, yPred), dice(onehot, logits));
    });
  return Object.assign(loss, { lossName: 'dice_cross_entropy' }) as Loss;
}
