import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { GroupNorm, InstanceNorm } from '@tensorloom/layers';
import { checkModuleGradients, compareArrays } from '../internal/testing.js';

/**
 * float64 reference from Wu & He (2018), eq. (1)–(3), channels last: for each example and
 * group, mean and biased variance over the group's channels and all spatial positions.
 */
function reference(x: number[], shape: number[], groups: number, gamma: number[], beta: number[], eps: number): number[] {
  const [batch, ...rest] = shape;
  const channels = rest[rest.length - 1]!;
  const positions = rest.slice(0, -1).reduce((a, b) => a * b, 1);
  const per = channels / groups;
  const out = new Array<number>(x.length);
  for (let n = 0; n < batch!; n++) {
    for (let g = 0; g < groups; g++) {
      const idx: number[] = [];
      for (let p = 0; p < positions; p++) for (let c = g * per; c < (g + 1) * per; c++) idx.push((n * positions + p) * channels + c);
      const mean = idx.reduce((s, i) => s + x[i]!, 0) / idx.length;
      const variance = idx.reduce((s, i) => s + (x[i]! - mean) ** 2, 0) / idx.length;
      for (const i of idx) {
        const c = i % channels;
        out[i] = ((x[i]! - mean) / Math.sqrt(variance + eps)) * gamma[c]! + beta[c]!;
      }
    }
  }
  return out;
}

describe('GroupNorm and InstanceNorm', () => {
  it.each([
    { shape: [2, 3, 3, 4], groups: 2 },
    { shape: [1, 5, 6], groups: 3 },
    { shape: [3, 4], groups: 2 },
    { shape: [2, 2, 2, 4], groups: 4 },
  ])('match the float64 reference for $shape with $groups groups', ({ shape, groups }) => {
    const channels = shape[shape.length - 1]!;
    const layer = new GroupNorm({ groups, gammaInitializer: 'glorotUniform', betaInitializer: 'glorotUniform' }).build([null, ...shape.slice(1)], rng(1));
    const x = rng(2).normalTensor(shape, 0.5, 3);
    const expected = reference(Array.from(x.dataSync()), shape, groups, Array.from(layer.gamma!.dataSync()), Array.from(layer.beta!.dataSync()), 1e-3);
    expect(compareArrays(layer.apply(x).dataSync(), expected)).toBeNull();
    expect(layer.outputShape([null, ...shape.slice(1)])).toEqual([null, ...shape.slice(1)]);
    expect(layer.gamma!.shape).toEqual([channels]);
  });

  it('InstanceNorm is one group per channel', () => {
    const shape = [2, 3, 3, 2];
    const x = rng(3).normalTensor(shape);
    const inorm = new InstanceNorm({ epsilon: 1e-5 }).build([null, 3, 3, 2], rng(4));
    const expected = reference(Array.from(x.dataSync()), shape, 2, [1, 1], [0, 0], 1e-5);
    expect(compareArrays(inorm.apply(x).dataSync(), expected)).toBeNull();
    expect(inorm.className).toBe('InstanceNorm');
    expect(inorm.name).toBe('instance_norm');
  });

  it('is the same in training and inference, and independent of the rest of the batch', () => {
    const layer = new GroupNorm({ groups: 2 }).build([null, 2, 4], rng(5));
    const x = rng(6).normalTensor([3, 2, 4]);
    const alone = layer.apply(tf.slice(x, [0, 0, 0], [1, 2, 4])).dataSync();
    expect(compareArrays(layer.apply(x, { training: true }).dataSync().slice(0, 8), alone)).toBeNull();
  });

  it('has finite-difference gradients (input, gamma, beta)', () => {
    const x = rng(7).normalTensor([2, 3, 4]);
    expect(checkModuleGradients(new GroupNorm({ groups: 2 }).build([null, 3, 4], rng(8)), x)).toBeNull();
    expect(checkModuleGradients(new InstanceNorm().build([null, 3, 4], rng(9)), x)).toBeNull();
  });

  it('reports bad config and inputs, and does not leak', async () => {
    expect(() => new GroupNorm({ groups: 0, name: 'gn' })).toThrowError(new ConfigError("GroupNorm 'gn': groups expected a positive integer, got 0"));
    expect(() => new GroupNorm({ groups: 3, name: 'gn' }).build([null, 8, 4])).toThrowError(
      new ShapeError("GroupNorm 'gn': channels expected a multiple of groups (3), got 4 in [null, 8, 4]"),
    );
    const gn = new GroupNorm({ groups: 2, name: 'gn' }).build([null, 8, 4]);
    expect(() => gn.apply(tf.zeros([1, 8, 6]))).toThrowError("GroupNorm 'gn': input axis 2 expected 4, got shape [1, 8, 6]");
    const x = tf.ones([2, 8, 4]);
    await expectNoLeaks(() => {
      gn.apply(x).dispose();
      const { value, grads } = tf.variableGrads(() => tf.sum(gn.apply(x)) as tf.Scalar, [gn.gamma!, gn.beta!]);
      tf.dispose([value, grads]);
    });
  });
});
