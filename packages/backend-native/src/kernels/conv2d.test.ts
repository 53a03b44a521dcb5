import { expectNoLeaks, rng, tf, useBackend } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { data, expectClose, onCpuAndNative, tensor, wasmDataIds } from '../../test/helpers.js';
import { setTuning } from '../internal/kernel.js';

// A randomized sweep of 2-D convolutions: sizes 3–12 (often not divided by the stride),
// batch 1–3, channels 1–5, kernels 1–5 (not square), strides 1–3, 'same'/'valid'/explicit
// padding (square filters with the explicit one). Each case checks the forward conv, both gradients and
// the depthwise versions against cpu.
interface ConvCase {
  x: [number, number, number, number];
  kernel: [number, number];
  outChannels: number;
  multiplier: number;
  stride: number;
  pad: 'same' | 'valid' | number;
}
const sweep: ConvCase[] = [];
{
  const r = rng(31);
  const pads = ['same', 'valid', 1] as const;
  while (sweep.length < 18) {
    const kernel: [number, number] = [1 + r.int(5), 1 + r.int(5)];
    const x: [number, number, number, number] = [1 + r.int(3), 3 + r.int(10), 3 + r.int(10), 1 + r.int(5)];
    const c: ConvCase = {
      x,
      kernel,
      outChannels: 1 + r.int(6),
      multiplier: 1 + r.int(3),
      stride: 1 + r.int(3),
      pad: pads[r.int(3)] as 'same' | 'valid' | 1,
    };
    if (c.pad === 'valid' && (kernel[0] > x[1] || kernel[1] > x[2])) continue;
    // tfjs 4.22 sizes both axes of a numeric pad by the filter height: only square filters
    // have a well-defined output there (on every backend).
    if (typeof c.pad === 'number') c.kernel = [kernel[0], kernel[0]];
    sweep.push(c);
  }
  sweep.push({ x: [2, 28, 28, 1], kernel: [5, 5], outChannels: 6, multiplier: 1, stride: 1, pad: 'same' }); // LeNet conv1
  sweep.push({ x: [2, 8, 8, 16], kernel: [3, 3], outChannels: 32, multiplier: 1, stride: 2, pad: 'same' }); // ResNet down-sampling
}
const name = (c: ConvCase) => `x [${c.x}], kernel ${c.kernel}, → ${c.outChannels} (×${c.multiplier}), stride ${c.stride}, pad ${c.pad}`;

describe('convolutions on native (ONNX Runtime)', () => {
  it.each(sweep.map((c) => [name(c), c] as const))('Conv2D and both gradients match cpu within 1e-4: %s', async (_n, c) => {
    const r = rng(sweep.indexOf(c) + 1);
    const x = data(r, c.x);
    const w = data(r, [...c.kernel, c.x[3], c.outChannels]);
    const { cpu, native, sessions } = await onCpuAndNative(() => {
      const f = (xs: tf.Tensor, ws: tf.Tensor) => tf.conv2d(xs as tf.Tensor4D, ws as tf.Tensor4D, c.stride, c.pad).square().sum();
      return [tf.conv2d(tensor(x) as tf.Tensor4D, tensor(w) as tf.Tensor4D, c.stride, c.pad), ...tf.grads(f as (...a: tf.Tensor[]) => tf.Tensor)([tensor(x), tensor(w)])];
    });
    expectClose(native, cpu, 1e-4, name(c));
    expect(sessions, 'ONNX Runtime sessions (forward, input and filter gradients)').toBeLessThanOrEqual(3);
  });

  it.each(sweep.map((c) => [name(c), c] as const))('depthwise conv and both gradients match cpu within 1e-4: %s', async (_n, c) => {
    const r = rng(sweep.indexOf(c) + 50);
    const x = data(r, c.x);
    const w = data(r, [...c.kernel, c.x[3], c.multiplier]);
    const { cpu, native } = await onCpuAndNative(() => {
      const f = (xs: tf.Tensor, ws: tf.Tensor) => tf.depthwiseConv2d(xs as tf.Tensor4D, ws as tf.Tensor4D, c.stride, c.pad).square().sum();
      return [tf.depthwiseConv2d(tensor(x) as tf.Tensor4D, tensor(w) as tf.Tensor4D, c.stride, c.pad), ...tf.grads(f as (...a: tf.Tensor[]) => tf.Tensor)([tensor(x), tensor(w)])];
    });
    expectClose(native, cpu, 1e-4, name(c));
  });

  it.each([
    [2, 'same', 'relu'],
    [1, 'valid', 'prelu'],
    [2, 'valid', 'leakyrelu'],
  ] as const)('dilated and fused forward convs match cpu: dilation %s, %s, %s', async (dilation, pad, activation) => {
    const r = rng(90 + dilation);
    const x = data(r, [2, 11, 9, 3]);
    const w = data(r, [3, 2, 3, 4]);
    const dw = data(r, [3, 2, 3, 2]);
    const bias = data(r, [4]);
    const bias6 = data(r, [6]);
    const alpha = data(r, [4]);
    const alpha6 = data(r, [6]);
    const { cpu, native } = await onCpuAndNative(() => [
      tf.fused.conv2d({
        x: tensor(x) as tf.Tensor4D,
        filter: tensor(w) as tf.Tensor4D,
        strides: 1,
        pad,
        dilations: dilation,
        bias: tensor(bias),
        activation,
        preluActivationWeights: activation === 'prelu' ? tensor(alpha) : undefined,
        leakyreluAlpha: 0.3,
      }),
      tf.fused.depthwiseConv2d({
        x: tensor(x) as tf.Tensor4D,
        filter: tensor(dw) as tf.Tensor4D,
        strides: 1,
        pad,
        dilations: dilation,
        bias: tensor(bias6),
        activation,
        preluActivationWeights: activation === 'prelu' ? tensor(alpha6) : undefined,
        leakyreluAlpha: 0.3,
      }),
    ]);
    expectClose(native, cpu, 1e-4, `${activation}`);
  });

  it('conv2dTranspose (Conv2DBackpropInput) matches cpu', async () => {
    const r = rng(77);
    const x = data(r, [2, 5, 4, 6]);
    const w = data(r, [3, 3, 2, 6]);
    const { cpu, native } = await onCpuAndNative(() => tf.conv2dTranspose(tensor(x) as tf.Tensor4D, tensor(w) as tf.Tensor4D, [2, 10, 8, 2], 2, 'same'));
    expectClose(native, cpu, 1e-4, 'conv2dTranspose');
  });

  it('matches hand-computed filter gradient values', async () => {
    // x = 1..9 in a 3×3 image, dy = ones on the 2×2 'valid' output of a 2×2 filter:
    // dW[i, j] = sum of the 2×2 window of x at (i, j) = 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9.
    const { native } = await onCpuAndNative(() =>
      tf.grad((w: tf.Tensor) => tf.conv2d(tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]), w as tf.Tensor4D, 1, 'valid').sum())(tf.zeros([2, 2, 1, 1])),
    );
    expect(Array.from(native[0] as Float64Array)).toEqual([12, 16, 24, 28]);
  });

  it('leaks neither tensors nor wasm memory', async () => {
    const previous = setTuning('ort');
    try {
      await useBackend('native');
      const r = rng(5);
      const x = tensor(data(r, [2, 8, 8, 3]));
      const w = tensor(data(r, [3, 3, 3, 5]));
      const d = tensor(data(r, [3, 3, 3, 2]));
      const run = () =>
        tf.tidy(() => {
          const f = (xs: tf.Tensor, ws: tf.Tensor, ds: tf.Tensor) =>
            tf.conv2d(xs as tf.Tensor4D, ws as tf.Tensor4D, 2, 'same').sum().add(tf.depthwiseConv2d(xs as tf.Tensor4D, ds as tf.Tensor4D, 1, 'valid').sum());
          tf.grads(f as (...a: tf.Tensor[]) => tf.Tensor)([x, w, d]);
        });
      run();
      const ids = wasmDataIds();
      await expectNoLeaks(run, 'convolutions on native');
      expect(wasmDataIds()).toBe(ids);
      tf.dispose([x, w, d]);
    } finally {
      setTuning(previous);
    }
  });
});
