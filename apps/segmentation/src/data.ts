// The data: `mnistSegmentation` of @tensorloom/datasets (64×64 canvases of one to three
// MNIST digits, 11 mask classes), its documented 2,000 / 500 split, and the batches.
import type { tf } from '@tensorloom/core';
import { Dataset, augment } from '@tensorloom/data';
import { mnistSegmentation } from '@tensorloom/datasets';
import type { SegmentationSplit } from '@tensorloom/datasets';

/** The splits of one run. */
export interface SegmentationData {
  train: SegmentationSplit;
  validation: SegmentationSplit;
  test: SegmentationSplit;
  /** `'background'`, then `'0'` … `'9'`: class 1 + d is digit d. */
  classNames: readonly string[];
}

/**
 * Loads the documented split: 2,000 train canvases (built from the 8,000 MNIST train-split
 * digits) and 500 test canvases (from the 2,000 test-split digits, so no test digit was ever
 * seen in training). The last 10 % of the train canvases are held out for validation, early
 * stopping and the checkpoint kept, so the test canvases are touched once, at the end.
 * `limit` keeps the first `limit` canvases of train and of test (a canvas does not depend on
 * the counts, so a limited run sees a prefix of the full one).
 */
export async function loadData(limit?: number): Promise<SegmentationData> {
  const { counts } = mnistSegmentation;
  const trainCount = Math.min(counts.train, limit ?? counts.train);
  const testCount = Math.min(counts.test, limit ?? counts.test);
  const { train, test } = await mnistSegmentation.load({ trainCount, testCount });
  const held = Math.max(1, Math.round(trainCount * 0.1));
  return {
    train: train.slice(0, trainCount - held),
    validation: train.slice(trainCount - held),
    test,
    classNames: mnistSegmentation.classNames,
  };
}

/** A `{ x, y }` batch: canvases `[b, 64, 64, 1]` float32 and masks `[b, 64, 64]` int32. */
export interface SegmentationBatch {
  x: tf.Tensor4D;
  y: tf.Tensor3D;
}

/**
 * The training batches, reshuffled every epoch (seeded), each canvas turned by up to 10°,
 * scaled by 0.9–1.1 and shifted by up to 4 pixels. These are geometric transforms, so
 * `augment` moves the mask with the canvas (nearest-neighbour, class ids stay ids; uncovered
 * pixels become background). No flips: a mirrored 2 is not a 2.
 */
export function trainBatches(split: SegmentationSplit, batchSize: number, seed: number): Dataset<SegmentationBatch> {
  const transform = augment.compose([augment.randomRotation({ degrees: 10 }), augment.randomZoom({ scale: 0.1 }), augment.randomTranslate({ max: 4 })]);
  return Dataset.from(split)
    .shuffle(split.count, { seed })
    .map(transform, { seed: seed + 1 })
    .batch(batchSize)
    .map(({ image, mask }) => ({ x: image as tf.Tensor4D, y: mask as tf.Tensor3D }));
}

/** Plain, unshuffled batches of a split, for validation. */
export function evalBatches(split: SegmentationSplit, batchSize = 100): Dataset<SegmentationBatch> {
  return Dataset.from(split)
    .batch(batchSize)
    .map(({ image, mask }) => ({ x: image as tf.Tensor4D, y: mask as tf.Tensor3D }));
}
