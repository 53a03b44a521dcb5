import { expectNoLeaks, tf } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { gradCamMaps, saliencyMaps } from './explain.js';

// A linear "classifier" over 2×2 one-channel images: logit_c = Σ_p x_p · W[p, c]. Its input
// gradient for class c is the column W[:, c], so the saliency map is |W[:, c]| exactly.
const W = tf.tensor2d([
  [1, -2],
  [-3, 4],
  [0.5, 0],
  [2, -1],
]);
const predict = (x: tf.Tensor): tf.Tensor => tf.matMul(tf.reshape(x, [-1, 4]), W);

describe('saliencyMaps', () => {
  it('is |∂ logit_c / ∂ x| for a linear model', async () => {
    const images = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2, 1]);
    const maps = await expectNoLeaks(() => saliencyMaps(predict, images, [0, 1]), 'saliency');
    expect(Array.from(maps[0]!)).toEqual([1, 3, 0.5, 2]);
    expect(Array.from(maps[1]!)).toEqual([2, 4, 0, 1]);
    images.dispose();
  });
});

describe('gradCamMaps', () => {
  it('weights the feature map by the mean gradient, rectified', async () => {
    // features = the image itself (one channel); head = the linear model. The gradient of
    // logit_c with respect to the features is W[:, c]; its spatial mean is the channel
    // weight α_c; the map is relu(α_c · x).
    const images = tf.tensor4d([1, -2, 3, 4], [1, 2, 2, 1]);
    const split = { features: (x: tf.Tensor) => tf.mul(x, 1), head: predict };
    const [class0] = await expectNoLeaks(() => gradCamMaps(split, images, [0]), 'grad-cam');
    const alpha0 = (1 - 3 + 0.5 + 2) / 4; // 0.125
    expect(Array.from(class0!)).toEqual([1, 0, 3, 4].map((v) => Math.max(0, v * alpha0)));
    const [class1] = gradCamMaps(split, images, [1]);
    const alpha1 = (-2 + 4 + 0 - 1) / 4; // 0.25
    expect(Array.from(class1!).map((v) => +v.toFixed(6))).toEqual([0.25, 0, 0.75, 1]);
    expect(alpha1).toBe(0.25);
    images.dispose();
  });
});
