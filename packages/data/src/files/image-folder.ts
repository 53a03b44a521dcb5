import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { ConfigError, FormatError, positiveInt } from '@tensorloom/core';
import { fileReadError } from '@tensorloom/core/node';
import type { tf } from '@tensorloom/core';
import { Dataset } from '../dataset/dataset.js';
import { readImage } from './image.js';
import type { ReadImageOptions } from './image.js';

/**
 * Options of {@link readImageFolder}.
 *
 * @example
 * ```ts
 * await readImageFolder('data/train', { channels: 1, dtype: 'float32', skipInvalid: true });
 * ```
 *
 * @group Files
 */
export interface ImageFolderOptions extends ReadImageOptions {
  /** File extensions to read, case-insensitive. Default `['.png', '.jpg', '.jpeg']`. */
  extensions?: readonly string[];
  /** Files read and decoded at once (their order is kept). Default 4. */
  concurrency?: number;
  /**
   * Skip files that cannot be read or decoded, counting them in {@link ImageFolder.skipped},
   * instead of failing the epoch. Default `false`.
   */
  skipInvalid?: boolean;
  /** Called for each skipped file with the error (which names the file). */
  onSkip?: (error: FormatError) => void;
}

/**
 * One image of an {@link ImageFolder}.
 *
 * @example
 * ```ts
 * const { image, label, path } = (await folder.dataset.take(1).toArray())[0];
 * ```
 *
 * @group Files
 */
export interface ImageFolderSample {
  /** The image, `[height, width, channels]`. */
  image: tf.Tensor3D;
  /** The class id: the index of the class folder's name in {@link ImageFolder.classNames}. */
  label: number;
  /** The file the image came from. */
  path: string;
}

/**
 * One image file of an {@link ImageFolder}.
 *
 * @example
 * ```ts
 * const { path, label } = folder.files[0];
 * ```
 *
 * @group Files
 */
export interface ImageFile {
  /** The file's path (`root/<class>/<file>`). */
  readonly path: string;
  /** The class id of its folder. */
  readonly label: number;
}

/**
 * A folder of images laid out as `root/<class>/<file>`, found by {@link readImageFolder}.
 *
 * @example
 * ```ts
 * const folder = await readImageFolder('data/train');
 * folder.classNames; // ['cat', 'dog']
 * ```
 *
 * @group Files
 */
export interface ImageFolder {
  /** The class folders' names, sorted; a sample's `label` indexes this array. */
  readonly classNames: readonly string[];
  /** Every image file with its label, classes in order and files sorted within each. */
  readonly files: readonly ImageFile[];
  /** The images, read lazily in `files` order (shuffle it for training). */
  readonly dataset: Dataset<ImageFolderSample>;
  /** How many files the current (or last) epoch skipped, with `skipInvalid`. */
  readonly skipped: number;
}

/**
 * Lists a folder of images laid out as `root/<class>/<file>` (class names sorted; label
 * ids in that order) and gives them as a lazy {@link Dataset} of `{ image, label, path }`.
 * Files with other extensions, and files directly in `root`, are ignored.
 *
 * @throws `FormatError` when `root` cannot be read; `ConfigError` when it has no class
 *   folders. While iterating, a `FormatError` naming the file for an image that does not
 *   decode (unless `skipInvalid`).
 * @example
 * ```ts
 * import { readImageFolder } from '@tensorloom/data/node';
 * const folder = await readImageFolder('data/train', { channels: 1, dtype: 'float32' });
 * const batches = folder.dataset.shuffle(1000, { seed: 1 })
 *   .map(({ image, label }) => ({ image, label }))
 *   .batch(32, { numberDtype: 'int32' });
 * ```
 *
 * @group Files
 */
export async function readImageFolder(root: string, options: ImageFolderOptions = {}): Promise<ImageFolder> {
  const unit = `readImageFolder '${root}'`;
  const extensions = (options.extensions ?? ['.png', '.jpg', '.jpeg']).map((e) => e.toLowerCase());
  const concurrency = positiveInt(unit, 'concurrency', options.concurrency ?? 4);
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (cause) {
    throw fileReadError(unit, cause, 'folder');
  }
  const classNames = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (classNames.length === 0) {
    throw new ConfigError(`${unit}: expected class folders (${root}/<class>/<image>), got none`);
  }
  const files: ImageFile[] = [];
  for (let label = 0; label < classNames.length; label++) {
    const dir = join(root, classNames[label]!);
    let names: string[];
    try {
      names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
    } catch (cause) {
      throw fileReadError(`readImageFolder '${dir}'`, cause, 'folder');
    }
    names
      .filter((name) => extensions.includes(extname(name).toLowerCase()))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .forEach((name) => files.push({ path: join(dir, name), label }));
  }
  const read: ReadImageOptions = { channels: options.channels ?? 3, dtype: options.dtype ?? 'float32' };
  let skipped = 0;
  const list = Dataset.from(
    () => {
      skipped = 0; // a new epoch
      return files[Symbol.iterator]();
    },
    { size: files.length },
  );
  let dataset = list.map(async ({ path, label }) => ({ image: await readImage(path, read), label, path }), {
    concurrency,
  });
  if (options.skipInvalid) {
    dataset = dataset.ignoreErrors({
      when: (error) => error instanceof FormatError,
      onSkip: (error, count) => {
        skipped = count;
        options.onSkip?.(error as FormatError);
      },
    });
  }
  return {
    classNames,
    files,
    dataset,
    get skipped() {
      return skipped;
    },
  };
}
