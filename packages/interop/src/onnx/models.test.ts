import { describe, expect, it } from 'vitest';
import { rng, tf } from '@tensorloom/core';
import { CausalLM, CifarResNet, LeNet5, MLP, MobileNetV2, ResNet, UNet, VGG, dcgan, mlpGan, rnnClassifier } from '@tensorloom/models';
import type { Module, Shape } from '@tensorloom/layers';
import { exportOnnx } from '@tensorloom/interop';
import { dumpOnnx, maxExcess, randomizeState, runOnnx } from '../internal/testing.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const families: { name: string; make: () => Module<any, any>; shape: Shape; ints?: number }[] = [
  { name: 'RNN classifier (stacked bidirectional GRU)', shape: [null, 6], ints: 9, make: () => rnnClassifier({ vocabSize: 9, numClasses: 3, embeddingDim: 4, units: 3, numLayers: 2, bidirectional: true, cell: 'gru', padId: null }) },
  { name: 'RNN classifier (LSTM)', shape: [null, 5], ints: 9, make: () => rnnClassifier({ vocabSize: 9, numClasses: 2, embeddingDim: 4, units: 3, cell: 'lstm', padId: null }) },
  { name: 'GPT (CausalLM, learned positions, tied head)', shape: [null, 6], ints: 11, make: () => new CausalLM({ vocabSize: 11, dModel: 8, numHeads: 2, numLayers: 2, dimFeedforward: 16, contextLength: 8 }) },
  { name: 'GPT (sinusoidal positions, untied head, gelu)', shape: [null, 5], ints: 7, make: () => new CausalLM({ vocabSize: 7, dModel: 8, numHeads: 4, numLayers: 1, dimFeedforward: 12, contextLength: 8, positions: 'sinusoidal', tieWeights: false, activation: 'gelu' }) },
  { name: 'ResNet basic blocks', shape: [null, 35, 33, 3], make: () => new ResNet({ block: 'basic', layers: [1, 1, 1, 1], width: 4, classes: 5 }) },
  { name: 'ResNet bottleneck blocks', shape: [null, 32, 32, 3], make: () => new ResNet({ block: 'bottleneck', layers: [1, 2, 1, 1], width: 2, classes: 5 }) },
  { name: 'CIFAR ResNet option A shortcuts', shape: [null, 16, 16, 3], make: () => new CifarResNet({ depth: 8, width: 4, shortcut: 'padding', classes: 3 }) },
  { name: 'ResNet without top, max pooling', shape: [null, 32, 32, 3], make: () => new ResNet({ layers: [1, 1, 1, 1], width: 2, includeTop: false, pooling: 'max' }) },
  { name: 'MLP (batch norm, dropout)', shape: [null, 7], make: () => new MLP({ hiddenSizes: [6, 5], outputs: 3, normalization: 'batch', dropout: 0.2 }) },
  { name: 'DCGAN generator', shape: [null, 6], make: () => dcgan({ imageShape: [16, 16, 1], latentDim: 6, baseFilters: 4 }).generator },
  { name: 'DCGAN discriminator', shape: [null, 16, 16, 1], make: () => dcgan({ imageShape: [16, 16, 1], latentDim: 6, baseFilters: 4 }).discriminator },
  { name: 'MLP GAN generator', shape: [null, 5], make: () => mlpGan({ dataDim: 8, latentDim: 5, hiddenSizes: [6] }).generator },
  { name: 'MLP GAN discriminator', shape: [null, 8], make: () => mlpGan({ dataDim: 8, latentDim: 5, hiddenSizes: [6] }).discriminator },
  { name: 'U-Net (same padding, transposed upsampling)', shape: [null, 16, 16, 1], make: () => new UNet({ depth: 2, baseFilters: 2, classes: 3 }) },
  { name: 'U-Net (valid padding, bilinear, batch norm)', shape: [null, 44, 44, 1], make: () => new UNet({ depth: 1, baseFilters: 2, classes: 2, padding: 'valid', upsampling: 'bilinear', batchNorm: true }) },
  { name: 'VGG (small layout, batch norm)', shape: [null, 16, 16, 3], make: () => new VGG({ layout: [4, 'M', 8, 8, 'M'], batchNorm: true, hiddenUnits: 6, classes: 3 }) },
  { name: 'MobileNetV2', shape: [null, 32, 32, 3], make: () => new MobileNetV2({ widthMultiplier: 0.25, classes: 4 }) },
  { name: 'LeNet-5', shape: [null, 32, 32, 1], make: () => new LeNet5({}) },
  { name: 'LeNet-5 (ReLU, 28×28 padded)', shape: [null, 28, 28, 1], make: () => new LeNet5({ variant: 'relu', inputSize: 28 }) },
];

describe('exportOnnx of @tensorloom/models families runs in onnxruntime-node like the model', () => {
  for (const f of families) {
    it(f.name, async () => {
      const model = f.make().build(f.shape, rng(1));
      randomizeState(model, 2, 0.2);
      const bytes = exportOnnx(model, { inputShape: f.shape });
      dumpOnnx(f.name, bytes);
      for (const batch of [1, 2]) {
        const shape = f.shape.map((d) => d ?? batch);
        const x = f.ints !== undefined
          ? tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (i * 5 + 2) % f.ints!), shape, 'int32')
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

describe('exportOnnx refuses what the graph cannot express', () => {
  it('an RNNClassifier with padding masks', () => {
    const model = rnnClassifier({ vocabSize: 9, numClasses: 2, embeddingDim: 4, units: 3, padId: 0, name: 'spam' }).build([null, 5], rng(1));
    expect(() => exportOnnx(model, { inputShape: [null, 5] })).toThrowError(
      "exportOnnx: model 'spam' (RNNClassifier) has padId 0; its padding masks are not exported",
    );
    model.dispose();
  });

  it('a GPT without a known sequence length', () => {
    const model = new CausalLM({ vocabSize: 5, dModel: 4, numHeads: 1, numLayers: 1, dimFeedforward: 4, contextLength: 4, name: 'gpt' }).build([null, 4], rng(1));
    expect(() => exportOnnx(model, { inputShape: [null, null] })).toThrowError("exportOnnx: model 'gpt' (CausalLM) needs a known sequence length, got input [null, null]");
    model.dispose();
  });
});
