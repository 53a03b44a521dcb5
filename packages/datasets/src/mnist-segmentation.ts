import { FormatError, inRange, intInRange, rng } from '@tensorloom/core';
import { buildCanvases } from './internal/compose.js';
import type { CanvasPlan, DigitPool } from './internal/compose.js';
import { readClassImages } from './internal/class-images.js';
import type { ClassImages } from './internal/class-images.js';
import { resolveReader } from './internal/files.js';
import { stratifiedSplit } from './internal/split.js';
import { MNIST_SOURCE, MNIST_TRAIN_FRACTION, mnist } from './mnist.js';
import type { PackageFileReader } from './read.js';
import { SegmentationSplit } from './segmentation-split.js';

/**
 * Options of {@link mnistSegmentation}`.load()`. Leave them out for the documented default.
 *
 * @example
 * ```ts
 * await mnistSegmentation.load({ trainCount: 500, testCount: 100, maxDigits: 2 });
 * ```
 *
 * @group Data sets
 */
export interface MnistSegmentationOptions {
  /** Seed of the canvases (an integer). Default 0. */
  seed?: number;
  /** Train canvases. Default 2,000. */
  trainCount?: number;
  /** Test canvases. Default 500. */
  testCount?: number;
  /** Side of the square canvas, at least 28. Default 64. */
  size?: number;
  /** Fewest digits on a canvas, at least 1. Default 1. */
  minDigits?: number;
  /** Most digits on a canvas, at least `minDigits`. Default 3. */
  maxDigits?: number;
  /** Pixel value above which a digit's pixel is ink and labels the mask, in (0, 1). Default 0.5. */
  inkThreshold?: number;
  /** Reads the `mnist` package files. Default: Node's `fs` (required outside Node). */
  read?: PackageFileReader;
}

/**
 * The splits {@link mnistSegmentation}`.load()` resolves to.
 *
 * @example
 * ```ts
 * const { train, test }: SegmentationSets = await mnistSegmentation.load();
 * ```
 *
 * @group Data sets
 */
export interface SegmentationSets {
  /** Canvases made only of MNIST train-split digits. */
  train: SegmentationSplit;
  /** Canvases made only of MNIST test-split digits. */
  test: SegmentationSplit;
}

/**
 * The documented sizes of the default segmentation set.
 *
 * @example
 * ```ts
 * mnistSegmentation.counts.train; // 2000
 * ```
 *
 * @group Data sets
 */
export interface MnistSegmentationCounts {
  /** Train canvases by default. */
  train: number;
  /** Test canvases by default. */
  test: number;
  /** MNIST digits the train canvases draw from (the MNIST default train split). */
  trainDigits: number;
  /** MNIST digits the test canvases draw from (the MNIST default test split). */
  testDigits: number;
}

/**
 * The composited MNIST segmentation loader object.
 *
 * @example
 * ```ts
 * const { train } = await mnistSegmentation.load({ trainCount: 100, testCount: 10 });
 * ```
 *
 * @group Data sets
 */
export interface MnistSegmentationDataset {
  /** The data set's name, used in error messages. */
  readonly name: string;
  /** The 11 mask classes: `'background'`, then `'0'` … `'9'` (class `1 + d` is digit `d`). */
  readonly classNames: readonly string[];
  /** Sizes of the default set (checked by the tests). */
  readonly counts: MnistSegmentationCounts;
  /**
   * Reads MNIST and composes the canvases.
   *
   * @throws `ConfigError` for an invalid option, `FormatError` when the files cannot be read.
   */
  load(options?: MnistSegmentationOptions): Promise<SegmentationSets>;
}

const UNIT = 'mnistSegmentation.load';

/**
 * The MNIST images at `indices`, as a pool of 28×28 digits.
 *
 * @group Data sets
 */
export function digitPool(images: ClassImages, indices: Int32Array): DigitPool {
  const pixels = new Float32Array(indices.length * 784);
  const labels = new Int32Array(indices.length);
  indices.forEach((i, k) => {
    pixels.set(images.pixels.subarray(i * 784, (i + 1) * 784), k * 784);
    labels[k] = images.labels[i] as number;
  });
  return { pixels, labels, side: 28 };
}

/**
 * Checks the canvas options.
 *
 * @group Data sets
 */
export function canvasPlan(options: MnistSegmentationOptions): CanvasPlan {
  const size = intInRange(UNIT, 'size', options.size ?? 64, 28, 4096);
  const minDigits = intInRange(UNIT, 'minDigits', options.minDigits ?? 1, 1);
  const maxDigits = intInRange(UNIT, 'maxDigits', options.maxDigits ?? 3, minDigits);
  const inkThreshold = inRange(UNIT, 'inkThreshold', options.inkThreshold ?? 0.5, { min: 0, max: 1, minOpen: true, maxOpen: true });
  return { size, minDigits, maxDigits, inkThreshold };
}

/**
 * A segmentation set composited from MNIST digits: square grey canvases (64×64 by
 * default) holding 1–3 digits each, with a per-pixel mask of 11 classes — 0 background,
 * `1 + d` for digit `d`.
 *
 * How a canvas is made (deterministic for a seed; canvas `i` of split `s` draws from
 * `rng(seed).fold(s).fold(i)`, so the first canvases do not depend on the counts):
 * 1. the number of digits is uniform in [`minDigits`, `maxDigits`];
 * 2. each digit is a uniform pick from the split's pool — the MNIST default train split
 *    (8,000 digits) for train canvases, the MNIST default test split (2,000) for test
 *    canvases, so no test canvas holds a digit a train canvas (or an MNIST classifier
 *    trained on the default split) has seen — at a uniform position with the whole
 *    28×28 digit inside the canvas;
 * 3. digits are drawn in order onto a black canvas. Where a digit's pixel is above
 *    `inkThreshold` (ink) the canvas takes that pixel and the mask that digit's class: a
 *    later digit wins where its ink overlaps an earlier one. Fainter pixels only brighten
 *    the canvas (`max`) and never change the mask. Hence the mask is non-zero exactly
 *    where the canvas is above `inkThreshold`.
 *
 * Default: seed 0, **2,000 train / 500 test canvases** of 64×64 (41 MB of float32 images).
 *
 * @example
 * ```ts
 * import { mnistSegmentation } from '@tensorloom/datasets';
 * const { train, test } = await mnistSegmentation.load();
 * for (const { image, mask } of train.take(4)) {
 *   // image [64, 64, 1] float32, mask [64, 64] int32 in [0, 11)
 *   image.dispose(); mask.dispose();
 * }
 * ```
 *
 * @group Data sets
 */
export const mnistSegmentation: MnistSegmentationDataset = {
  name: 'mnistSegmentation',
  classNames: ['background', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  counts: { train: 2000, test: 500, trainDigits: 8000, testDigits: 2000 },
  async load(options: MnistSegmentationOptions = {}): Promise<SegmentationSets> {
    const seed = intInRange(UNIT, 'seed', options.seed ?? 0);
    const trainCount = intInRange(UNIT, 'trainCount', options.trainCount ?? 2000, 1);
    const testCount = intInRange(UNIT, 'testCount', options.testCount ?? 500, 1);
    const plan = canvasPlan(options);
    const read = await resolveReader(UNIT, options.read);
    const images = await readClassImages(read, MNIST_SOURCE);
    if (images.labels.length !== mnist.counts.total) {
      throw new FormatError(`${UNIT}: the mnist files expected ${mnist.counts.total} images, got ${images.labels.length}`);
    }
    // The MNIST default split: seed 0, trainFraction 0.8, whatever this loader's seed.
    const digits = stratifiedSplit(images.labels, { seed: 0, trainFraction: MNIST_TRAIN_FRACTION, validationFraction: 0 });
    const root = rng(seed);
    const shape = [plan.size, plan.size, 1] as const;
    const make = (name: 'train' | 'test', indices: Int32Array, count: number): SegmentationSplit => {
      const { images: canvases, masks } = buildCanvases(digitPool(images, indices), root.fold(name), count, plan);
      return new SegmentationSplit(canvases, masks, shape, mnistSegmentation.classNames);
    };
    return { train: make('train', digits.train, trainCount), test: make('test', digits.test, testCount) };
  },
};
