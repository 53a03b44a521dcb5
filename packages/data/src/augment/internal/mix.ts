import { DTypeError, ShapeError, describeValue, formatShape, inRange, intInRange, scope, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import type { RngSource } from '../types.js';
import { inspect, resolveRng } from './sample.js';

/**
 * A batch for {@link mixup}-style transforms: NHWC images and their labels, either sparse class
 * ids `[batch]` (int32, or float32 holding integers) with `numClasses` given, or one-hot /
 * soft labels `[batch, classes]`. Other fields pass through unchanged.
 *
 * @example
 * ```ts
 * const batch: LabeledBatch = { image: tf.zeros([8, 28, 28, 1]) as tf.Tensor4D, label: tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32') };
 * augment.mixup({ alpha: 0.2, numClasses: 10 })(batch, rng(1));
 * ```
 */
export interface LabeledBatch {
  /** `[batch, h, w, c]`, float32. */
  image: tf.Tensor4D;
  /** `[batch]` class ids or `[batch, classes]` one-hot (or soft) labels. */
  label: tf.Tensor;
  /** Optional segmentation mask `[batch, h, w]` or `[batch, h, w, 1]` (cutmix only). */
  mask?: tf.Tensor;
}

/** The validated options shared by mixup and cutmix. */
export interface MixOptions {
  alpha: number;
  numClasses: number | undefined;
  perExample: boolean;
}

export function checkMixOptions(
  unit: string,
  config: { alpha?: unknown; numClasses?: unknown; perExample?: unknown },
  defaultAlpha: number | undefined,
): MixOptions {
  return {
    alpha: inRange(unit, 'alpha', config.alpha ?? defaultAlpha, { min: 0, minOpen: true }),
    numClasses: config.numClasses === undefined ? undefined : intInRange(unit, 'numClasses', config.numClasses, 2),
    perExample: config.perExample === undefined ? true : Boolean(config.perExample),
  };
}

/** Labels as float32 `[n, classes]`; sparse ids become one-hot. */
function toDense(unit: string, label: unknown, n: number, numClasses: number | undefined): tf.Tensor2D {
  if (!(label instanceof tf.Tensor)) {
    throw new ShapeError(`${unit}: label expected a tensor [batch] or [batch, classes], got ${describeValue(label)}`);
  }
  if ((label.rank !== 1 && label.rank !== 2) || label.shape[0] !== n) {
    throw new ShapeError(
      `${unit}: label expected shape [${n}] (class ids) or [${n}, classes] (one-hot) to match the batch, got ${formatShape(label.shape)}`,
    );
  }
  if (label.dtype !== 'int32' && label.dtype !== 'float32') {
    throw new DTypeError(`${unit}: label dtype expected int32 or float32, got ${label.dtype}`);
  }
  if (label.rank === 2) {
    if (numClasses !== undefined && label.shape[1] !== numClasses) {
      throw new ShapeError(`${unit}: label axis 1 expected ${numClasses} (numClasses), got shape ${formatShape(label.shape)}`);
    }
    return tf.cast(label, 'float32') as tf.Tensor2D;
  }
  if (numClasses === undefined) {
    throw new ShapeError(`${unit}: numClasses expected a class count for sparse labels [batch], got undefined`, {
      help: `pass { numClasses } to the factory (e.g. ${unit}({ alpha: 0.2, numClasses: 10 })), or give one-hot labels [batch, classes]`,
    });
  }
  const ids = label.dataSync();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (!Number.isInteger(id) || id < 0 || id >= numClasses) {
      throw new ShapeError(`${unit}: label expected class ids in [0, ${numClasses}), got ${id} at index ${i}`);
    }
  }
  return tf.oneHot(tf.cast(label, 'int32') as tf.Tensor1D, numClasses, 1, 0, 'float32') as tf.Tensor2D;
}

/** What a mixing body receives. */
export interface MixInput {
  images: tf.Tensor4D;
  masks: tf.Tensor4D | null;
  labels: tf.Tensor2D;
  /** The partner of each example (a random permutation of the batch). */
  perm: Int32Array;
  r: Rng;
  n: number;
  height: number;
  width: number;
}

/** Runs a mixing body on a labeled batch, handling checks, dtypes and disposal. */
export function mixBatch<B extends LabeledBatch>(
  unit: string,
  batch: B,
  source: RngSource,
  numClasses: number | undefined,
  body: (input: MixInput) => { images: tf.Tensor4D; masks?: tf.Tensor4D; labels: tf.Tensor2D },
): Omit<B, 'label'> & { label: tf.Tensor2D } {
  const r = resolveRng(unit, source);
  const p = inspect(unit, batch, [4]);
  const [n, height, width] = p.image.shape;
  const outs = scope(() => {
    const labels = toDense(unit, (batch as { label?: unknown }).label, n, numClasses);
    const masks = p.mask === null ? null : (tf.reshape(tf.cast(p.mask, 'float32'), [n, height, width, 1]) as tf.Tensor4D);
    const perm = r.permutation(n);
    const out = body({ images: p.image as tf.Tensor4D, masks, labels, perm, r, n, height, width });
    if (p.mask === null || out.masks === undefined) return { images: out.images, labels: out.labels };
    const m = tf.reshape(out.masks, p.mask.shape);
    return { images: out.images, labels: out.labels, mask: p.mask.dtype === 'float32' ? m : tf.cast(m, p.mask.dtype) };
  });
  const result: Record<string, unknown> = { ...(batch as object), image: outs.images, label: outs.labels };
  if (outs.mask !== undefined) result['mask'] = outs.mask;
  return result as Omit<B, 'label'> & { label: tf.Tensor2D };
}
