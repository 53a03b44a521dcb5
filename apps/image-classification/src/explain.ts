// What the network looks at: saliency maps (input gradients) and Grad-CAM heat maps.
import { tf } from '@tensorloom/core';

/** A classifier cut in two at its last convolutional feature map, for Grad-CAM. */
export interface FeatureSplit {
  /** Images `[n, h, w, c]` → the feature map `[n, fh, fw, k]`. */
  features(x: tf.Tensor): tf.Tensor;
  /** The feature map → class logits `[n, classes]`. */
  head(features: tf.Tensor): tf.Tensor;
}

/** One-hot mask of each image's chosen class, so that `sum(logits * mask)` is the sum of the chosen logits. */
function classMask(classes: readonly number[], numClasses: number): tf.Tensor {
  return tf.oneHot(tf.tensor1d([...classes], 'int32'), numClasses);
}

/**
 * Saliency (Simonyan et al. 2013, https://arxiv.org/abs/1312.6034): the absolute gradient of
 * the chosen class's logit with respect to the input pixels, max over channels. One `[h·w]`
 * map per image.
 */
export function saliencyMaps(predict: (x: tf.Tensor) => tf.Tensor, images: tf.Tensor4D, classes: readonly number[]): Float32Array[] {
  const [n, h, w] = images.shape;
  const maps = tf.tidy(() => {
    const numClasses = predict(images.slice([0, 0, 0, 0], [1, -1, -1, -1])).shape[1]!;
    const mask = classMask(classes, numClasses);
    const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(predict(x), mask)))(images);
    return tf.max(tf.abs(grad), -1); // (n, h, w)
  });
  const data = maps.dataSync() as Float32Array;
  maps.dispose();
  return Array.from({ length: n }, (_, i) => data.slice(i * h * w, (i + 1) * h * w));
}

/**
 * Grad-CAM (Selvaraju et al. 2017, https://arxiv.org/abs/1610.02391): the feature maps of the
 * last convolutional block weighted by the spatial mean of the chosen logit's gradient, summed
 * over channels, rectified, and resized bilinearly to the input. One `[h·w]` map per image.
 */
export function gradCamMaps(split: FeatureSplit, images: tf.Tensor4D, classes: readonly number[]): Float32Array[] {
  const [n, h, w] = images.shape;
  const maps = tf.tidy(() => {
    const features = split.features(images); // (n, fh, fw, k)
    const numClasses = split.head(features.slice([0, 0, 0, 0], [1, -1, -1, -1])).shape[1]!;
    const mask = classMask(classes, numClasses);
    const grad = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(split.head(f), mask)))(features);
    const weights = tf.mean(grad, [1, 2], true); // (n, 1, 1, k)
    const cam = tf.relu(tf.sum(tf.mul(features, weights), -1, true)); // (n, fh, fw, 1)
    return tf.image.resizeBilinear(cam as tf.Tensor4D, [h, w]).reshape([n, h, w]);
  });
  const data = maps.dataSync() as Float32Array;
  maps.dispose();
  return Array.from({ length: n }, (_, i) => data.slice(i * h * w, (i + 1) * h * w));
}
