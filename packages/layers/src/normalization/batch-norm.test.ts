import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { BatchNorm } from '@tensorloom/layers';
import { checkModuleGradients, compareTensors } from '../internal/testing.js';

/** A tfjs-layers batchNormalization with the same weights as ours. */
function twin(ours: BatchNorm, inputShape: number[], config: { momentum?: number; epsilon?: number; axis?: number } = {}) {
  const ref = tfl.layers.batchNormalization({ momentum: ours.config.momentum, epsilon: ours.config.epsilon, axis: config.axis ?? -1 });
  ref.build([null, ...inputShape.slice(1)]);
  ref.setWeights([ours.gamma!, ours.beta!, ours.movingMean!, ours.movingVariance!]);
  return ref;
}

describe('BatchNorm', () => {
  it.each([
    { shape: [null, 3], axis: -1 },
    { shape: [1, 4, 3], axis: -1 },
    { shape: [null, 4, 4, 2], axis: -1 },
    { shape: [null, 2, 5, 5], axis: 1 },
  ])('keeps shape $shape (axis $axis)', ({ shape, axis }) => {
    const bn = new BatchNorm({ axis }).build(shape, rng(1));
    expect(bn.outputShape(shape)).toEqual(shape);
    expect(bn.gamma!.shape).toEqual([shape[axis < 0 ? shape.length + axis : axis]]);
  });

  it('matches tfjs-layers at inference, and in training (outputs, running statistics)', () => {
    const shape = [4, 3, 3, 2];
    const x = rng(2).normalTensor(shape, 1.5, 2);
    const ours = new BatchNorm({ momentum: 0.8 }).build([null, 3, 3, 2], rng(3));
    // Non-trivial weights and statistics.
    ours.loadState({ gamma: tf.tensor([1.5, 0.5]), beta: tf.tensor([0.1, -0.2]), movingMean: tf.tensor([0.3, -0.4]), movingVariance: tf.tensor([2, 0.5]) });
    const ref = twin(ours, shape);
    expect(compareTensors(ours.apply(x), ref.apply(x, { training: false }) as tf.Tensor)).toBeNull();
    expect(compareTensors(ours.apply(x, { training: true }), ref.apply(x, { training: true }) as tf.Tensor)).toBeNull();
    const [, , refMean, refVar] = ref.getWeights();
    expect(compareTensors(ours.movingMean!, refMean!)).toBeNull();
    expect(compareTensors(ours.movingVariance!, refVar!)).toBeNull();
  });

  it('updates running statistics as momentum·old + (1−momentum)·batch (hand computed)', () => {
    const bn = new BatchNorm({ momentum: 0.5, center: false, scale: false }).build([null, 1]);
    // batch [1, 3]: mean 2, biased variance 1
    const y = bn.apply(tf.tensor([[1], [3]]), { training: true });
    expect(bn.movingMean!.dataSync()[0]).toBeCloseTo(1, 6); // 0.5·0 + 0.5·2
    expect(bn.movingVariance!.dataSync()[0]).toBeCloseTo(1, 6); // 0.5·1 + 0.5·1
    const s = 1 / Math.sqrt(1 + 1e-3);
    expect(Array.from(y.dataSync()).map((v) => +v.toFixed(5))).toEqual([-s, s].map((v) => +v.toFixed(5)));
    expect(Object.keys(bn.buffers())).toEqual(['movingMean', 'movingVariance']);
    expect(Object.keys(bn.parameters())).toEqual([]);
  });

  it('matches tfjs-layers gradients in training mode (input, gamma, beta)', () => {
    const x = rng(4).normalTensor([3, 2, 4]);
    const ours = new BatchNorm({ gammaInitializer: 'glorotUniform', betaInitializer: 'glorotUniform' }).build([null, 2, 4], rng(5));
    const ref = twin(ours, [3, 2, 4]);
    const w = rng(6).normalTensor([3, 2, 4]);
    const loss = (f: (t: tf.Tensor) => tf.Tensor) => (t: tf.Tensor) => tf.sum(tf.mul(f(t), w));
    const gOurs = tf.grad(loss((t) => ours.apply(t, { training: true })))(x);
    const gRef = tf.grad(loss((t) => ref.apply(t, { training: true }) as tf.Tensor))(x);
    expect(compareTensors(gOurs, gRef)).toBeNull();
    const refVars = ref.trainableWeights.map((v) => v.read() as tf.Variable);
    const pOurs = tf.variableGrads(() => loss((t) => ours.apply(t, { training: true }))(x) as tf.Scalar, [ours.gamma!, ours.beta!]).grads;
    const pRef = tf.variableGrads(() => loss((t) => ref.apply(t, { training: true }) as tf.Tensor)(x) as tf.Scalar, refVars).grads;
    expect(compareTensors(pOurs[ours.gamma!.name]!, pRef[refVars[0]!.name]!)).toBeNull();
    expect(compareTensors(pOurs[ours.beta!.name]!, pRef[refVars[1]!.name]!)).toBeNull();
  });

  it('has finite-difference gradients in training and inference, even without gamma and beta', () => {
    const x = rng(7).normalTensor([4, 3]);
    const bn = new BatchNorm({ momentum: 1 }).build([null, 3], rng(8)); // momentum 1: statistics stay put while probing
    expect(checkModuleGradients(bn, x, { training: true })).toBeNull();
    expect(checkModuleGradients(bn, x, { training: false })).toBeNull();
    const bare = new BatchNorm({ center: false, scale: false, momentum: 1 }).build([null, 3]);
    expect(checkModuleGradients(bare, x, { training: true })).toBeNull();
  });

  it('reports bad config and inputs, and does not leak', async () => {
    expect(() => new BatchNorm({ momentum: 2, name: 'bn1' })).toThrowError(new ConfigError("BatchNorm 'bn1': momentum expected a number in [0, 1], got 2"));
    expect(() => new BatchNorm({ epsilon: 0, name: 'bn1' })).toThrowError("BatchNorm 'bn1': epsilon expected > 0, got 0");
    const bn = new BatchNorm({ name: 'bn1' }).build([null, 4]);
    expect(() => bn.apply(tf.zeros([2, 3]))).toThrowError(new ShapeError("BatchNorm 'bn1': input axis -1 expected 4, got shape [2, 3]"));
    expect(() => new BatchNorm({ axis: 0, name: 'bn2' }).build([null, 4])).toThrowError("BatchNorm 'bn2': axis 0 expected a non-batch axis of a rank 2 input");
    const x = tf.ones([2, 4]);
    await expectNoLeaks(() => {
      bn.apply(x).dispose();
      bn.apply(x, { training: true }).dispose();
      const { value, grads } = tf.variableGrads(() => tf.sum(bn.apply(x, { training: true })) as tf.Scalar, [bn.gamma!, bn.beta!]);
      tf.dispose([value, grads]);
    });
  });
});
