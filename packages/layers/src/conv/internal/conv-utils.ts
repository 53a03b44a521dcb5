// Argument normalisation, shape arithmetic and input checks shared by the conv, pooling and
// resampling layers. Not exported from the package.
import { ConfigError, ShapeError, assertRank, formatShape } from '@tensorloom/core';
import { getActivation } from '../../core/activations.js';
import type { ActivationFn, ActivationName } from '../../core/activations.js';
import { resolveKernelLayerConfig } from '../../core/kernel-layer-config.js';
import type { KernelLayerConfig } from '../../core/kernel-layer-config.js';
import type { Shape } from '../../module/module.js';
import type { ConvPadding, DepthwiseConv2DConfig, Sides2D, Size2D } from '../types.js';

/** `[height, width]`. */
export type Pair = [number, number];

/** `[[top, bottom], [left, right]]`. */
export type SidePairs = [Pair, Pair];

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value);
}

function isInt(v: unknown, min: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min;
}

function kind(min: number): string {
  return min === 0 ? 'non-negative integer' : 'positive integer';
}

/**
 * Normalises a 2-D size (`3` or `[3, 5]`) to `[h, w]`; `undefined` takes `fallback`.
 *
 * @throws ConfigError `<unit>: <arg> expected a positive integer or [h, w] of positive integers, got <value>`.
 */
export function toPair(unit: string, arg: string, value: Size2D | undefined, fallback: Size2D, min = 1): Pair {
  const v = value ?? fallback;
  if (isInt(v, min)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && isInt(v[0], min) && isInt(v[1], min)) return [v[0], v[1]];
  throw new ConfigError(`${unit}: ${arg} expected a ${kind(min)} or [h, w] of ${kind(min)}s, got ${show(v)}`);
}

/**
 * Normalises a 1-D size (`3` or `[3]`); `undefined` takes `fallback`.
 *
 * @throws ConfigError `<unit>: <arg> expected a positive integer, got <value>`.
 */
export function toSingle(unit: string, arg: string, value: number | readonly [number] | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (isInt(v, 1)) return v;
  if (Array.isArray(v) && v.length === 1 && isInt(v[0], 1)) return v[0];
  throw new ConfigError(`${unit}: ${arg} expected a positive integer, got ${show(v)}`);
}

/**
 * Normalises per-side amounts (`1`, `[1, 2]` or `[[0, 1], [2, 0]]`) to `[[top, bottom], [left, right]]`.
 *
 * @throws ConfigError naming the accepted forms.
 */
export function toSides(unit: string, arg: string, value: Sides2D): SidePairs {
  if (isInt(value, 0)) return [[value, value], [value, value]];
  if (Array.isArray(value) && value.length === 2) {
    const [a, b] = value as unknown[];
    if (isInt(a, 0) && isInt(b, 0)) return [[a, a], [b, b]];
    const pair = (p: unknown): p is Pair => Array.isArray(p) && p.length === 2 && isInt(p[0], 0) && isInt(p[1], 0);
    if (pair(a) && pair(b)) return [[a[0], a[1]], [b[0], b[1]]];
  }
  throw new ConfigError(
    `${unit}: ${arg} expected a non-negative integer, [h, w] or [[top, bottom], [left, right]] of non-negative integers, got ${show(value)}`,
  );
}

/**
 * Checks a padding mode against the accepted ones.
 *
 * @throws ConfigError `<unit>: padding expected 'valid' or 'same', got 'full'`.
 */
export function checkPadding<P extends string>(unit: string, padding: P | undefined, accepted: readonly P[], fallback: P): P {
  const p = padding ?? fallback;
  if (!accepted.includes(p)) {
    const list = accepted.map((a) => `'${a}'`);
    const expected = list.length === 2 ? `${list[0]} or ${list[1]}` : `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
    throw new ConfigError(`${unit}: padding expected ${expected}, got ${show(p)}`);
  }
  return p;
}

/**
 * tfjs convolutions take a stride or a dilation per call, not both.
 *
 * @throws ConfigError when some stride and some dilation rate both exceed 1.
 */
export function checkStridesOrDilation(unit: string, strides: readonly number[], dilation: readonly number[]): void {
  if (strides.some((s) => s > 1) && dilation.some((d) => d > 1)) {
    const fmt = (v: readonly number[]): string => (v.length === 1 ? String(v[0]) : formatShape(v));
    throw new ConfigError(
      `${unit}: strides and dilationRate expected one of them to be all 1s, got strides ${fmt(strides)} and dilationRate ${fmt(dilation)}`,
      { help: 'tfjs cannot stride a dilated convolution; use strides 1 and downsample afterwards (e.g. with a pooling layer)' },
    );
  }
}

/** A positive integer (filters, units, depth multiplier) or a ConfigError naming it. */
export function checkPositiveInt(unit: string, arg: string, value: number): number {
  if (!isInt(value, 1)) throw new ConfigError(`${unit}: ${arg} expected a positive integer, got ${show(value)}`);
  return value;
}

/** The extent of a dilated kernel: `(k − 1)·d + 1`. */
export function dilatedSize(kernel: number, dilation: number): number {
  return (kernel - 1) * dilation + 1;
}

/**
 * The output length of a convolution or pooling window along one axis (`null` stays
 * `null`). For `'valid'` it is `⌊(n − k_eff) / s⌋ + 1`, for `'same'` `⌈n / s⌉`.
 */
export function convOutputLength(n: number | null, kernel: number, padding: ConvPadding, stride: number, dilation = 1): number | null {
  if (n === null) return null;
  const size = padding === 'same' ? n : n - dilatedSize(kernel, dilation) + 1;
  return Math.floor((size + stride - 1) / stride);
}

/**
 * TensorFlow's 'same' padding along one axis: `[before, after]` with the total
 * `max((⌈n/s⌉ − 1)·s + k_eff − n, 0)` and the smaller half before.
 */
export function samePadding(n: number, kernel: number, stride: number, dilation = 1): Pair {
  const out = Math.ceil(n / stride);
  const total = Math.max((out - 1) * stride + dilatedSize(kernel, dilation) - n, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * Checks a windowed layer's input shape and returns the output sizes along its spatial axes
 * (the axes between batch and channels): first the rank, then that a `'valid'` window fits
 * along each spatial axis whose size is known.
 *
 * @param unit - the layer's label, e.g. `"Conv2D 'conv1'"`.
 * @param shape - the input shape (`null` for unknown sizes).
 * @param layout - the axes, e.g. `'[batch, h, w, c]'`; its rank is `kernel.length + 2`.
 * @param kernel - the window size along each spatial axis.
 * @param strides - the stride along each spatial axis.
 * @param dilation - the dilation along each spatial axis.
 * @param padding - the border handling (a causal convolution passes `'same'`: same sizes, no fit check).
 * @param what - the window's name in messages (`'kernel'`, `'poolSize'`).
 * @returns the output size along each spatial axis, see {@link convOutputLength} (`null` stays `null`).
 * @throws ShapeError `<unit>: input must be rank 4 [batch, h, w, c], got [28, 28]`, or
 *   `<unit>: input axis 1 expected >= 3 (kernel 3 with padding 'valid'), got shape [2, 2, 9, 1]`.
 */
export function windowOutputSizes(
  unit: string,
  shape: Shape,
  layout: string,
  kernel: readonly number[],
  strides: readonly number[],
  dilation: readonly number[],
  padding: ConvPadding,
  what: string,
): (number | null)[] {
  assertRank(unit, 'input', shape as readonly number[], kernel.length + 2, layout);
  return kernel.map((k, i) => {
    const axis = i + 1;
    const n = shape[axis] ?? null;
    const extent = dilatedSize(k, dilation[i]!);
    if (padding === 'valid' && n !== null && n < extent) {
      const dil = dilation[i]! > 1 ? ` dilated by ${dilation[i]}` : '';
      throw new ShapeError(
        `${unit}: input axis ${axis} expected >= ${extent} (${what} ${k}${dil} with padding 'valid'), got shape ${formatShape(shape)}`,
      );
    }
    return convOutputLength(n, k, padding, strides[i]!, dilation[i]!);
  });
}

/**
 * The channel count of a built input shape (the last axis), which must be known.
 *
 * @throws ShapeError `<unit>: input axis 3 (channels) expected a known size, got [null, 28, 28, null]`.
 */
export function knownChannels(unit: string, shape: Shape): number {
  const c = shape[shape.length - 1];
  if (c === null || c === undefined) {
    throw new ShapeError(`${unit}: input axis ${shape.length - 1} (channels) expected a known size, got ${formatShape(shape)}`);
  }
  return c;
}

/**
 * Checks that the input's last axis has the channel count the parameters were built for.
 *
 * @throws ShapeError `<unit>: input axis 3 expected 3, got shape [2, 8, 8, 1]`.
 */
export function checkChannels(unit: string, shape: readonly number[], channels: number): void {
  const axis = shape.length - 1;
  if (shape[axis] !== channels) {
    throw new ShapeError(`${unit}: input axis ${axis} expected ${channels}, got shape ${formatShape(shape)}`);
  }
}

/** The normalised window geometry of a 2-D convolution. */
export interface Geometry2D {
  kernelSize: Pair;
  strides: Pair;
  padding: ConvPadding;
  dilationRate: Pair;
}

/**
 * Normalises and checks a 2-D convolution's geometry (kernel size, strides, padding,
 * dilation), naming `unit` in errors.
 */
export function geometry2D(
  unit: string,
  options: { kernelSize: Size2D; strides?: Size2D; padding?: ConvPadding; dilationRate?: Size2D },
): Geometry2D {
  const g = {
    kernelSize: toPair(unit, 'kernelSize', options.kernelSize, 1),
    strides: toPair(unit, 'strides', options.strides, 1),
    padding: checkPadding<ConvPadding>(unit, options.padding, ['valid', 'same'], 'valid'),
    dilationRate: toPair(unit, 'dilationRate', options.dilationRate, 1),
  };
  checkStridesOrDilation(unit, g.strides, g.dilationRate);
  return g;
}

/**
 * Checks and resolves what Conv1D, Conv2D and Conv2DTranspose configure alike: `filters`,
 * `activation` (default `'linear'`) and the kernel and bias fields, naming `unit` in errors.
 * The caller adds its geometry.
 */
export function resolveFilterConfig(
  unit: string,
  config: KernelLayerConfig & { filters: number; activation?: ActivationName | ActivationFn },
): { filters: number; activation: ActivationName | ActivationFn } & ReturnType<typeof resolveKernelLayerConfig> {
  checkPositiveInt(unit, 'filters', config.filters);
  getActivation(config.activation ?? 'linear', unit);
  return { filters: config.filters, activation: config.activation ?? 'linear', ...resolveKernelLayerConfig(config) };
}

/**
 * Checks and resolves a depthwise convolution's configuration (geometry, `depthMultiplier`,
 * `activation`, the depthwise kernel and bias fields), as DepthwiseConv2D and the depthwise
 * step of SeparableConv2D share it, naming `unit` in errors.
 */
export function resolveDepthwiseConfig(
  unit: string,
  config: Omit<DepthwiseConv2DConfig, 'name'>,
): Required<Omit<DepthwiseConv2DConfig, 'name' | keyof Geometry2D>> & Geometry2D {
  checkPositiveInt(unit, 'depthMultiplier', config.depthMultiplier ?? 1);
  getActivation(config.activation ?? 'linear', unit);
  return {
    ...geometry2D(unit, config),
    depthMultiplier: config.depthMultiplier ?? 1,
    activation: config.activation ?? 'linear',
    useBias: config.useBias ?? true,
    depthwiseInitializer: config.depthwiseInitializer ?? 'glorotUniform',
    biasInitializer: config.biasInitializer ?? 'zeros',
    depthwiseRegularizer: config.depthwiseRegularizer ?? null,
    biasRegularizer: config.biasRegularizer ?? null,
    depthwiseConstraint: config.depthwiseConstraint ?? null,
    biasConstraint: config.biasConstraint ?? null,
  };
}
