import { rng, tf } from '@tensorloom/core';
import { CifarResNet, LeNet5, MLP } from '@tensorloom/models';
import type { Architecture, TrainConfig } from './messages.js';
import { PIXELS } from './mnist-subset.js';

/** A model of the playground and the input layout it takes. */
export interface PlaygroundModel {
  model: LeNet5 | MLP | CifarResNet;
  /** `[n, 784]` floats in [0, 1] to the model's input shape. */
  toInput(flat: tf.Tensor2D): tf.Tensor;
}

/**
 * Builds the chosen architecture with weights from `seed`: LeNet-5 (ReLU and max pooling,
 * 28×28 padded to 32×32, 61,706 parameters), a small ResNet (the CIFAR ResNet of He et al.
 * at depth 8 and width 8: three stages of one basic block, 8/16/32 channels, batch norm) or
 * an MLP 784-128-64-10 (109,386 parameters).
 */
export function buildModel(architecture: Architecture, seed: number): PlaygroundModel {
  if (architecture === 'lenet5') {
    const model = new LeNet5({ variant: 'relu', inputSize: 28, name: 'lenet5' }).build([null, 28, 28, 1], rng(seed));
    return { model, toInput: (flat) => tf.reshape(flat, [-1, 28, 28, 1]) };
  }
  if (architecture === 'resnet') {
    const model = new CifarResNet({ depth: 8, width: 8, name: 'resnet8' }).build([null, 28, 28, 1], rng(seed));
    return { model, toInput: (flat) => tf.reshape(flat, [-1, 28, 28, 1]) };
  }
  const model = new MLP({ hiddenSizes: [128, 64], outputs: 10, name: 'mlp' }).build([null, PIXELS], rng(seed));
  return { model, toInput: (flat) => flat };
}

/** Checks a config read from a saved file before it builds anything. */
export function checkConfig(value: unknown): TrainConfig {
  const c = value as Partial<TrainConfig> | null;
  const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
  if (c === null || typeof c !== 'object' || !['mlp', 'lenet5', 'resnet'].includes(c.architecture as string)) {
    throw new Error(`playground: saved config.architecture expected 'mlp', 'lenet5' or 'resnet', got ${JSON.stringify(c?.architecture)}`);
  }
  for (const k of ['epochs', 'batchSize', 'learningRate'] as const) {
    if (!num(c[k])) throw new Error(`playground: saved config.${k} expected a number > 0, got ${JSON.stringify(c[k])}`);
  }
  if (!Number.isInteger(c.seed)) throw new Error(`playground: saved config.seed expected an integer, got ${JSON.stringify(c.seed)}`);
  return c as TrainConfig;
}
