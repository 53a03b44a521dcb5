import { ShapeError, formatShape, tf } from '@tensorloom/core';
import { sampleBeta } from '../internal/beta.js';
import { checkMixOptions, mixBatch } from '../internal/mix.js';
import type { LabeledBatch } from '../internal/mix.js';
import type { RngSource } from '../types.js';

export type { LabeledBatch };

/**
 * A transform over a whole labeled batch that returns mixed one-hot labels (float32
 * `[batch, classes]`) in place of the input labels.
 *
 * @example
 * ```ts
 * const t: MixTransform = augment.mixup({ alpha: 0.2, numClasses: 10 });
 * const { image, label } = t({ image: xs, label: ys }, rng(1)); // label: [batch, 10]
 * ```
 */
export type MixTransform = <B extends LabeledBatch>(
  batch: B,
  rng: RngSource,
) => Omit<B, 'label'> & {
  /** The mixed labels, `[batch, classes]` float32. */
  label: tf.Tensor2D;
};

/**
 * Options of {@link mixup}.
 *
 * @example
 * ```ts
 * const mix = augment.mixup({ alpha: 0.2, numClasses: 10 });
 * const batches = Dataset.from(train).batch(64).map(mix);
 * ```
 */
export interface MixupConfig {
  /** Concentration of the Beta(α, α) that λ is drawn from; > 0 (the paper uses 0.1–0.4). */
  alpha: number;
  /** Number of classes; required when labels are sparse ids `[batch]`. */
  numClasses?: number;
  /**
   * Draw λ for each example (`true`, the default) or one λ for the whole batch, as in the
   * paper's reference code (`false`).
   */
  perExample?: boolean;
}

/**
 * mixup (Zhang et al. 2018, https://arxiv.org/abs/1710.09412): blends each example with a
 * random partner from the same batch, images and labels alike.
 *
 * With λ ~ Beta(α, α) and a random permutation π of the batch:
 * `image_i = λ_i · image_i + (1 − λ_i) · image_π(i)`, `label_i = λ_i · y_i + (1 − λ_i) · y_π(i)`,
 * with `y` the one-hot labels (sparse ids `[batch]` are expanded with `numClasses`).
 * Train with a loss that takes soft targets (categorical cross-entropy on probabilities).
 *
 * Batches only; a segmentation mask is refused (blended class ids mean nothing — use
 * {@link cutmix}). Other fields pass through.
 *
 * Input: `{ image: [batch, h, w, c], label: [batch] | [batch, classes] }`. Output: the same
 * image shape, `label: [batch, classes]` float32.
 *
 * @param config - α, the class count and whether λ is per example.
 * @returns a {@link MixTransform}.
 * @throws {@link @tensorloom/core!ConfigError} when α ≤ 0 or `numClasses` is not an integer ≥ 2.
 * @throws {@link @tensorloom/core!ShapeError} at call time for an image that is not a batch,
 *   labels that do not match it, sparse labels without `numClasses`, ids out of range, or a mask.
 * @example
 * ```ts
 * const mix = augment.mixup({ alpha: 0.2, numClasses: 10 });
 * const batches = Dataset.from(train).batch(64).map(mix);
 * ```
 */
export function mixup(config: MixupConfig): MixTransform {
  const unit = 'mixup';
  const { alpha, numClasses, perExample } = checkMixOptions(unit, config, undefined);
  return (batch, source) => {
    if (batch !== null && typeof batch === 'object' && (batch as { mask?: unknown }).mask !== undefined) {
      const mask = (batch as { mask?: unknown }).mask;
      throw new ShapeError(
        `${unit}: mask expected none (blended class ids have no meaning), got ${mask instanceof tf.Tensor ? `a tensor ${formatShape(mask.shape)}` : 'a value'}`,
        { help: 'use augment.cutmix for segmentation batches, or drop the mask field' },
      );
    }
    return mixBatch(unit, batch, source, numClasses, ({ images, labels, perm, r, n }) => {
      const shared = perExample ? 0 : sampleBeta(r, alpha, alpha);
      const lambdas = Float32Array.from({ length: n }, () => (perExample ? sampleBeta(r, alpha, alpha) : shared));
      const index = tf.tensor1d(perm, 'int32');
      const lamImage = tf.tensor4d(lambdas, [n, 1, 1, 1]);
      const lamLabel = tf.tensor2d(lambdas, [n, 1]);
      const blend = <T extends tf.Tensor>(x: T, lam: tf.Tensor): T =>
        tf.add(tf.mul(x, lam), tf.mul(tf.gather(x, index), tf.sub(1, lam)));
      return { images: blend(images, lamImage), labels: blend(labels, lamLabel) };
    });
  };
}
