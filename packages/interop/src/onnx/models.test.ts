import { describe, expect, it } from 'vitest';
import { rng, tf } from '@tensorloom/core';
import {
  CausalLM, CifarResNet, ConvAutoencoder, DenseAutoencoder, LeNet5, MLP, MobileNetV2, Perceptron, RBFNetwork, ResNet, Seq2SeqLSTM, Seq2SeqTransformer,
  GPTBlock, TransformerClassifier, UNet, VGG, VariationalAutoencoder, VisionTransformer, dcgan, denoisingAutoencoder, mlpGan, rnnClassifier, sparseAutoencoder,
} from '@tensorloom/models';
import * as ort from 'onnxruntime-node';
import type { Module, Shape } from '@tensorloom/layers';
import { exportOnnx } from '@tensorloom/interop';
import { dumpOnnx, maxExcess, randomizeState, runOnnx } from '../internal/testing.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const families: { name: string; make: () => Module<any, any>; shape: Shape; ints?: number; padded?: boolean; lengths?: number[] }[] = [
  { name: 'RNN classifier (stacked bidirectional GRU)', shape: [null, 6], ints: 9, make: () => rnnClassifier({ vocabSize: 9, numClasses: 3, embeddingDim: 4, units: 3, numLayers: 2, bidirectional: true, cell: 'gru', padId: null }) },
  { name: 'RNN classifier (LSTM)', shape: [null, 5], ints: 9, make: () => rnnClassifier({ vocabSize: 9, numClasses: 2, embeddingDim: 4, units: 3, cell: 'lstm', padId: null }) },
  { name: 'GPT (CausalLM, learned positions, tied head)', shape: [null, 6], ints: 11, make: () => new CausalLM({ vocabSize: 11, dModel: 8, numHeads: 2, numLayers: 2, dimFeedforward: 16, contextLength: 8 }) },
  { name: 'GPT (sinusoidal positions, untied head, gelu)', shape: [null, 5], ints: 7, make: () => new CausalLM({ vocabSize: 7, dModel: 8, numHeads: 4, numLayers: 1, dimFeedforward: 12, contextLength: 8, positions: 'sinusoidal', tieWeights: false, activation: 'gelu' }) },
  { name: 'RNN classifier with padding (padId 0, bidirectional LSTM, stacked)', shape: [null, 6], ints: 9, padded: true, make: () => rnnClassifier({ vocabSize: 9, numClasses: 3, embeddingDim: 4, units: 3, numLayers: 2, bidirectional: true, cell: 'lstm', padId: 0 }) },
  { name: 'RNN classifier with padding, dynamic length (ONNX Loops)', shape: [null, null], ints: 9, padded: true, lengths: [4, 7], make: () => rnnClassifier({ vocabSize: 9, numClasses: 3, embeddingDim: 4, units: 3, numLayers: 2, bidirectional: true, cell: 'gru', padId: 0 }) },
  { name: 'RNN classifier with padding (GRU)', shape: [null, 5], ints: 9, padded: true, make: () => rnnClassifier({ vocabSize: 9, numClasses: 2, embeddingDim: 4, units: 3, cell: 'gru', padId: 0 }) },
  { name: 'Transformer classifier (CLS pooling, padding)', shape: [null, null], ints: 11, padded: true, lengths: [4, 6], make: () => new TransformerClassifier({ vocabSize: 11, numClasses: 3, maxLength: 8, dModel: 8, numHeads: 2, numLayers: 2, dimFeedforward: 12, pooling: 'cls' }) },
  { name: 'Transformer classifier (mean pooling over real tokens, pre-norm, gelu)', shape: [null, null], ints: 11, padded: true, lengths: [3, 7], make: () => new TransformerClassifier({ vocabSize: 11, numClasses: 2, maxLength: 8, dModel: 8, numHeads: 4, numLayers: 1, dimFeedforward: 8, pooling: 'mean', normFirst: true, activation: 'gelu' }) },
  { name: 'Transformer classifier (mean pooling, no padId)', shape: [null, 5], ints: 11, make: () => new TransformerClassifier({ vocabSize: 11, numClasses: 2, maxLength: 8, dModel: 8, numHeads: 2, numLayers: 1, dimFeedforward: 8, pooling: 'mean', padId: null }) },
  { name: 'GPT with a dynamic sequence length (causal mask built in the graph)', shape: [null, null], ints: 11, lengths: [3, 8], make: () => new CausalLM({ vocabSize: 11, dModel: 8, numHeads: 2, numLayers: 2, dimFeedforward: 16, contextLength: 8 }) },
  { name: 'GPT sinusoidal, dynamic length', shape: [null, null], ints: 7, lengths: [1, 5], make: () => new CausalLM({ vocabSize: 7, dModel: 8, numHeads: 2, numLayers: 1, dimFeedforward: 8, contextLength: 6, positions: 'sinusoidal', tieWeights: false }) },
  { name: 'GPT block alone (causal, any length)', shape: [null, null, 8], lengths: [2, 5], make: () => new GPTBlock({ numHeads: 2, dimFeedforward: 12 }) },
  { name: 'ViT (class token to the head)', shape: [null, 8, 8, 3], make: () => new VisionTransformer({ imageSize: 8, patchSize: 4, dModel: 8, numHeads: 2, depth: 2, mlpDim: 12, classes: 3 }) },
  { name: 'ViT without top, average pooling of the patch tokens', shape: [null, 8, 8, 1], make: () => new VisionTransformer({ imageSize: 8, patchSize: 2, dModel: 4, numHeads: 1, depth: 1, mlpDim: 4, includeTop: false, pooling: 'avg' }) },
  { name: 'ViT without top, max pooling', shape: [null, 8, 8, 1], make: () => new VisionTransformer({ imageSize: 8, patchSize: 4, dModel: 4, numHeads: 2, depth: 1, mlpDim: 4, includeTop: false, pooling: 'max' }) },
  { name: 'dense autoencoder', shape: [null, 10], make: () => new DenseAutoencoder({ inputDim: 10, hiddenSizes: [6], latentDim: 3 }) },
  { name: 'denoising autoencoder (corruption is training-only)', shape: [null, 10], make: () => denoisingAutoencoder({ inputDim: 10, hiddenSizes: [5], latentDim: 2 }) },
  { name: 'sparse autoencoder (the penalty is training-only)', shape: [null, 10], make: () => sparseAutoencoder({ inputDim: 10, hiddenSizes: [5], latentDim: 4 }) },
  { name: 'convolutional autoencoder', shape: [null, 8, 8, 1], make: () => new ConvAutoencoder({ inputShape: [8, 8, 1], filters: [2, 3] }) },
  { name: 'VAE (reconstruction through the posterior mean)', shape: [null, 9], make: () => new VariationalAutoencoder({ inputDim: 9, hiddenSizes: [6], latentDim: 2 }) },
  { name: 'RBF network', shape: [null, 3], make: () => new RBFNetwork({ centres: 5, outputs: 2, outputActivation: 'softmax' }) },
  { name: 'perceptron (sigmoid)', shape: [null, 4], make: () => new Perceptron({ output: 'sigmoid' }) },
  { name: 'perceptron (step)', shape: [null, 4], make: () => new Perceptron({}) },
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
      for (const [batch, length] of [[1, f.lengths?.[0]], [3, f.lengths?.[1]]] as const) {
        const shape = f.shape.map((d, i) => d ?? (i === 0 ? batch : length!));
        const x = f.ints !== undefined
          ? (f.padded ? paddedIds(shape[0]!, shape[1]!, f.ints) : tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (i * 5 + 2) % f.ints!), shape, 'int32'))
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

/** Ids `[b, t]` in [1, vocab) with trailing padding (id 0) growing by row, and a pad inside row 2. */
function paddedIds(b: number, t: number, vocab: number): tf.Tensor {
  const ids = Array.from({ length: b * t }, (_, k) => (k % t < t - (Math.floor(k / t) % t) ? 1 + ((k * 5 + 2) % (vocab - 1)) : 0));
  if (b > 2 && t > 2) ids[2 * t + 1] = 0;
  return tf.tensor2d(ids, [b, t], 'int32');
}

/** Runs a graph on named int32 inputs. */
async function runIds(bytes: Uint8Array, feeds: Record<string, tf.Tensor>): Promise<tf.Tensor> {
  const session = await ort.InferenceSession.create(bytes);
  const result = await session.run(Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor('int32', Int32Array.from(t.dataSync() as Int32Array), t.shape)])));
  const out = result[session.outputNames[0]!]!;
  const y = tf.tensor(out.data as Float32Array, out.dims as number[]);
  await session.release();
  return y;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const seq2seq: { name: string; make: () => Module<any, any>; source: number | null; target: number | null; sizes: [number, number, number][] }[] = [
  { name: 'seq2seq transformer (post-norm, sinusoidal, tied, padding), dynamic lengths', source: null, target: null, sizes: [[1, 4, 3], [3, 6, 5]],
    make: () => new Seq2SeqTransformer({ sourceVocabSize: 9, targetVocabSize: 7, maxLength: 8, dModel: 8, numHeads: 2, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 12 }) },
  { name: 'seq2seq transformer (pre-norm, learned positions, untied, no padId)', source: null, target: null, sizes: [[2, 3, 5], [1, 7, 2]],
    make: () => new Seq2SeqTransformer({ sourceVocabSize: 9, targetVocabSize: 7, maxLength: 8, dModel: 8, numHeads: 4, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 8, normFirst: true, positions: 'learned', tieWeights: false, padId: null, activation: 'gelu' }) },
  { name: 'seq2seq LSTM (Bahdanau attention, padded source)', source: 5, target: 4, sizes: [[1, 5, 4], [3, 5, 4]],
    make: () => new Seq2SeqLSTM({ sourceVocabSize: 9, targetVocabSize: 7, embeddingDim: 4, units: 3, attention: 'bahdanau', attentionDim: 5 }) },
  { name: 'seq2seq LSTM (Bahdanau, dynamic lengths: ONNX Loops)', source: null, target: null, sizes: [[1, 4, 2], [3, 6, 5]],
    make: () => new Seq2SeqLSTM({ sourceVocabSize: 9, targetVocabSize: 7, embeddingDim: 4, units: 3, attention: 'bahdanau', attentionDim: 5 }) },
  { name: 'seq2seq LSTM (Luong, dynamic lengths: ONNX Loops)', source: null, target: null, sizes: [[2, 3, 4], [3, 6, 2]],
    make: () => new Seq2SeqLSTM({ sourceVocabSize: 9, targetVocabSize: 7, embeddingDim: 3, units: 4, attention: 'luong' }) },
  { name: 'seq2seq LSTM with known lengths past the unroll limit (Loops, static shapes)', source: 36, target: 34, sizes: [[1, 36, 34], [2, 36, 34]],
    make: () => new Seq2SeqLSTM({ sourceVocabSize: 9, targetVocabSize: 7, embeddingDim: 3, units: 3, attention: 'luong' }) },
  { name: 'seq2seq LSTM (Luong attention, input feeding, padded source)', source: 6, target: 3, sizes: [[1, 6, 3], [3, 6, 3]],
    make: () => new Seq2SeqLSTM({ sourceVocabSize: 9, targetVocabSize: 7, embeddingDim: 3, units: 4, attention: 'luong' }) },
];

describe('exportOnnx of the seq2seq models (teacher-forced: source + target → logits)', () => {
  for (const f of seq2seq) {
    it(f.name, async () => {
      const shapes = { source: [null, f.source], target: [null, f.target] } as Record<string, Shape>;
      const model = f.make().build(shapes, rng(1));
      randomizeState(model, 2, 0.3);
      const bytes = exportOnnx(model, { inputShape: shapes });
      dumpOnnx(f.name, bytes);
      for (const [b, s, t] of f.sizes) {
        const source = paddedIds(b, s, 9);
        const target = paddedIds(b, t, 7);
        const expected = model.apply({ source, target });
        const got = await runIds(bytes, { source, target });
        expect(got.shape).toEqual(expected.shape);
        expect(maxExcess(got, expected, 1e-4)).toBeLessThanOrEqual(1e-5);
        tf.dispose([source, target, expected, got]);
      }
      model.dispose();
    });
  }
});

describe('exportOnnx of a VAE decoder alone (latent → data, for sampling)', () => {
  it('runs like vae.decode', async () => {
    const vae = new VariationalAutoencoder({ inputDim: 9, hiddenSizes: [6], latentDim: 2 }).build([null, 9], rng(1));
    randomizeState(vae, 2, 0.3);
    const bytes = exportOnnx(vae.decoder, { inputShape: [null, 2] });
    dumpOnnx('VAE decoder', bytes);
    for (const batch of [1, 4]) {
      const z = rng(3).normalTensor([batch, 2]);
      const expected = vae.decode(z);
      const got = await runOnnx(bytes, z);
      expect(maxExcess(got, expected, 1e-4)).toBeLessThanOrEqual(1e-5);
      tf.dispose([z, expected, got]);
    }
    vae.dispose();
  });
});

describe('exportOnnx refuses what the graph cannot express', () => {
  it('a seq2seq model given one input', () => {
    const model = new Seq2SeqLSTM({ sourceVocabSize: 5, targetVocabSize: 5, embeddingDim: 2, units: 2, name: 's2s' }).build({ source: [null, null], target: [null, null] }, rng(1));
    expect(() => exportOnnx(model, { inputShape: [null, 3] })).toThrowError("exportOnnx: model 's2s' (Seq2SeqLSTM) expected the inputs source, target, got one input");
    model.dispose();
  });

  it('a GPT longer than its context', () => {
    const model = new CausalLM({ vocabSize: 5, dModel: 4, numHeads: 1, numLayers: 1, dimFeedforward: 4, contextLength: 4, name: 'gpt' }).build([null, 4], rng(1));
    expect(() => exportOnnx(model, { inputShape: [null, 6] })).toThrowError("exportOnnx: model 'gpt' (CausalLM) sequence length expected at most 4 (contextLength), got input [null, 6]");
    model.dispose();
  });
});
