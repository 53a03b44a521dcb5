import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { AvgPool1D, MaxPool1D, pool1d, pool1dOutputShape } from '@tensorloom/layers';
import type { Pool1DConfig } from '@tensorloom/layers';
import { checkModuleGradients, compareArrays } from '../internal/testing.js';
import { compareWithReference } from './internal/parity.js';

type Ctor = typeof MaxPool1D | typeof AvgPool1D;

function reference(Layer: Ctor, config: Pool1DConfig): tfl.layers.Layer {
  const args = { poolSize: config.poolSize as number | undefined, strides: (config.strides ?? undefined) as number | undefined, padding: config.padding };
  return Layer === MaxPool1D ? tfl.layers.maxPooling1d(args) : tfl.layers.averagePooling1d(args);
}

describe.each([
  { Layer: MaxPool1D as Ctor, name: 'MaxPool1D' },
  { Layer: AvgPool1D as Ctor, name: 'AvgPool1D' },
])('$name', ({ Layer }) => {
  it.each([
    { input: [null, 10, 3], config: {}, out: [null, 5, 3] },
    { input: [1, 9, 3], config: { poolSize: 2 }, out: [1, 4, 3] },
    { input: [1, 9, 3], config: { poolSize: 2, padding: 'same' }, out: [1, 5, 3] },
    { input: [2, 9, 1], config: { poolSize: [3], strides: 2 }, out: [2, 4, 1] },
    { input: [2, 9, 1], config: { poolSize: 3, strides: 1, padding: 'same' }, out: [2, 9, 1] },
    { input: [null, null, 2], config: { poolSize: 3 }, out: [null, null, 2] },
  ] as { input: (number | null)[]; config: Pool1DConfig; out: (number | null)[] }[])('$config on $input → $out', ({ input, config, out }) => {
    const layer = new Layer(config).build(input);
    expect(layer.outputShape(input)).toEqual(out);
    expect(reference(Layer, config).computeOutputShape(input)).toEqual(out);
    if (input[1] !== null) {
      const y = layer.apply(tf.zeros(input.map((d) => d ?? 2)));
      expect(y.shape).toEqual(out.map((d) => d ?? 2));
      y.dispose();
    }
  });

  it.each([{ poolSize: 2 }, { poolSize: 3, strides: 2 }, { poolSize: 2, strides: 2, padding: 'same' }, { poolSize: 3, strides: 2, padding: 'same' }] as Pool1DConfig[])(
    'matches tfjs-layers with the same input: %o',
    (config) => {
      const layer = new Layer(config);
      const x = rng(1).normalTensor([2, 7, 3]);
      // tfjs-layers' average-pool gradient is wrong where a 'same' window crosses the end (see pool2d.test.ts).
      const borderless = Layer === MaxPool1D || config.padding !== 'same';
      expect(compareWithReference(layer, reference(Layer, config), x, [], { gradients: borderless })).toBeNull();
    },
  );

  it('has input gradients that match finite differences (same padding, stride 2)', () => {
    const x = tf.tensor3d(Float32Array.from(rng(2).permutation(14), (v) => v / 4), [1, 7, 2]);
    expect(checkModuleGradients(new Layer({ poolSize: 3, strides: 2, padding: 'same' }).build([null, 7, 2]), x)).toBeNull();
  });

  it('does not leak', async () => {
    const layer = new Layer({ poolSize: 2, padding: 'same' });
    const x = tf.ones([1, 5, 2]);
    await expectNoLeaks(() => layer.apply(x).dispose(), 'pool1d apply');
    await expectNoLeaks(() => tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t)))(x).dispose(), 'pool1d gradient');
  });

  it('names itself, the argument and the expected value in errors', () => {
    const label = `${Layer.name} 'p'`;
    expect(() => new Layer({ poolSize: [2, 2] as never, name: 'p' })).toThrowError(new ConfigError(`${label}: poolSize expected a positive integer, got [2,2]`));
    const layer = new Layer({ poolSize: 4, name: 'p' });
    expect(() => layer.apply(tf.zeros([1, 8, 8, 1]))).toThrowError(new ShapeError(`${label}: input must be rank 3 [batch, time, features], got [1, 8, 8, 1]`));
    expect(() => layer.apply(tf.zeros([1, 3, 1]))).toThrowError(
      new ShapeError(`${label}: input axis 1 expected >= 4 (poolSize 4 with padding 'valid'), got shape [1, 3, 1]`),
    );
  });
});

describe('pool1d', () => {
  it('averages real steps only with padding same (hand-checked)', () => {
    // 1, 2, 3, 4, 5 with windows of 2 at stride 2: (1+2)/2, (3+4)/2, 5/1.
    const y = pool1d(tf.tensor3d([1, 2, 3, 4, 5], [1, 5, 1]), 'avg', { poolSize: 2, padding: 'same' });
    expect(compareArrays(y.dataSync(), [1.5, 3.5, 5])).toBeNull();
    expect(Array.from(pool1d(tf.tensor3d([1, 5, 3, 4, 2], [1, 5, 1]), 'max', { poolSize: 2, padding: 'same' }).dataSync())).toEqual([5, 4, 2]);
    expect(pool1dOutputShape([3, 5, 1], { poolSize: 2, padding: 'same' })).toEqual([3, 3, 1]);
  });
});
