/**
 * Data augmentation: pure functions of a sample and an {@link @tensorloom/core!Rng}.
 *
 * Every image transform is a factory: its options are checked when it is made, and it
 * returns a function `(sample, rngOrContext) => sample`. A sample is an image tensor
 * (`[h, w, c]`, or a batch `[batch, h, w, c]`, float32 NHWC) or an object with an `image`, an
 * optional segmentation `mask` and any other fields, which pass through. The second argument
 * is an `Rng` or anything with an `rng` field, such as `Dataset.map`'s context, so the same
 * transform works directly and in a pipeline:
 *
 * ```ts
 * import { rng } from '@tensorloom/core';
 * import { Dataset, augment } from '@tensorloom/data';
 * const flipped = augment.randomFlip({ horizontal: true })(image, rng(1));
 * const batches = Dataset.from(train).map(augment.randomTranslate({ max: 2 })).batch(64);
 * ```
 *
 * Rules every transform keeps:
 * - randomness comes only from the generator given, so the same generator state gives the
 *   same output; in a batch each image draws its own parameters;
 * - geometric transforms move a mask with its image (bilinear for the image,
 *   nearest-neighbour for the mask, one map), so they stay aligned and class ids stay ids;
 *   pixel-value transforms leave the mask alone;
 * - inputs are never disposed and no intermediate tensor is left behind;
 * - pixel-value transforms assume values in [0, 1] and clip to it by default (`clip`);
 *   apply {@link normalize} last.
 *
 * Sequence helpers ({@link padSequences}, {@link bucketByLength}) are plain functions over
 * token id lists.
 *
 * @group Augmentation
 * @module
 */
export type {
  ImageTensor,
  ImageSample,
  Sample,
  RngSource,
  Transform,
  DeterministicTransform,
  FillMode,
} from './types.js';

export { compose } from './compose.js';
export { randomApply } from './random-apply.js';
export { oneOf } from './one-of.js';

export { randomFlip } from './image/random-flip.js';
export type { RandomFlipConfig } from './image/random-flip.js';
export { randomRotation } from './image/random-rotation.js';
export type { RandomRotationConfig } from './image/random-rotation.js';
export { randomTranslate } from './image/random-translate.js';
export type { RandomTranslateConfig } from './image/random-translate.js';
export { randomZoom } from './image/random-zoom.js';
export type { RandomZoomConfig } from './image/random-zoom.js';
export { randomCrop } from './image/random-crop.js';
export type { RandomCropConfig } from './image/random-crop.js';
export { randomResizedCrop } from './image/random-resized-crop.js';
export type { RandomResizedCropConfig } from './image/random-resized-crop.js';
export { resize } from './image/resize.js';
export type { ResizeConfig } from './image/resize.js';
export { pad } from './image/pad.js';
export type { PadConfig } from './image/pad.js';

export { randomBrightness } from './image/random-brightness.js';
export type { RandomBrightnessConfig } from './image/random-brightness.js';
export { randomContrast } from './image/random-contrast.js';
export type { RandomContrastConfig } from './image/random-contrast.js';
export { randomSaturation } from './image/random-saturation.js';
export type { RandomSaturationConfig } from './image/random-saturation.js';
export { randomHue } from './image/random-hue.js';
export type { RandomHueConfig } from './image/random-hue.js';
export { randomGamma } from './image/random-gamma.js';
export type { RandomGammaConfig } from './image/random-gamma.js';
export { gaussianNoise } from './image/gaussian-noise.js';
export type { GaussianNoiseConfig } from './image/gaussian-noise.js';
export { gaussianBlur } from './image/gaussian-blur.js';
export type { GaussianBlurConfig } from './image/gaussian-blur.js';
export { randomErasing } from './image/random-erasing.js';
export type { RandomErasingConfig } from './image/random-erasing.js';
export { cutout } from './image/cutout.js';
export type { CutoutConfig } from './image/cutout.js';
export { normalize } from './image/normalize.js';
export type { NormalizeConfig } from './image/normalize.js';

export { mixup } from './image/mixup.js';
export type { MixupConfig, MixTransform, LabeledBatch } from './image/mixup.js';
export { cutmix } from './image/cutmix.js';
export type { CutmixConfig } from './image/cutmix.js';

export { padSequences, padSequencesTensor } from './sequence/pad-sequences.js';
export type { PadSequencesConfig, PaddedSequences } from './sequence/pad-sequences.js';
export { bucketByLength } from './sequence/bucket-by-length.js';
export type { BucketByLengthConfig } from './sequence/bucket-by-length.js';
