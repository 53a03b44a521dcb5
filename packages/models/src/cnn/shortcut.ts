/**
 * How a residual block's shortcut changes shape: a 1×1 conv + BN (`'projection'`, the
 * paper's option B) or subsampling and zero channels (`'padding'`, option A).
 *
 * @example
 * ```ts
 * const shortcut: Shortcut = 'padding';
 * ```
 */
export type Shortcut = 'projection' | 'padding';
