import { describe, expect, it } from 'vitest';
import { ConfigError, rng, tf } from '@tensorloom/core';
import {
  Activation, AlphaDropout, Bidirectional, AvgPool1D, AvgPool2D, BatchNorm, Conv1D, Conv2D, Conv2DTranspose, Cropping2D, DepthwiseConv2D,
  Dense, Dropout, Embedding, Flatten, GaussianNoise, GlobalAvgPool1D, GlobalAvgPool2D, GlobalMaxPool1D, GlobalMaxPool2D, GRU,
  LayerNorm, LSTM, MaxPool1D, MaxPool2D, Permute, PositionalEmbedding, Reshape, SeparableConv2D, Sequential, SimpleRNN,
  SinusoidalPositionalEncoding, SpatialDropout1D, SpatialDropout2D, GaussianDropout, Identity, TransformerEncoderLayer, UpSampling2D, ZeroPadding2D, GroupNorm, InstanceNorm, MultiAxisDense, TimeDistributed,
} from '@tensorloom/layers';
import { Module } from '@tensorloom/layers';
import type { Shape } from '@tensorloom/layers';
import { exportOnnx } from '@tensorloom/interop';
import { dumpOnnx, maxExcess, randomizeState, runOnnx } from '../internal/testing.js';

interface Case {
  name: string;
  layers: () => Module[];
  shape: Shape;
  batch?: number;
  ints?: number; // integer inputs in [0, ints)
  time?: [number, number]; // the dynamic length at each batch size
}

const cases: Case[] = [
  { name: 'Dense + activations', shape: [null, 6], layers: () => [
    new Dense({ units: 5, activation: 'relu' }), new Dense({ units: 5, activation: 'gelu' }), new Dense({ units: 5, activation: 'geluTanh' }),
    new Dense({ units: 5, activation: 'elu' }), new Dense({ units: 5, activation: 'selu' }), new Dense({ units: 5, activation: 'silu' }),
    new Dense({ units: 5, activation: 'leakyRelu' }), new Dense({ units: 5, activation: 'relu6' }), new Dense({ units: 5, activation: 'hardSigmoid' }),
    new Dense({ units: 5, activation: 'softplus' }), new Dense({ units: 5, activation: 'softsign' }), new Dense({ units: 5, activation: 'tanh' }),
    new Dense({ units: 4, activation: 'sigmoid', useBias: false }), new Activation({ activation: 'swish' }),
    new Dense({ units: 3, activation: 'softmax' }), new Activation({ activation: 'logSoftmax' }),
  ] },
  { name: 'Dense on rank 3', shape: [null, 3, 4], layers: () => [new Dense({ units: 2 })] },
  { name: 'Conv2D valid/same, strided, dilated', shape: [null, 9, 8, 3], layers: () => [
    new Conv2D({ filters: 4, kernelSize: 3, activation: 'relu' }),
    new Conv2D({ filters: 3, kernelSize: [3, 2], strides: 2, padding: 'same' }),
    new Conv2D({ filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same', useBias: false }),
  ] },
  { name: 'Conv1D valid, same, causal', shape: [null, 10, 3], layers: () => [
    new Conv1D({ filters: 4, kernelSize: 3 }), new Conv1D({ filters: 3, kernelSize: 2, strides: 2, padding: 'same' }),
    new Conv1D({ filters: 2, kernelSize: 2, dilationRate: 2, padding: 'causal', activation: 'tanh' }),
  ] },
  { name: 'DepthwiseConv2D and SeparableConv2D', shape: [null, 8, 7, 3], layers: () => [
    new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
    new DepthwiseConv2D({ kernelSize: 2, strides: 2, activation: 'relu6' }),
    new SeparableConv2D({ filters: 4, kernelSize: 3, padding: 'same', depthMultiplier: 2 }),
    new SeparableConv2D({ filters: 2, kernelSize: 2, dilationRate: 2 }),
  ] },
  { name: 'Conv2DTranspose valid and same', shape: [null, 4, 5, 3], layers: () => [
    new Conv2DTranspose({ filters: 4, kernelSize: 3, strides: 2 }),
    new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
    new Conv2DTranspose({ filters: 2, kernelSize: 2, strides: 1, padding: 'same' }),
  ] },
  { name: '2D pooling, padding, cropping, upsampling', shape: [null, 9, 8, 2], layers: () => [
    new MaxPool2D({ poolSize: 2 }), new ZeroPadding2D({ padding: [[1, 2], [0, 1]] }), new AvgPool2D({ poolSize: 3, strides: 2, padding: 'same' }),
    new UpSampling2D({ size: [2, 3] }), new MaxPool2D({ poolSize: 3, strides: 1, padding: 'same' }), new Cropping2D({ cropping: [[1, 0], [2, 1]] }),
    new UpSampling2D({ size: 2, interpolation: 'bilinear' }),
  ] },
  { name: 'global pools', shape: [null, 5, 4, 3], layers: () => [new GlobalAvgPool2D({ keepDims: true }), new Flatten()] },
  { name: 'global max pool', shape: [null, 5, 4, 3], layers: () => [new GlobalMaxPool2D()] },
  { name: '1D pooling', shape: [null, 9, 3], layers: () => [
    new MaxPool1D({ poolSize: 2 }), new AvgPool1D({ poolSize: 2, padding: 'same' }), new GlobalMaxPool1D({ keepDims: true }), new GlobalAvgPool1D(),
  ] },
  { name: 'BatchNorm folded, dropout and noise removed', shape: [null, 4, 4, 3], layers: () => [
    new Conv2D({ filters: 4, kernelSize: 3 }), new BatchNorm(), new SpatialDropout2D({ rate: 0.3 }), new Flatten(),
    new Dropout({ rate: 0.5 }), new GaussianNoise({ stddev: 1 }), new AlphaDropout({ rate: 0.2 }), new BatchNorm({ center: false, scale: false }),
  ] },
  { name: 'SpatialDropout1D, GaussianDropout, Identity removed', shape: [null, 4, 3], layers: () => [
    new SpatialDropout1D({ rate: 0.5 }), new Dense({ units: 2 }), new GaussianDropout({ rate: 0.3 }), new Identity(),
  ] },
  { name: 'LayerNorm over middle axes', shape: [null, 3, 4, 2], layers: () => [new LayerNorm({ axis: [1] }), new LayerNorm({ axis: [1, 2], center: false }), new LayerNorm({ axis: [1, 3], scale: false })] },
  { name: 'LayerNorm, Reshape, Permute', shape: [null, 6], layers: () => [
    new Reshape({ targetShape: [2, 3] }), new LayerNorm(), new Permute({ dims: [2, 1] }), new LayerNorm({ axis: [-2, -1], center: false }),
    new Reshape({ targetShape: [-1] }),
  ] },
  { name: 'Embedding + LSTM', shape: [null, 5], ints: 11, layers: () => [
    new Embedding({ inputDim: 11, outputDim: 4 }), new LSTM({ units: 3, returnSequences: true }), new LSTM({ units: 2 }),
  ] },
  { name: 'GRU both bias forms, SimpleRNN', shape: [null, 4, 3], layers: () => [
    new GRU({ units: 3, returnSequences: true }), new GRU({ units: 3, resetAfter: true, returnSequences: true }),
    new SimpleRNN({ units: 2, activation: 'relu', returnSequences: true }), new LSTM({ units: 2, recurrentActivation: 'tanh' }),
  ] },
  { name: 'recurrent activations: hardSigmoid (the tfjs-layers LSTM default), elu, softsign, softplus', shape: [null, 4, 3], layers: () => [
    new LSTM({ units: 3, recurrentActivation: 'hardSigmoid', returnSequences: true }), new GRU({ units: 3, activation: 'softsign', recurrentActivation: 'hardSigmoid', returnSequences: true }),
    new SimpleRNN({ units: 2, activation: 'elu', returnSequences: true }), new SimpleRNN({ units: 2, activation: 'softplus' }),
  ] },
  { name: 'TimeDistributed', shape: [null, 4, 6, 6, 2], layers: () => [
    new TimeDistributed({ layer: new Conv2D({ filters: 3, kernelSize: 3, activation: 'relu' }) }), new TimeDistributed({ layer: new Flatten() }),
    new TimeDistributed({ layer: new Dense({ units: 2 }) }),
  ] },
  { name: 'TimeDistributed over a dynamic number of steps', shape: [null, null, 5, 5, 1], time: [2, 4], layers: () => [
    new TimeDistributed({ layer: new Conv2D({ filters: 2, kernelSize: 3 }) }), new TimeDistributed({ layer: new Flatten() }), new LSTM({ units: 2 }),
  ] },
  { name: 'GroupNorm and InstanceNorm', shape: [null, 4, 5, 6], layers: () => [
    new GroupNorm({ groups: 3 }), new InstanceNorm(), new Conv2D({ filters: 4, kernelSize: 1 }), new GroupNorm({ groups: 2, center: false }),
  ] },
  { name: 'Bidirectional (concat, sum, ave, mul) and goBackwards', shape: [null, 5, 3], layers: () => [
    new Bidirectional({ layer: new LSTM({ units: 3, returnSequences: true }) }),
    new Bidirectional({ layer: new GRU({ units: 2, returnSequences: true, resetAfter: true }), mergeMode: 'sum' }),
    new Bidirectional({ layer: new SimpleRNN({ units: 2, returnSequences: true }), mergeMode: 'mul' }),
    new Bidirectional({ layer: new GRU({ units: 2, returnSequences: true }), mergeMode: 'ave' }),
    new Bidirectional({ layer: new LSTM({ units: 2, returnSequences: true, goBackwards: false }) }),
    new GRU({ units: 3, goBackwards: true, returnSequences: true }), new LSTM({ units: 2, goBackwards: true }),
  ] },
  { name: 'Bidirectional last states', shape: [null, 4, 3], layers: () => [new Bidirectional({ layer: new LSTM({ units: 3 }) })] },
  { name: 'transformer encoder layers (post- and pre-norm)', shape: [null, 5, 6], layers: () => [
    new Dense({ units: 8 }), new TransformerEncoderLayer({ numHeads: 2, dimFeedforward: 12 }),
    new TransformerEncoderLayer({ numHeads: 4, dimFeedforward: 12, normFirst: true, activation: 'gelu' }), new GlobalAvgPool1D(), new Dense({ units: 3 }),
  ] },
  { name: 'Embedding + positions + transformer', shape: [null, 6], ints: 9, layers: () => [
    new Embedding({ inputDim: 9, outputDim: 8 }), new SinusoidalPositionalEncoding(), new TransformerEncoderLayer({ numHeads: 2, dimFeedforward: 16 }),
  ] },
  { name: 'MultiAxisDense (two output axes, then two input axes)', shape: [null, 3, 4], layers: () => [
    new MultiAxisDense({ units: [2, 3] }), new MultiAxisDense({ units: 5, inputAxes: 2, useBias: false }), new MultiAxisDense({ units: [2] }),
  ] },
  { name: 'positional encodings', shape: [null, 5, 4], layers: () => [
    new SinusoidalPositionalEncoding(), new PositionalEmbedding({ maxLength: 8 }), new Dense({ units: 2 }),
  ] },
];

describe('exportOnnx runs in onnxruntime-node like the model', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const model = new Sequential(c.layers(), { name: 'm' }).build(c.shape, rng(1));
      randomizeState(model, 2);
      const bytes = exportOnnx(model, { inputShape: c.shape });
      dumpOnnx(c.name, bytes);
      for (const batch of [1, 3]) {
        const shape = c.shape.map((d, i) => d ?? (i === 0 ? batch : c.time![batch === 1 ? 0 : 1]));
        const x = c.ints !== undefined
          ? tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (i * 7) % c.ints!), shape, 'int32')
          : rng(3).normalTensor(shape);
        const expected = model.apply(x);
        const got = await runOnnx(bytes, x);
        expect(got.shape).toEqual(expected.shape);
        expect(maxExcess(got, expected, 1e-4)).toBeLessThanOrEqual(1e-5);
        tf.dispose([x, expected, got]);
      }
      model.dispose();
    });
  }
});

describe('exportOnnx errors', () => {
  it('names the first layer it cannot export', () => {
    class Doubling extends Module<tf.Tensor, tf.Tensor> {
      protected call(x: tf.Tensor): tf.Tensor {
        return tf.mul(x, 2);
      }
    }
    const model = new Sequential([new Dense({ units: 4 }), new Doubling({ name: 'mad' })], { name: 'net' }).build([null, 3, 4], rng(1));
    let error: unknown;
    try {
      exportOnnx(model, { inputShape: [null, 3, 4] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^exportOnnx: layer 'net.mad' \(Doubling\) has no ONNX converter\nhelp: supported layers: Sequential, Dense, /);
    model.dispose();
  });

  it('names a layer that needs a known size: sinusoidal positions, TimeDistributed', () => {
    const cases: [Module, Shape, string][] = [
      [new SinusoidalPositionalEncoding({ name: 'pos' }), [null, null, 4], "exportOnnx: layer 'pos' (SinusoidalPositionalEncoding) needs a known width and sequence length (or the export option maxSequenceLength for a dynamic one), got input [null, null, 4]"],
      [new TimeDistributed({ layer: new GlobalAvgPool1D(), name: 'td' }), [null, null, null, 3], "exportOnnx: layer 'td' (TimeDistributed) needs known sizes after the batch and time, got input [null, null, null, 3]"],
    ];
    for (const [layer, shape, message] of cases) {
      layer.build(shape, rng(1));
      expect(() => exportOnnx(layer, { inputShape: shape })).toThrowError(message);
      layer.dispose();
    }
  });

  it('names a recurrent activation ONNX has not', () => {
    const layer = new GRU({ units: 2, activation: 'gelu', name: 'rnn' }).build([null, 3, 2], rng(1));
    expect(() => exportOnnx(layer, { inputShape: [null, 3, 2] })).toThrowError(
      "exportOnnx: layer 'rnn' (GRU) activation gelu has no ONNX GRU equivalent; use one of tanh, sigmoid, relu, hardSigmoid, elu, softsign, softplus",
    );
    layer.dispose();
  });

  it('rejects an unbuilt model, a bad opset and a custom activation', () => {
    expect(() => exportOnnx(new Dense({ units: 2, name: 'fc' }), { inputShape: [null, 3] })).toThrowError(
      "exportOnnx: model Dense 'fc' expected a built model, got an unbuilt one",
    );
    const fc = new Dense({ units: 2, name: 'fc', activation: (x) => tf.mul(x, 2) }).build([null, 3]);
    expect(() => exportOnnx(fc, { inputShape: [null, 3], opset: 12 })).toThrowError('exportOnnx: opset expected one of 17, 18, 19, 20, 21, got 12');
    expect(() => exportOnnx(fc, { inputShape: [null, 3] })).toThrowError(
      "exportOnnx: layer 'fc' (Dense) has a custom activation function, which cannot be exported; use a named activation",
    );
    fc.dispose();
  });
});

describe('exportOnnx with a dynamic sequence length', () => {
  it('transposed convolutions of any image size (valid, same, outputPadding)', async () => {
    const shape: Shape = [null, null, null, 3];
    const model = new Sequential([
      new Conv2DTranspose({ filters: 4, kernelSize: 3, strides: 2 }), new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }),
      new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1 }), new Conv2DTranspose({ filters: 2, kernelSize: 2, strides: 3, outputPadding: [1, 2] }),
    ]).build(shape, rng(1));
    randomizeState(model, 2);
    const bytes = exportOnnx(model, { inputShape: shape });
    dumpOnnx('dynamic image size transposed convs', bytes);
    for (const size of [[1, 2, 3], [2, 4, 5]] as const) {
      const x = rng(3).normalTensor([size[0], size[1], size[2], 3]);
      const expected = model.apply(x);
      const got = await runOnnx(bytes, x);
      expect(got.shape).toEqual(expected.shape);
      expect(maxExcess(got, expected, 1e-4)).toBeLessThanOrEqual(1e-5);
      tf.dispose([x, expected, got]);
    }
    model.dispose();
  });

  it('sinusoidal positions up to maxSequenceLength, learned ones up to their table, attention of any length', async () => {
    const shape: Shape = [null, null, 4];
    const model = new Sequential([
      new SinusoidalPositionalEncoding(), new PositionalEmbedding({ maxLength: 9 }), new TransformerEncoderLayer({ numHeads: 2, dimFeedforward: 8 }),
    ]).build(shape, rng(1));
    randomizeState(model, 2);
    const bytes = exportOnnx(model, { inputShape: shape, maxSequenceLength: 9 });
    dumpOnnx('dynamic length positions', bytes);
    for (const [batch, length] of [[1, 2], [3, 9]] as const) {
      const x = rng(3).normalTensor([batch, length, 4]);
      const expected = model.apply(x);
      const got = await runOnnx(bytes, x);
      expect(got.shape).toEqual(expected.shape);
      expect(maxExcess(got, expected, 1e-4)).toBeLessThanOrEqual(1e-5);
      tf.dispose([x, expected, got]);
    }
    expect(() => exportOnnx(model, { inputShape: shape, maxSequenceLength: 0 })).toThrowError('exportOnnx: maxSequenceLength expected a positive integer, got 0');
    model.dispose();
  });
});

describe('exportOnnx opsets and files', () => {
  it('writes opset 21 graphs too (ReduceMean axes as an input), and a file under /node', async () => {
    const { writeOnnx } = await import('@tensorloom/interop/node');
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const model = new Sequential([new Conv2D({ filters: 4, kernelSize: 3 }), new GroupNorm({ groups: 2 }), new LayerNorm(), new GlobalAvgPool2D(), new Dense({ units: 2 })])
      .build([null, 5, 5, 1], rng(4));
    const path = join(mkdtempSync(join(tmpdir(), 'interop-onnx-')), 'sub/model.onnx');
    const written = await writeOnnx(path, model, { inputShape: [null, 5, 5, 1], opset: 21 });
    const bytes = new Uint8Array(readFileSync(path));
    dumpOnnx('opset 21', bytes);
    expect(bytes.byteLength).toBe(written);
    const x = rng(5).normalTensor([2, 5, 5, 1]);
    const expected = model.apply(x);
    const got = await runOnnx(bytes, x);
    expect(maxExcess(got, expected, 1e-4)).toBeLessThanOrEqual(1e-5);
    tf.dispose([x, expected, got]);
    model.dispose();
  });
});
