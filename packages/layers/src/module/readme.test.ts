// The "Modules" example of packages/layers/README.md, run as written.
import { describe, expect, it } from 'vitest';
import { rng, tf, readSafetensors, writeSafetensors } from '@tensorloom/core';
import { BatchNorm, Conv2D, Dense, Dropout, Flatten, MaxPool2D, Module, Sequential } from '@tensorloom/layers';
import type { ApplyOptions } from '@tensorloom/layers';

describe('README: Modules', () => {
  it('runs as written', () => {
    const cnn = new Sequential([
      new Conv2D({ filters: 8, kernelSize: 3, activation: 'relu' }),
      new BatchNorm(),
      new MaxPool2D({ poolSize: 2 }),
      new Flatten(),
      new Dropout({ rate: 0.25 }),
      new Dense({ units: 10 }),
    ], { name: 'cnn' }).build([null, 28, 28, 1], rng(42));
    expect(cnn.summary()).toContain('Total params: 13,642');

    class Residual extends Module {
      fc1 = this.addModule('fc1', new Dense({ units: 16, activation: 'relu' }));
      fc2 = this.addModule('fc2', new Dense({ units: 16 }));
      protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
        return tf.tidy(() => tf.add(x, this.fc2.apply(this.fc1.apply(x, options), options)));
      }
    }
    const block = new Residual().build([null, 16], rng(1));
    expect(Object.keys(block.parameters())).toEqual(['fc1.kernel', 'fc1.bias', 'fc2.kernel', 'fc2.bias']);

    const copy = new Residual().build([null, 16], rng(2));
    copy.loadState(readSafetensors(writeSafetensors(block.state())).tensors);
    const x = rng(3).normalTensor([2, 16]);
    expect(copy.apply(x).arraySync()).toEqual(block.apply(x).arraySync());

    cnn.namedChildren().get('conv2d')!.freeze();
    const trainable = Object.keys(cnn.trainableParameters());
    expect(trainable).toEqual(['batch_norm.gamma', 'batch_norm.beta', 'dense.kernel', 'dense.bias']);
  });
});
