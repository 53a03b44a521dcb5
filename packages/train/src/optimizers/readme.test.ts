// The numerics example of packages/train/README.md (between the numerics markers), run as written.
import { describe, expect, it } from 'vitest';
import { rng, tf } from '@tensorloom/core';
import { Dense, Sequential } from '@tensorloom/layers';
import { clipByGlobalNorm, ema, losses, optimizers, schedules, valueAndGrads } from '../index.js';

describe('README: losses, optimizers, schedules, clipping and EMA', () => {
  it('runs as written and trains', () => {
    const before = tf.memory().numTensors;
    const model = new Sequential([new Dense({ units: 16, activation: 'relu' }), new Dense({ units: 3 })]).build([null, 4], rng(0));
    const loss = losses.sparseCategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 });
    const optimizer = optimizers.adamW({
      learningRate: schedules.linearWarmup({ steps: 5, then: schedules.cosine({ initial: 1e-2, steps: 45 }) }),
      weightDecay: 0.05,
      groups: optimizers.noDecayGroups(), // no decay on biases and norm parameters
    });
    const average = ema({ decay: 0.9 });

    const x = rng(1).normalTensor([8, 4]);
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32');
    const curve: number[] = [];
    for (let step = 0; step < 50; step++) {
      const { loss: value, grads } = valueAndGrads(model, () => loss(y, model.apply(x, { training: true })) as tf.Scalar);
      curve.push(value.dataSync()[0]);
      const clipped = clipByGlobalNorm(grads, 1);
      optimizer.apply(model.trainableParameters(), clipped.grads); // state keyed 'dense.kernel/m', …
      average.update(model.trainableParameters());
      tf.dispose([value, grads, clipped]);
    }
    const state = optimizer.getState(); // copies: slots, steps, groups, schedule
    const bytes = optimizers.stateToSafetensors(state);
    tf.dispose(Object.values(state.tensors));

    expect(curve[49]).toBeLessThan(curve[0] * 0.6);
    expect(Object.keys(state.tensors)).toContain('dense.kernel/m');
    const loaded = optimizers.stateFromSafetensors(bytes);
    expect(loaded.config).toMatchObject({ iterations: 50, learningRate: { name: 'linear_warmup', steps: 5 } });
    tf.dispose([x, y, Object.values(loaded.tensors)]);
    optimizer.dispose();
    average.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
