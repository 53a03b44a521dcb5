// Convolution helpers with PyTorch's symmetric padding, shared by the CNN factories.
// Not exported from the package.
import { Activation, BatchNorm, Conv2D, DepthwiseConv2D, Sequential, ZeroPadding2D } from '@tensorloom/layers';
import type { ActivationName, Initializer } from '@tensorloom/layers';
import type { Layer } from '../../transfer/internal/chain.js';

/** Batch-norm settings of the CNNs: PyTorch's (momentum 0.1 of the new value, ε 1e-5). */
export const BN_DEFAULTS = { momentum: 0.9, epsilon: 1e-5 } as const;

/**
 * A k×k convolution with `(k − 1) / 2` zeros on every side, as PyTorch's `padding=k//2`:
 * stride 1 is `'same'`; a larger stride pads explicitly first, because `'same'` pads
 * asymmetrically (more at the end) and would not match PyTorch's weights.
 */
export function paddedConv(name: string, filters: number, kernelSize: number, stride: number, useBias = false): Layer[] {
  const pad = (kernelSize - 1) / 2;
  if (stride === 1 || pad === 0) {
    return [new Conv2D({ name, filters, kernelSize, strides: stride, padding: pad === 0 ? 'valid' : 'same', useBias, kernelInitializer: 'heNormal' })];
  }
  return [
    new ZeroPadding2D({ name: `${name}_pad`, padding: pad }),
    new Conv2D({ name, filters, kernelSize, strides: stride, padding: 'valid', useBias, kernelInitializer: 'heNormal' }),
  ];
}

/**
 * He-normal for a depthwise kernel `[kh, kw, channels, multiplier]`: each output sees `kh·kw`
 * inputs, so the standard deviation is `√(2 / (kh·kw))`. The generic fans would count
 * `kh·kw·channels` inputs and start the depthwise layers √channels too small.
 */
const depthwiseHeNormal: Initializer = (shape, rng) => rng.normalTensor(shape, 0, Math.sqrt(2 / (shape[0]! * shape[1]!)));

/** A k×k depthwise convolution (no bias) with PyTorch's symmetric padding, as {@link paddedConv}. */
export function paddedDepthwise(name: string, kernelSize: number, stride: number): Layer[] {
  const pad = (kernelSize - 1) / 2;
  const depthwiseInitializer = depthwiseHeNormal;
  if (stride === 1) return [new DepthwiseConv2D({ name, kernelSize, padding: 'same', useBias: false, depthwiseInitializer })];
  return [
    new ZeroPadding2D({ name: `${name}_pad`, padding: pad }),
    new DepthwiseConv2D({ name, kernelSize, strides: stride, padding: 'valid', useBias: false, depthwiseInitializer }),
  ];
}

/** Conv (no bias; depthwise when `filters` is `'depthwise'`) → BatchNorm → activation, as one Sequential named `name` with keys `0`, `1`, `2`. */
export function convBnAct(
  name: string,
  filters: number | 'depthwise',
  kernelSize: number,
  stride: number,
  activation: ActivationName | null,
  bn: { momentum: number; epsilon: number } = BN_DEFAULTS,
): Sequential {
  const conv = filters === 'depthwise' ? paddedDepthwise('0', kernelSize, stride) : paddedConv('0', filters, kernelSize, stride);
  const layers: Layer[] = [...conv, new BatchNorm({ name: '1', ...bn })];
  if (activation !== null) layers.push(new Activation({ name: '2', activation }));
  return new Sequential(layers, { name });
}
