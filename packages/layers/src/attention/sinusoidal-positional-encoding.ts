import { ConfigError, assertRank, tf } from '@tensorloom/core';
import { Module } from '../module/module.js';
import type { ApplyOptions, ModuleConfig, Shape } from '../module/module.js';

/**
 * Configuration of {@link SinusoidalPositionalEncoding}.
 *
 * @example
 * ```ts
 * const config: SinusoidalPositionalEncodingConfig = { base: 10000 };
 * ```
 *
 * @group Embeddings
 */
export interface SinusoidalPositionalEncodingConfig extends ModuleConfig {
  /** The wavelength base: wavelengths grow geometrically from 2π to `base`·2π. Default `10000`. */
  base?: number;
}

/** Float64 angles, rounded once to float32: row `pos`, column `c` of the table. */
function fillTable(out: Float32Array, length: number, dim: number, base: number): void {
  for (let c = 0; c < dim; c++) {
    const i2 = c - (c % 2); // 2i for both columns of a pair
    const inverse = Math.pow(base, -i2 / dim);
    for (let pos = 0; pos < length; pos++) {
      const angle = pos * inverse;
      out[pos * dim + c] = c % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
}

/**
 * The sinusoidal position table of Vaswani et al. 2017 (https://arxiv.org/abs/1706.03762,
 * §3.5): `PE[pos, 2i] = sin(pos / base^(2i/dim))`, `PE[pos, 2i+1] = cos(pos / base^(2i/dim))`.
 * With an odd `dim`, the last column is a sine.
 *
 * @param length - the number of positions (rows).
 * @param dim - the features (columns).
 * @param base - the wavelength base; default `10000`.
 * @returns a float32 `[length, dim]` tensor.
 * @throws ConfigError when `length` or `dim` is not a positive integer.
 * @example
 * ```ts
 * sinusoidalPositionalEncoding(2, 4); // [[0, 1, 0, 1], [sin 1, cos 1, sin 0.01, cos 0.01]]
 * ```
 *
 * @group Embeddings
 */
export function sinusoidalPositionalEncoding(length: number, dim: number, base = 10000): tf.Tensor2D {
  if (!Number.isInteger(length) || length <= 0 || !Number.isInteger(dim) || dim <= 0) {
    throw new ConfigError(`sinusoidalPositionalEncoding: length and dim expected positive integers, got ${length} and ${dim}`);
  }
  const values = new Float32Array(length * dim);
  fillTable(values, length, dim, base);
  return tf.tensor2d(values, [length, dim]);
}

/**
 * The output shape of {@link SinusoidalPositionalEncoding}: the input's.
 *
 * @example
 * ```ts
 * sinusoidalPositionalEncodingOutputShape([null, 10, 64]); // [null, 10, 64]
 * ```
 *
 * @group Embeddings
 */
export function sinusoidalPositionalEncodingOutputShape(inputShape: Shape): Shape {
  return inputShape;
}

/**
 * Adds the fixed sinusoidal position table ({@link sinusoidalPositionalEncoding}) to a
 * sequence: `y[b, t, :] = x[b, t, :] + PE[t, :]` (Vaswani et al. 2017, §3.5). No parameters,
 * any sequence length; the table is cached in JavaScript and uploaded once per call.
 *
 * Input shape: `[batch, time, features]`. Output shape: the input's.
 *
 * @example
 * ```ts
 * const pe = new SinusoidalPositionalEncoding();
 * const y = pe.apply(embedded); // embedded: [batch, time, 64]
 * ```
 *
 * @group Embeddings
 */
export class SinusoidalPositionalEncoding extends Module {
  /** The wavelength base. */
  readonly base: number;
  private cache: { length: number; dim: number; values: Float32Array } | null = null;

  constructor(config: SinusoidalPositionalEncodingConfig = {}) {
    super(config);
    const base = config.base ?? 10000;
    if (!(base > 0) || !Number.isFinite(base)) {
      throw new ConfigError(`SinusoidalPositionalEncoding '${this.name}': base expected a positive number, got ${base}`);
    }
    this.base = base;
  }

  protected override onBuild(): void {}

  override outputShape(inputShape: Shape): Shape {
    return sinusoidalPositionalEncodingOutputShape(inputShape);
  }

  /** The table's first `length` rows, from the cache (grown, never shrunk, by doubling). */
  private table(length: number, dim: number): tf.Tensor2D {
    if (this.cache === null || this.cache.dim !== dim || this.cache.length < length) {
      const rows = Math.max(length, this.cache?.dim === dim ? 2 * this.cache.length : 0);
      const values = new Float32Array(rows * dim);
      fillTable(values, rows, dim, this.base);
      this.cache = { length: rows, dim, values };
    }
    return tf.tensor2d(this.cache.values.subarray(0, length * dim), [length, dim]);
  }

  protected call(x: tf.Tensor, _options: ApplyOptions): tf.Tensor {
    assertRank(this.label, 'input', x, 3, '[batch, time, features]');
    const [, t, d] = x.shape as [number, number, number];
    return tf.tidy(() => tf.add(x, this.table(t, d))); // (B, T, D) + (T, D)
  }
}
