import { ConfigError, ShapeError, formatShape, intInRange, tf } from '@tensorloom/core';
import { checkInterval } from '../internal/config.js';
import { applyToSample, resolveRng } from '../internal/sample.js';
import type { Transform } from '../types.js';

/**
 * Options of {@link gaussianBlur}.
 *
 * @example
 * ```ts
 * const t = augment.gaussianBlur({ kernelSize: 5, sigma: [0.1, 2] });
 * const blurred = t(image, rng(1));
 * ```
 */
export interface GaussianBlurConfig {
  /** Side of the square kernel in pixels; odd, ≥ 3. */
  kernelSize: number;
  /**
   * Standard deviation of the Gaussian in pixels: a number for a fixed one, or `[min, max]`
   * to draw one uniformly per image (torchvision's default is `[0.1, 2]`). Must be > 0.
   */
  sigma: number | readonly [number, number];
}

/**
 * Blurs images with a Gaussian kernel, `w(i) ∝ exp(-i² / 2σ²)` for `i` in
 * `[-r, r]`, `r = (kernelSize - 1) / 2`, normalised to sum 1, applied separably (rows then
 * columns) to every channel. Borders are mirrored without repeating the edge pixel
 * (`'reflect'`, as torchvision's `gaussian_blur`), so a constant image stays constant.
 *
 * Works on any number of channels. A mask passes through unchanged. In a batch each image
 * draws its own σ; the whole batch is still one depthwise convolution (images are folded
 * into the channel axis).
 *
 * Input and output: `[h, w, c]` or `[batch, h, w, c]` float32 with `h, w > r`.
 *
 * @param config - the kernel size and σ.
 * @returns a {@link Transform}.
 * @throws {@link @tensorloom/core!ConfigError} for an even or too small kernel, or σ ≤ 0.
 * @throws {@link @tensorloom/core!ShapeError} at call time when the image is not larger than the kernel radius.
 * @example
 * ```ts
 * const t = augment.gaussianBlur({ kernelSize: 5, sigma: [0.1, 2] });
 * const blurred = t(image, rng(1));
 * ```
 */
export function gaussianBlur(config: GaussianBlurConfig): Transform {
  const unit = 'gaussianBlur';
  const size = intInRange(unit, 'kernelSize', config.kernelSize, 3);
  if (size % 2 === 0) throw new ConfigError(`${unit}: kernelSize expected an odd integer >= 3, got ${size}`);
  const [lo, hi] = checkInterval(unit, 'sigma', config.sigma, {
    around: (s) => [s, s],
    single: 'a number > 0',
    lowest: 0, open: true,
  });
  const radius = (size - 1) / 2;
  return (sample, source) => {
    const r = resolveRng(unit, source);
    return applyToSample(unit, sample, ({ images, n, height, width, channels, shape }) => {
      if (height <= radius || width <= radius) {
        throw new ShapeError(
          `${unit}: image expected height and width > ${radius} (kernel radius), got shape ${formatShape(shape)}`,
        );
      }
      // One 1-D kernel per (image, channel) column of the folded depthwise filter.
      const taps = new Float32Array(size * n * channels);
      for (let i = 0; i < n; i++) {
        const sigma = lo === hi ? lo : r.range(lo, hi);
        const w = kernel1d(size, sigma);
        for (let t = 0; t < size; t++) for (let c = 0; c < channels; c++) taps[t * n * channels + i * channels + c] = w[t] as number;
      }
      const folded = tf.reshape(tf.transpose(images, [1, 2, 0, 3]), [1, height, width, n * channels]); // (1, h, w, n·c)
      const padded = tf.mirrorPad(folded as tf.Tensor4D, [[0, 0], [radius, radius], [radius, radius], [0, 0]], 'reflect');
      const vertical = tf.tensor4d(taps, [size, 1, n * channels, 1]);
      const horizontal = tf.tensor4d(taps, [1, size, n * channels, 1]);
      const blurred = tf.depthwiseConv2d(tf.depthwiseConv2d(padded, vertical, 1, 'valid'), horizontal, 1, 'valid');
      const back = tf.transpose(tf.reshape(blurred, [height, width, n, channels]), [2, 0, 1, 3]); // (n, h, w, c)
      return { images: back as tf.Tensor4D };
    });
  };
}

/** The normalised 1-D Gaussian of `size` taps, computed in float64. */
function kernel1d(size: number, sigma: number): number[] {
  const radius = (size - 1) / 2;
  const w = Array.from({ length: size }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / total);
}
