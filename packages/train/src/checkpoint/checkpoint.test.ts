import { describe, expect, it } from 'vitest';
import { rng, tf } from '@tensorloom/core';
import { Dense, Sequential } from '@tensorloom/layers';
import { meanSquaredError } from '../losses/mean-squared-error.js';
import { sgd } from '../optimizers/sgd.js';
import { scheduleFreeAdamW } from '../optimizers/schedule-free-adamw.js';
import { ema } from '../ema/ema.js';
import { fit } from '../fit/fit.js';
import { evaluate } from '../fit/evaluate.js';
import { TrainingError } from '../fit/training-error.js';
import { lambda } from '../callbacks/lambda.js';
import { checkpoint } from './checkpoint.js';
import { memoryStore } from './store.js';

const model = (): Sequential => new Sequential([new Dense({ units: 1 })]).build([null, 2], rng(1));
const batches = (): { x: tf.Tensor; y: tf.Tensor }[] =>
  [0, 1, 2].map((i) => ({ x: tf.tensor2d([[i, 1], [1, -i], [0.5, i]]), y: tf.tensor2d([[1], [0], [i]]) }));
const dispose = (bs: { x: tf.Tensor; y: tf.Tensor }[]): void => bs.forEach((b) => tf.dispose([b.x, b.y]));

describe('checkpoint', () => {
  it('keeps the newest keepLast periodic checkpoints and one best-<step> by the monitored value', async () => {
    const m = model();
    const data = batches();
    const store = memoryStore();
    // val.loss of these made-up values: best at epoch 1 (step 6).
    const fake = [3, 1, 2, 4];
    await fit(m, data, {
      loss: meanSquaredError(),
      optimizer: sgd({ learningRate: 0.01 }),
      epochs: 4,
      callbacks: [
        lambda({ onEpochEnd: (_c, e, logs) => void (logs['score'] = fake[e]!) }),
        checkpoint({ store, every: { epochs: 1 }, keepLast: 2, saveBest: { monitor: 'score', mode: 'min' } }),
      ],
    });
    expect(await store.list()).toEqual(['best-000000006', 'step-000000009', 'step-000000012']);
    const json = JSON.parse(new TextDecoder().decode((await store.read('best-000000006'))['trainer.json'])) as Record<string, unknown>;
    expect(json['position']).toEqual({ epoch: 2, batch: 0 });
    expect(json['globalStep']).toBe(6);
    expect(() => checkpoint({ store, every: { steps: 0 } })).toThrow('checkpoint: every.steps expected an integer >= 1, got 0');
    dispose(data);
    m.dispose();
  });

  it('writes no checkpoint for the step whose loss went non-finite: the last good one stays', async () => {
    const m = model();
    const data = batches();
    const poisoned = [data[0]!, data[1]!, { x: tf.tensor2d([[NaN, 1], [1, 1], [1, 1]]), y: data[2]!.y }];
    const store = memoryStore();
    await expect(
      fit(m, poisoned, { loss: meanSquaredError(), optimizer: sgd({ learningRate: 0.01 }), callbacks: [checkpoint({ store, every: { steps: 1 } })] }),
    ).rejects.toThrow(TrainingError);
    expect(await store.list()).toEqual(['step-000000001', 'step-000000002']);
    poisoned[2]!.x.dispose();
    dispose(data);
    m.dispose();
  });

  it('validation runs on the EMA weights, and on Schedule-Free evaluation weights, then swaps back', async () => {
    for (const kind of ['ema', 'scheduleFree'] as const) {
      const m = model();
      const data = batches();
      const average = kind === 'ema' ? ema({ decay: 0.5 }) : undefined;
      const optimizer = kind === 'ema' ? sgd({ learningRate: 0.05 }) : scheduleFreeAdamW({ learningRate: 0.05 });
      const history = await fit(m, data, { loss: meanSquaredError(), optimizer, ema: average, epochs: 2, validation: data });
      const params = m.trainableParameters();
      const live = await evaluate(m, data, { loss: meanSquaredError() });
      if (average !== undefined) average.swap(params);
      else optimizer.swapToEvalWeights!(params);
      const swapped = await evaluate(m, data, { loss: meanSquaredError() });
      expect(history.last('val.loss')).toBeCloseTo(swapped['loss']!, 6);
      expect(Math.abs(live['loss']! - swapped['loss']!)).toBeGreaterThan(1e-6);
      dispose(data);
      m.dispose();
    }
  });
});
