// The data: MNIST (8,000 / 2,000) or Fashion-MNIST (60,000 / 10,000) from @tensorloom/datasets,
// a seeded shuffled pipeline with light augmentation for training, and plain batches for testing.
import type { tf } from '@tensorloom/core';
import { Dataset, augment } from '@tensorloom/data';
import { ImageSplit, fashionMnist, mnist } from '@tensorloom/datasets';

/** Data sets the `--dataset` flag accepts. */
export const DATASETS = ['mnist', 'fashion-mnist'] as const;
/** A `--dataset` value. */
export type DatasetName = (typeof DATASETS)[number];

/** The splits of one run. */
export interface RunData {
  train: ImageSplit;
  validation: ImageSplit;
  test: ImageSplit;
  classNames: readonly string[];
}

/**
 * Loads the data set's documented split; 10 % of train (stratified) is held out for
 * validation, early stopping and checkpoint selection, so the test split is touched only
 * once, at the end. `limit` keeps a prefix of each split (for smoke tests and quick runs).
 */
export async function loadData(name: DatasetName, limit?: number, classes?: readonly number[]): Promise<RunData> {
  const source = name === 'mnist' ? mnist : fashionMnist;
  const sets = await source.load({ validationFraction: 0.1, ...(limit === undefined ? {} : { limit }) });
  const data = { train: sets.train, validation: sets.validation!, test: sets.test, classNames: source.classNames };
  if (classes === undefined) return data;
  const train = selectClasses(data.train, classes);
  return { train, validation: selectClasses(data.validation, classes), test: selectClasses(data.test, classes), classNames: train.classNames };
}

/**
 * The images of `classes` only, relabelled 0, 1, … in the order given (so `[5, 6, 7, 8, 9]`
 * makes digit 5 label 0): a task of its own, for transfer between halves of a data set.
 */
export function selectClasses(split: ImageSplit, classes: readonly number[]): ImageSplit {
  const known = split.classNames.length;
  const bad = classes.find((k) => !Number.isInteger(k) || k < 0 || k >= known);
  if (bad !== undefined) throw new Error(`classes: expected labels in 0..${known - 1}, got ${bad}`);
  if (new Set(classes).size !== classes.length || classes.length < 2) {
    throw new Error(`classes: expected at least 2 distinct labels, got [${classes.join(', ')}]`);
  }
  const index = new Map(classes.map((k, i) => [k, i]));
  const size = split.shape[0] * split.shape[1] * split.shape[2];
  const kept: number[] = [];
  for (let i = 0; i < split.count; i++) if (index.has(split.labels[i]!)) kept.push(i);
  const images = new Float32Array(kept.length * size);
  kept.forEach((i, j) => images.set(split.images.subarray(i * size, (i + 1) * size), j * size));
  const labels = Int32Array.from(kept, (i) => index.get(split.labels[i]!)!);
  return new ImageSplit(images, labels, split.shape, classes.map((k) => split.classNames[k]!));
}

/** A `{ x, y }` batch: images `[b, 28, 28, 1]` float32 and labels `[b]` int32. */
export interface Batch {
  x: tf.Tensor4D;
  y: tf.Tensor1D;
}

/**
 * The training batches, reshuffled every epoch (seeded). Digits are turned by up to 10°,
 * scaled by 0.9–1.1 and shifted by up to 2 pixels, the ways handwriting varies; clothing is
 * shifted and mirrored left–right half the time (a mirrored shoe is still a shoe, a mirrored
 * digit is not).
 */
export function trainBatches(split: ImageSplit, dataset: DatasetName, batchSize: number, seed: number): Dataset<Batch> {
  const shift = augment.randomTranslate({ max: 2 });
  const transform =
    dataset === 'fashion-mnist'
      ? augment.compose([shift, augment.randomFlip({ horizontal: true })])
      : augment.compose([augment.randomRotation({ degrees: 10 }), augment.randomZoom({ scale: 0.1 }), shift]);
  return Dataset.from(split)
    .shuffle(split.count, { seed })
    .map(transform, { seed: seed + 1 })
    .batch(batchSize, { numberDtype: 'int32' })
    .map(({ image, label }) => ({ x: image as tf.Tensor4D, y: label as tf.Tensor1D }));
}

/** Plain, unshuffled batches of a split, for validation, testing and prediction. */
export function evalBatches(split: ImageSplit, batchSize = 500): Dataset<Batch> {
  return Dataset.from(split)
    .batch(batchSize, { numberDtype: 'int32' })
    .map(({ image, label }) => ({ x: image as tf.Tensor4D, y: label as tf.Tensor1D }));
}
