import { ConfigError, ShapeError, assert, formatShape, tf } from '@tensorloom/core';
import { parameterOptions, resolveKernelLayerConfig } from '../core/kernel-layer-config.js';
import type { KernelLayerConfig } from '../core/kernel-layer-config.js';
import type { InitializerLike } from '../initializers/initializers.js';
import { Module } from '../module/module.js';
import type { ApplyOptions, Shape } from '../module/module.js';

/**
 * Configuration of {@link MultiAxisDense}.
 *
 * @example
 * ```ts
 * const splitHeads: MultiAxisDenseConfig = { units: [8, 64] };        // [..., 512] → [..., 8, 64]
 * const mergeHeads: MultiAxisDenseConfig = { units: 512, inputAxes: 2 }; // [..., 8, 64] → [..., 512]
 * ```
 *
 * @group Attention
 */
export interface MultiAxisDenseConfig extends KernelLayerConfig {
  /** The trailing output sizes: a number or a list of positive integers. Required. */
  units: number | readonly number[];
  /** How many trailing input axes are contracted. Default `1`. */
  inputAxes?: number;
  /** Kernel initializer. Default `'glorotUniform'` (fans as Keras: see `initializers.computeFans`). */
  kernelInitializer?: InitializerLike;
}

/**
 * The output shape of {@link MultiAxisDense}: the last `inputAxes` sizes are replaced by `units`.
 *
 * @example
 * ```ts
 * multiAxisDenseOutputShape([null, 5, 16], [4, 8], 1); // [null, 5, 4, 8]
 * ```
 *
 * @group Attention
 */
export function multiAxisDenseOutputShape(inputShape: Shape, units: readonly number[], inputAxes: number): Shape {
  return [...inputShape.slice(0, inputShape.length - inputAxes), ...units];
}

/**
 * A dense projection contracting the last `k = kernel.rank - bias.rank` axes of `x`:
 * `y[..., o₁…] = Σ_{i₁…} x[..., i₁…] · kernel[i₁…, o₁…] + bias[o₁…]`, computed as one plain
 * 2-D matMul between reshapes (no einsum: it has no gradient in tfjs-core 4.22).
 *
 * @param x - `[..., ...inSizes]`.
 * @param kernel - `[...inSizes, ...outSizes]`.
 * @param bias - `[...outSizes]`, or `null`.
 * @param inputAxes - how many trailing axes of `x` are contracted (the length of `inSizes`).
 * @returns `[..., ...outSizes]`.
 * @example
 * ```ts
 * const q = multiAxisDense(x, kernel, bias, 1); // x [B, T, 16], kernel [16, 4, 8] → [B, T, 4, 8]
 * ```
 *
 * @group Attention
 */
export function multiAxisDense(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | null, inputAxes: number): tf.Tensor {
  return tf.tidy(() => {
    const inSizes = kernel.shape.slice(0, inputAxes);
    const outSizes = kernel.shape.slice(inputAxes);
    const inSize = inSizes.reduce((a, b) => a * b, 1);
    const outSize = outSizes.reduce((a, b) => a * b, 1);
    const lead = x.shape.slice(0, x.rank - inputAxes);
    const x2 = tf.reshape(x, [-1, inSize]) as tf.Tensor2D; // (N, in)
    const w2 = tf.reshape(kernel, [inSize, outSize]) as tf.Tensor2D; // (in, out)
    // Fuse only a rank-1 bias: wasm's _FusedMatMul reads the bias rank from its data, which a
    // reshape shares, so a reshaped [H, D] bias is rejected there; add that one broadcast.
    const fused = bias !== null && bias.rank === 1 ? bias : undefined;
    const y = tf.reshape(tf.fused.matMul({ a: x2, b: w2, bias: fused }), [...lead, ...outSizes]); // (..., ...outSizes)
    return bias === null || fused !== undefined ? y : tf.add(y, bias);
  });
}

/**
 * A dense layer over several trailing axes, with a kernel shaped `[...inSizes, ...units]`:
 * Keras' `EinsumDense` for the two patterns attention needs — splitting features into heads
 * (`[B, T, F] → [B, T, H, D]`, `units: [H, D]`) and merging heads back
 * (`[B, T, H, D] → [B, T, O]`, `units: O, inputAxes: 2`).
 *
 * Input shape: `[batch, ..., ...inSizes]` with the last `inputAxes` sizes known.
 * Output shape: `[batch, ..., ...units]`.
 *
 * Parameters: `kernel` `[...inSizes, ...units]`, `bias` `[...units]` (or `null` with
 * `useBias: false`).
 *
 * @example
 * ```ts
 * const query = new MultiAxisDense({ units: [4, 8], name: 'query' }).build([null, 10, 32], rng(1));
 * const q = query.apply(x); // x: [batch, 10, 32] → [batch, 10, 4, 8]
 * ```
 *
 * @group Attention
 */
export class MultiAxisDense extends Module {
  /** The configuration with defaults applied; `units` as a list. */
  readonly config: Required<Omit<MultiAxisDenseConfig, 'name' | 'units'>> & {
    /** The trailing output sizes, as a list. */
    readonly units: readonly number[];
  };
  /** `[...inSizes, ...units]`, after build. */
  kernel: tf.Variable | null = null;
  /** `[...units]`, or `null` without bias. */
  bias: tf.Variable | null = null;

  constructor(config: MultiAxisDenseConfig) {
    super(config);
    const units = typeof config.units === 'number' ? [config.units] : [...config.units];
    if (units.length === 0 || !units.every((u) => Number.isInteger(u) && u > 0)) {
      throw new ConfigError(`MultiAxisDense '${this.name}': units expected a positive integer or a non-empty list of them, got ${JSON.stringify(config.units)}`);
    }
    const inputAxes = config.inputAxes ?? 1;
    if (!Number.isInteger(inputAxes) || inputAxes < 1) {
      throw new ConfigError(`MultiAxisDense '${this.name}': inputAxes expected a positive integer, got ${inputAxes}`);
    }
    this.config = {
      units,
      inputAxes,
      ...resolveKernelLayerConfig(config),
    };
  }

  protected override onBuild(inputShape: Shape): void {
    const c = this.config;
    const inSizes = inputShape.slice(inputShape.length - c.inputAxes);
    assert(
      inputShape.length > c.inputAxes && inSizes.every((d) => typeof d === 'number'),
      () => new ShapeError(`${this.label}: input expected rank >= ${c.inputAxes + 1} with the last ${c.inputAxes} sizes known, got ${formatShape(inputShape)}`),
    );
    this.kernel = this.addParameter('kernel', [...(inSizes as number[]), ...c.units], c.kernelInitializer, parameterOptions(c, 'kernel'));
    this.bias = c.useBias
      ? this.addParameter('bias', c.units, c.biasInitializer, parameterOptions(c, 'bias'))
      : null;
  }

  override outputShape(inputShape: Shape): Shape {
    return multiAxisDenseOutputShape(inputShape, this.config.units, this.config.inputAxes);
  }

  protected call(x: tf.Tensor, _options: ApplyOptions): tf.Tensor {
    const k = this.config.inputAxes;
    const inSizes = this.kernel!.shape.slice(0, k);
    if (x.rank <= k || x.shape.slice(x.rank - k).some((d, i) => d !== inSizes[i])) {
      throw new ShapeError(`${this.label}: input trailing sizes expected ${formatShape(inSizes)}, got shape ${formatShape(x.shape)}`);
    }
    return multiAxisDense(x, this.kernel!, this.bias, k);
  }
}
