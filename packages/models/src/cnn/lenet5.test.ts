import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { LeNet5, lenet5Relu } from '../index.js';
import { adamSteps, crossEntropy } from '../transfer/internal/testing.js';

describe('LeNet5', () => {
  it('has 61,706 parameters (the closed form of the fully connected reading)', () => {
    // c1 5·5·1·6+6, c3 5·5·6·16+16, c5 5·5·16·120+120, f6 120·84+84, output 84·10+10.
    const closed = (5 * 5 * 1 * 6 + 6) + (5 * 5 * 6 * 16 + 16) + (5 * 5 * 16 * 120 + 120) + (120 * 84 + 84) + (84 * 10 + 10);
    expect(closed).toBe(61_706);
    const m = new LeNet5().build([null, 32, 32, 1], rng(1));
    expect(m.countParams()).toEqual({ trainable: 61_706, nonTrainable: 0, total: 61_706 });
    expect(Object.keys(m.parameters())).toEqual(['c1.kernel', 'c1.bias', 'c3.kernel', 'c3.bias', 'c5.kernel', 'c5.bias', 'f6.kernel', 'f6.bias', 'output.kernel', 'output.bias']);
    m.dispose();
  });

  it('forward shapes: 32×32, padded 28×28, ReLU variant, backbone, batch 1', async () => {
    const cases: [LeNet5, number[], number[]][] = [
      [new LeNet5(), [1, 32, 32, 1], [1, 10]],
      [new LeNet5({ inputSize: 28, classes: 4 }), [2, 28, 28, 1], [2, 4]],
      [lenet5Relu({ inputSize: 28, inputChannels: 3 }), [1, 28, 28, 3], [1, 10]],
      [new LeNet5({ includeTop: false }), [1, 32, 32, 1], [1, 1, 1, 120]],
      [lenet5Relu({ includeTop: false, pooling: 'avg' }), [3, 32, 32, 1], [3, 120]],
    ];
    for (const [model, input, output] of cases) {
      const x = tf.ones(input);
      model.build([null, ...input.slice(1)], rng(2));
      const y = await expectNoLeaks(() => model.apply(x), model.name);
      expect(y.shape).toEqual(output);
      tf.dispose([x, y]);
      model.dispose();
    }
  });

  it('computes tanh(conv) / average pooling in the original and relu / max in the variant', () => {
    // With unit kernels and zero biases on an all-ones input, c1 gives 25 everywhere; the original
    // applies tanh (≈1), the ReLU variant keeps 25. The features after c5 make that visible.
    const x = tf.ones([1, 32, 32, 1]);
    for (const [model, expected] of [
      [new LeNet5({ includeTop: false }), Math.tanh(25 * 16 * Math.tanh(25 * 6 * Math.tanh(25)))],
      [lenet5Relu({ includeTop: false }), 25 * 16 * 25 * 6 * 25],
    ] as const) {
      model.build([null, 32, 32, 1], rng(1));
      const values: Record<string, tf.Tensor> = {};
      for (const [name, v] of Object.entries(model.parameters())) values[name] = name.endsWith('kernel') ? tf.onesLike(v) : tf.zerosLike(v);
      model.loadState(values);
      const f = model.features(x);
      expect(f.dataSync()[0]).toBeCloseTo(expected, 0);
      tf.dispose([f, ...Object.values(values)]);
      model.dispose();
    }
    x.dispose();
  });

  it('checks its configuration', () => {
    expect(() => new LeNet5({ inputSize: 30 as never })).toThrow(new ConfigError("LeNet5 'lenet5': inputSize expected 28 or 32, got 30"));
    expect(() => new LeNet5({ variant: 'sigmoid' as never })).toThrow(new ConfigError("LeNet5 'lenet5': variant expected one of 'original', 'relu', got 'sigmoid'"));
    // 20×20 fails at c5 (5×5 kernel on a 2×2 map): the shapes are checked before c1 and c3 allocate.
    const small = new LeNet5();
    const before = tf.memory().numTensors;
    expect(() => small.build([null, 20, 20, 1])).toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => new LeNet5({ inputChannels: -1 })).toThrow(new ConfigError("LeNet5 'lenet5': inputChannels expected a positive integer, got -1"));
  });

  it('overfits a tiny batch', () => {
    // 4 random 28×28 images, 4 labels: 12 Adam steps take cross-entropy from ≈ ln 4 ≈ 1.4 to
    // below 0.25 (0.14 measured) — 61k parameters memorise 4 points unless the gradients are wrong.
    const model = lenet5Relu({ inputSize: 28, classes: 4 }).build([null, 28, 28, 1], rng(3));
    const x = rng(4).uniformTensor([4, 28, 28, 1]);
    const losses = adamSteps([model], () => crossEntropy(model.apply(x, { training: true }), [0, 1, 2, 3]), 12, 0.01);
    expect(losses[0]!).toBeGreaterThan(1);
    expect(losses.at(-1)!).toBeLessThan(0.25);
    x.dispose();
    model.dispose();
  });
});
