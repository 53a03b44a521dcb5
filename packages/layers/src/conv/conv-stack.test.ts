// The conv layers together in a Sequential: shape inference through the stack, build from
// the inferred shapes, gradients into every parameter, no leaks, and a tiny batch overfit.
import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import {
  AvgPool2D,
  Conv1D,
  Conv2D,
  Conv2DTranspose,
  Cropping2D,
  Dense,
  DepthwiseConv2D,
  GlobalAvgPool2D,
  GlobalMaxPool1D,
  MaxPool1D,
  MaxPool2D,
  SeparableConv2D,
  Sequential,
  UpSampling2D,
  ZeroPadding2D,
} from '@tensorloom/layers';

function imageModel(): Sequential {
  return new Sequential([
    new Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv1' }), // 8×8×4
    new MaxPool2D({ poolSize: 2 }), // 4×4×4
    new DepthwiseConv2D({ kernelSize: 3, dilationRate: 2, padding: 'same', depthMultiplier: 2 }), // 4×4×8
    new SeparableConv2D({ filters: 4, kernelSize: 3, activation: 'tanh' }), // 2×2×4
    new UpSampling2D({ size: 2, interpolation: 'bilinear' }), // 4×4×4
    new Conv2DTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }), // 8×8×3
    new ZeroPadding2D({ padding: 1 }), // 10×10×3
    new Cropping2D({ cropping: [[2, 0], [0, 2]] }), // 8×8×3
    new AvgPool2D({ poolSize: 3, strides: 2, padding: 'same' }), // 4×4×3
    new GlobalAvgPool2D(), // 3
    new Dense({ units: 2 }),
  ]);
}

describe('conv layers in a Sequential', () => {
  it('infer every output shape before running, and agree with a real apply', () => {
    const model = imageModel().build([null, 8, 8, 1], rng(1));
    expect(model.outputShape([null, 8, 8, 1])).toEqual([null, 2]);
    const shapes = model.layers.map((l) => l.recordedOutputShape);
    expect(shapes).toEqual([
      [null, 8, 8, 4],
      [null, 4, 4, 4],
      [null, 4, 4, 8],
      [null, 2, 2, 4],
      [null, 4, 4, 4],
      [null, 8, 8, 3],
      [null, 10, 10, 3],
      [null, 8, 8, 3],
      [null, 4, 4, 3],
      [null, 3],
      [null, 2],
    ]);
    expect(model.apply(tf.zeros([1, 8, 8, 1])).shape).toEqual([1, 2]);
    expect(Object.keys(model.parameters())).toEqual([
      'conv1.kernel',
      'conv1.bias',
      'depthwise_conv2d.depthwiseKernel',
      'depthwise_conv2d.bias',
      'separable_conv2d.depthwiseKernel',
      'separable_conv2d.pointwiseKernel',
      'separable_conv2d.bias',
      'conv2d_transpose.kernel',
      'conv2d_transpose.bias',
      'dense.kernel',
      'dense.bias',
    ]);
  });

  it('send a gradient to every parameter without leaking, and overfit a tiny batch', async () => {
    const model = imageModel().build([null, 8, 8, 1], rng(2));
    const x = rng(3).normalTensor([2, 8, 8, 1]);
    const y = tf.tensor2d([[1, -1], [-1, 1]]);
    const loss = () => tf.mean(tf.square(tf.sub(model.apply(x, { training: true }), y))) as tf.Scalar;
    const params = Object.values(model.trainableParameters());
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(loss, params);
      const norms = tf.tidy(() => params.map((p) => tf.sum(tf.abs(grads[p.name]!)).dataSync()[0]!));
      norms.forEach((n, i) => expect(n, params[i]!.name).toBeGreaterThan(0));
      tf.dispose([value, grads]);
    }, 'conv stack gradient');
    const optimizer = tf.train.adam(0.05);
    const first = tf.tidy(() => loss().dataSync()[0]!);
    for (let step = 0; step < 20; step++) tf.dispose(optimizer.minimize(loss, true, params) ?? undefined);
    const last = tf.tidy(() => loss().dataSync()[0]!);
    expect(last).toBeLessThan(first / 10);
    optimizer.dispose();
  });

  it('works for sequences: Conv1D, MaxPool1D and a GlobalMaxPool1D', () => {
    const model = new Sequential([
      new Conv1D({ filters: 4, kernelSize: 3, padding: 'causal', dilationRate: 2, activation: 'relu' }),
      new MaxPool1D({ poolSize: 2 }),
      new GlobalMaxPool1D(),
    ]).build([null, 10, 3], rng(4));
    expect(model.outputShape([null, 10, 3])).toEqual([null, 4]);
    expect(model.apply(tf.ones([2, 10, 3])).shape).toEqual([2, 4]);
  });

  it('runs the README example', () => {
    const model = new Sequential(
      [
        new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
        new MaxPool2D({ poolSize: 2 }),
        new Conv2D({ filters: 32, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'relu' }),
        new GlobalAvgPool2D(),
        new Dense({ units: 10 }),
      ],
      { name: 'small-cnn' },
    ).build([null, 28, 28, 1], rng(42));
    expect(model.summary()).toContain('small-cnn');
    const logits = model.apply(tf.zeros([8, 28, 28, 1]));
    expect(logits.shape).toEqual([8, 10]);
    logits.dispose();
    model.dispose();
  });
});
