import { describe, expect, it } from 'vitest';
import { rng, tf } from '@tensorloom/core';
import { Dense, Sequential } from '@tensorloom/layers';
import { meanSquaredError } from '../losses/mean-squared-error.js';
import { sgd } from '../optimizers/sgd.js';
import { fit } from '../fit/fit.js';
import { TrainingError } from '../fit/training-error.js';
import { formatProgress, progress } from '../progress/progress.js';
import { csvLogger, jsonlLogger } from './loggers.js';
import { learningRateScheduler } from './learning-rate-scheduler.js';
import { terminateOnNaN } from './terminate-on-nan.js';
import { earlyStopping } from './early-stopping.js';

function setup(): { model: Sequential; data: { x: tf.Tensor; y: tf.Tensor }[]; done: () => void } {
  const model = new Sequential([new Dense({ units: 1 })]).build([null, 2], rng(1));
  const data = [0, 1, 2].map((i) => ({ x: tf.tensor2d([[i, 1], [1, -i]]), y: tf.tensor2d([[1], [0]]) }));
  return { model, data, done: () => (data.forEach((b) => tf.dispose([b.x, b.y])), model.dispose()) };
}

describe('loggers', () => {
  it('csvLogger writes a header and one row per epoch; jsonlLogger a line per step and per epoch', async () => {
    const { model, data, done } = setup();
    const csv: string[] = [];
    const jsonl: string[] = [];
    const history = await fit(model, data, {
      loss: meanSquaredError(),
      optimizer: sgd({ learningRate: 0.01 }),
      epochs: 2,
      validation: data,
      callbacks: [csvLogger({ sink: (c) => void csv.push(String(c)) }), jsonlLogger({ sink: (c) => void jsonl.push(String(c)) })],
    });
    expect(csv[0]).toBe('epoch,loss,lr,val.loss\n');
    expect(csv[1]).toBe(`0,${history.get('loss')[0]},0.01,${history.get('val.loss')[0]}\n`);
    expect(csv).toHaveLength(3);
    const lines = jsonl.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l['type'])).toEqual(['step', 'step', 'step', 'epoch', 'step', 'step', 'step', 'epoch']);
    expect(lines[4]).toMatchObject({ type: 'step', step: 3, epoch: 1, batch: 0, lr: 0.01, size: 2 });
    expect(lines[7]).toMatchObject({ type: 'epoch', epoch: 1, step: 6, loss: history.get('loss')[1] });
    done();
  });
});

describe('learningRateScheduler and terminateOnNaN', () => {
  it('sets the rate per epoch through the scale', async () => {
    const { model, data, done } = setup();
    const optimizer = sgd({ learningRate: 0.1 });
    const history = await fit(model, data, {
      loss: meanSquaredError(),
      optimizer,
      epochs: 3,
      callbacks: [learningRateScheduler((epoch) => 0.1 / (epoch + 1))],
    });
    const lrs = history.get('lr');
    [0.1, 0.05, 0.1 / 3].forEach((v, i) => expect(lrs[i]).toBeCloseTo(v, 12));
    done();
  });

  it('terminateOnNaN stops on a non-finite value with the epoch, step and last finite value', async () => {
    const { model, data, done } = setup();
    const poisoned = [data[0]!, { x: tf.tensor2d([[Infinity, 1], [1, 1]]), y: data[1]!.y }];
    await expect(
      fit(model, poisoned, { loss: meanSquaredError(), optimizer: sgd({ learningRate: 0.01 }), terminateOnNaN: false, callbacks: [terminateOnNaN()] }),
    ).rejects.toThrow(/^terminateOnNaN: loss expected a finite number, got (NaN|Infinity) at epoch 0, step 1 \(batch 1\); last finite loss \d/);
    await expect(fit(model, poisoned, { loss: meanSquaredError(), optimizer: sgd({ learningRate: 0.01 }) })).rejects.toThrow(TrainingError);
    poisoned[1]!.x.dispose();
    done();
  });

  it('earlyStopping checks its options', () => {
    expect(() => earlyStopping({ patience: -1 })).toThrow('earlyStopping: patience expected an integer >= 0, got -1');
    expect(() => earlyStopping({ mode: 'up' as never })).toThrow("earlyStopping: mode expected 'min', 'max' or 'auto', got 'up'");
  });
});

describe('progress', () => {
  it('formats a Keras-style line at 4 decimals with ETA from the steps after the first', () => {
    expect(
      formatProgress({ epoch: 1, epochs: 5, step: 5, total: 10, elapsedMs: 1500, msPerStep: 100, samplesPerSecond: 320, logs: { loss: 0.123456, lr: 1e-3 } }),
    ).toBe('Epoch 2/5 5/10 [=========>..........] 2s ETA 1s 100ms/step 320 samples/s - loss: 0.1235');
    expect(formatProgress({ epoch: 0, epochs: 1, step: 10, total: 10, elapsedMs: 61_000, msPerStep: null, samplesPerSecond: null, logs: {} })).toBe(
      'Epoch 1/1 10/10 [====================] 1m01s',
    );
  });

  it('redraws the bar at most 20 times a second on a TTY, and prints one line per epoch elsewhere', async () => {
    const { model, data, done } = setup();
    let clock = 0;
    const tty: string[] = [];
    const plain: string[] = [];
    const many = Array.from({ length: 30 }, (_, i) => data[i % 3]!);
    const bar = progress({ isTTY: true, write: (s) => void tty.push(s), now: () => (clock += 10) });
    const lines = progress({ isTTY: false, write: (s) => void plain.push(s) });
    expect(bar.needsBatchLogs).toBe(true);
    expect(lines.needsBatchLogs).toBe(false);
    await fit(model, many, { loss: meanSquaredError(), optimizer: sgd({ learningRate: 0.01 }), epochs: 2, terminateOnNaN: false, callbacks: [bar, lines] });
    const redraws = tty.filter((s) => s.startsWith('\r') && !s.endsWith('\n'));
    // 30 steps 40 ms apart on the fake clock (four now() calls per step): at most one redraw per 50 ms.
    expect(redraws.length).toBeLessThan(30);
    expect(redraws.length).toBeGreaterThan(5);
    expect(redraws.at(-1)!.endsWith('\u001b[K')).toBe(true);
    expect(redraws.at(-1)!.slice(0, -3)).toMatch(/^\rEpoch 2\/2 30\/30 \[=+\] \d+s \d+ms\/step \d+ samples\/s - loss: \d\.\d{4}$/);
    expect(plain).toHaveLength(2);
    expect(plain[0]).toMatch(/^Epoch 1\/2 30\/30 \[=+\] \d+s \d+ms\/step \d+ samples\/s - loss: \d\.\d{4}\n$/);
    done();
  });
});
