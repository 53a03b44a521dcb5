import { tf } from '@tensorloom/core';
import { sampleBeta } from '../internal/beta.js';
import { rectMask } from '../internal/erase.js';
import type { Rect } from '../internal/erase.js';
import { checkMixOptions, mixBatch } from '../internal/mix.js';
import type { MixTransform } from './mixup.js';

/**
 * Options of {@link cutmix}.
 *
 * @example
 * ```ts
 * const mix = augment.cutmix({ numClasses: 10 });
 * const { image, label } = mix({ image: xs, label: ys }, rng(1));
 * ```
 */
export interface CutmixConfig {
  /** Concentration of the Beta(α, α) that λ is drawn from; > 0. Default `1` (λ uniform, as in the paper). */
  alpha?: number;
  /** Number of classes; required when labels are sparse ids `[batch]`. */
  numClasses?: number;
  /**
   * Draw λ and the box for each example (`true`, the default) or one for the whole batch,
   * as in the paper's reference code (`false`).
   */
  perExample?: boolean;
}

/**
 * CutMix (Yun et al. 2019, https://arxiv.org/abs/1905.04899): pastes a random box from a
 * partner example of the same batch into each example, and mixes the labels by area.
 *
 * With λ ~ Beta(α, α), the box has sides `floor(h·√(1−λ)) × floor(w·√(1−λ))`, is centred on a
 * uniformly random pixel and clipped to the image; the label weight is then corrected to
 * the box's actual area: `λ' = 1 − box area / (h·w)`, `label_i = λ'_i · y_i + (1 − λ'_i) · y_π(i)`.
 * A segmentation mask gets the same box pasted from the partner's mask, so it stays aligned.
 * Other fields pass through.
 *
 * Input: `{ image: [batch, h, w, c], label: [batch] | [batch, classes], mask? }`. Output:
 * the same image and mask shapes, `label: [batch, classes]` float32.
 *
 * @param config - α, the class count and whether the box is per example.
 * @returns a {@link MixTransform}.
 * @throws {@link @tensorloom/core!ConfigError} when α ≤ 0 or `numClasses` is not an integer ≥ 2.
 * @throws {@link @tensorloom/core!ShapeError} at call time for an image that is not a batch,
 *   labels that do not match it, sparse labels without `numClasses`, or ids out of range.
 * @example
 * ```ts
 * const mix = augment.cutmix({ numClasses: 10 });
 * const { image, label } = mix({ image: xs, label: ys }, rng(1));
 * ```
 */
export function cutmix(config: CutmixConfig = {}): MixTransform {
  const unit = 'cutmix';
  const { alpha, numClasses, perExample } = checkMixOptions(unit, config, 1);
  return (batch, source) =>
    mixBatch(unit, batch, source, numClasses, ({ images, masks, labels, perm, r, n, height, width }) => {
      const draw = (): Rect => {
        const lam = sampleBeta(r, alpha, alpha);
        const cut = Math.sqrt(1 - lam);
        const ch = Math.floor(height * cut);
        const cw = Math.floor(width * cut);
        const cy = r.int(height);
        const cx = r.int(width);
        const top = Math.min(height, Math.max(0, cy - Math.floor(ch / 2)));
        const left = Math.min(width, Math.max(0, cx - Math.floor(cw / 2)));
        const bottom = Math.min(height, Math.max(0, cy - Math.floor(ch / 2) + ch));
        const right = Math.min(width, Math.max(0, cx - Math.floor(cw / 2) + cw));
        return { top, left, height: bottom - top, width: right - left };
      };
      const shared = perExample ? null : draw();
      const boxes = Array.from({ length: n }, () => shared ?? draw());
      const kept = Float32Array.from(boxes, (b) => 1 - (b.height * b.width) / (height * width));
      const index = tf.tensor1d(perm, 'int32');
      const inside = tf.cast(rectMask(n, height, width, boxes), 'bool');
      const paste = (x: tf.Tensor4D): tf.Tensor4D => tf.where(tf.broadcastTo(inside, x.shape), tf.gather(x, index), x);
      const lam = tf.tensor2d(kept, [n, 1]);
      const mixed = tf.add(tf.mul(labels, lam), tf.mul(tf.gather(labels, index), tf.sub(1, lam))) as tf.Tensor2D;
      return masks === null
        ? { images: paste(images), labels: mixed }
        : { images: paste(images), masks: paste(masks), labels: mixed };
    });
}
