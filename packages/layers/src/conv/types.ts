// Option types shared by the convolution, pooling and resampling layers.

/**
 * How a convolution or pooling window treats the border.
 *
 * - `'valid'`: no padding; the window only visits positions where it fits, so a spatial
 *   size `n` becomes `⌊(n − k_eff) / stride⌋ + 1` with `k_eff = (k − 1)·dilation + 1`.
 * - `'same'`: zero padding (TensorFlow's rule: total `max((⌈n/s⌉ − 1)·s + k_eff − n, 0)`,
 *   the smaller half before), so `n` becomes `⌈n / stride⌉`.
 *
 * @example
 * ```ts
 * const padding: ConvPadding = 'same';
 * ```
 */
export type ConvPadding = 'valid' | 'same';

/**
 * A size along the two spatial axes: one number for both, or `[height, width]`.
 *
 * @example
 * ```ts
 * const kernelSize: Size2D = [3, 5]; // 3 rows by 5 columns
 * const strides: Size2D = 2;         // 2 along both axes
 * ```
 */
export type Size2D = number | readonly [number, number];

/**
 * Per-side amounts along the two spatial axes (padding or cropping): one number for every
 * side, `[vertical, horizontal]` symmetric amounts, or `[[top, bottom], [left, right]]`.
 *
 * @example
 * ```ts
 * const all: Sides2D = 1;                  // 1 on every side
 * const sym: Sides2D = [1, 2];             // 1 top and bottom, 2 left and right
 * const any: Sides2D = [[0, 1], [2, 0]];   // top 0, bottom 1, left 2, right 0
 * ```
 */
export type Sides2D = number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];
