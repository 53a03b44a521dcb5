// The three models of tools/bench/layers.ts, each built twice with the same architecture:
// once from @tensorloom/layers, once from @tensorflow/tfjs-layers.
import { rng, tf } from '@tensorloom/core';
import { AvgPool2D, Conv2D, Dense, Flatten, LSTM, Sequential } from '@tensorloom/layers';
import * as tfl from '@tensorflow/tfjs-layers';

/** The names `--model` accepts, in the order the table lists them. */
export const MODEL_NAMES = ['mlp', 'lenet', 'lstm'] as const;
/** One of {@link MODEL_NAMES}. */
export type ModelName = (typeof MODEL_NAMES)[number];

/** One benchmark model: how its input looks, and both implementations. */
export interface ModelSpec {
  /** What the table prints. */
  label: string;
  /** The shape of one input example (no batch dimension). */
  inputShape: number[];
  /** The Tensorloom model, built. */
  ours(): Sequential;
  /** The tfjs-layers model, not yet compiled. */
  theirs(): tfl.Sequential;
}

export const MODELS: Record<ModelName, ModelSpec> = {
  mlp: {
    label: 'MLP 784-256-128-10',
    inputShape: [784],
    ours: () =>
      new Sequential([
        new Dense({ units: 256, activation: 'relu' }),
        new Dense({ units: 128, activation: 'relu' }),
        new Dense({ units: 10 }),
      ]).build([null, 784], rng(1)),
    theirs: () =>
      tfl.sequential({
        layers: [
          tfl.layers.dense({ units: 256, activation: 'relu', inputShape: [784] }),
          tfl.layers.dense({ units: 128, activation: 'relu' }),
          tfl.layers.dense({ units: 10 }),
        ],
      }),
  },
  // LeNet-5 with relu: conv 6@5×5 'same' → avg pool 2 → conv 16@5×5 → avg pool 2 → 120 → 84 → 10.
  lenet: {
    label: 'LeNet-5',
    inputShape: [28, 28, 1],
    ours: () =>
      new Sequential([
        new Conv2D({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }),
        new AvgPool2D({ poolSize: 2 }),
        new Conv2D({ filters: 16, kernelSize: 5, activation: 'relu' }),
        new AvgPool2D({ poolSize: 2 }),
        new Flatten(),
        new Dense({ units: 120, activation: 'relu' }),
        new Dense({ units: 84, activation: 'relu' }),
        new Dense({ units: 10 }),
      ]).build([null, 28, 28, 1], rng(1)),
    theirs: () =>
      tfl.sequential({
        layers: [
          tfl.layers.conv2d({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
          tfl.layers.averagePooling2d({ poolSize: 2 }),
          tfl.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
          tfl.layers.averagePooling2d({ poolSize: 2 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 120, activation: 'relu' }),
          tfl.layers.dense({ units: 84, activation: 'relu' }),
          tfl.layers.dense({ units: 10 }),
        ],
      }),
  },
  // The 28 rows of an image as 28 time steps of 28 features. tfjs-layers' gates default to
  // 'hardSigmoid' (Keras 1), ours to 'sigmoid' (Keras 2 and later): both use 'sigmoid'. Both
  // recurrent kernels start glorot-uniform rather than orthogonal: initial values do not
  // change the speed, and tfjs-layers' orthogonal initializer warns on a 128×512 matrix.
  lstm: {
    label: 'LSTM(128) over rows',
    inputShape: [28, 28],
    ours: () =>
      new Sequential([
        new LSTM({ units: 128, recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotUniform' }),
        new Dense({ units: 10 }),
      ]).build([null, 28, 28], rng(1)),
    theirs: () =>
      tfl.sequential({
        layers: [
          tfl.layers.lstm({ units: 128, recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotUniform', inputShape: [28, 28] }),
          tfl.layers.dense({ units: 10 }),
        ],
      }),
  },
};

/** Softmax cross-entropy from logits, averaged over the batch: the loss of both sides. */
export function lossFromLogits(labels: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
}
