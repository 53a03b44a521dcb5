import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, ShapeError, rng, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import { Dense, Dropout, Module, Sequential } from '@tensorloom/layers';
import type { ApplyOptions } from '@tensorloom/layers';
import { accuracy } from '@tensorloom/metrics';
import { meanSquaredError } from '../losses/mean-squared-error.js';
import { sparseCategoricalCrossentropy } from '../losses/sparse-categorical-crossentropy.js';
import { sgd } from '../optimizers/sgd.js';
import { adam } from '../optimizers/adam.js';
import { lambda } from '../callbacks/lambda.js';
import { earlyStopping } from '../callbacks/early-stopping.js';
import { reduceLrOnPlateau } from '../callbacks/reduce-lr-on-plateau.js';
import { evaluate, predict } from './evaluate.js';
import { fit } from './fit.js';
import { TrainingError } from './training-error.js';

/** Two Gaussian blobs in 2-D, labels 0/1, as batches of 8. */
function blobs(seed: number, n = 32, batch = 8): { x: tf.Tensor2D; y: tf.Tensor1D }[] {
  const r = rng(seed);
  const out: { x: tf.Tensor2D; y: tf.Tensor1D }[] = [];
  for (let i = 0; i < n; i += batch) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let j = 0; j < batch; j++) {
      const label = (i + j) % 2;
      xs.push(r.normal(label === 0 ? -1 : 1, 0.5), r.normal(label === 0 ? 1 : -1, 0.5));
      ys.push(label);
    }
    out.push({ x: tf.tensor2d(xs, [batch, 2]), y: tf.tensor1d(ys, 'int32') });
  }
  return out;
}

function classifier(seed: number, dropout = 0): Sequential {
  return new Sequential([new Dense({ units: 8, activation: 'relu' }), new Dropout({ rate: dropout }), new Dense({ units: 2 })], {
    name: 'clf',
  }).build([null, 2], rng(seed));
}

const scce = sparseCategoricalCrossentropy({ fromLogits: true });

function disposeData(batches: { x: tf.Tensor; y: tf.Tensor }[]): void {
  for (const b of batches) tf.dispose([b.x, b.y]);
}

function weightsOf(m: Module): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(m.state()).map(([k, v]) => [k, v.dataSync() as Float32Array]));
}

/** Records the training flag of every call. */
class Probe extends Module {
  readonly flags: boolean[] = [];
  readonly inner = this.addModule('inner', new Dense({ units: 2 }));
  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    this.flags.push(options.training === true);
    return this.inner.apply(x, options);
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('fit', () => {
  it('trains: the loss falls, history has loss, metrics, lr and validation values', async () => {
    const model = classifier(1);
    const data = blobs(1);
    const val = blobs(2, 16);
    const history = await fit(model, data, {
      loss: scce,
      optimizer: adam({ learningRate: 0.05 }),
      epochs: 6,
      metrics: { accuracy: accuracy() },
      validation: val,
      seed: 1,
    });
    expect(history.epochs).toEqual([0, 1, 2, 3, 4, 5]);
    const loss = history.get('loss');
    expect(loss[5]!).toBeLessThan(loss[0]! * 0.7);
    expect(history.last('accuracy')).toBeGreaterThan(0.9);
    expect(history.last('val.accuracy')).toBeGreaterThan(0.9);
    expect(history.get('lr')).toEqual([0.05, 0.05, 0.05, 0.05, 0.05, 0.05]);
    // val.loss equals evaluate on the same data.
    const logs = await evaluate(model, val, { loss: scce });
    expect(history.last('val.loss')).toBeCloseTo(logs['loss']!, 5);
    expect(history.steps).toHaveLength(24);
    disposeData([...data, ...val]);
    model.dispose();
  });

  it('runs the model with training: true in steps and false in validation, evaluate and predict', async () => {
    const model = new Probe().build([null, 2], rng(1));
    const data = [{ x: tf.ones([4, 2]), y: tf.zeros([4, 2]) }];
    await fit(model, data, { loss: meanSquaredError(), optimizer: sgd({ learningRate: 0.1 }), validation: data, epochs: 1 });
    expect(model.flags.slice(-2)).toEqual([true, false]);
    model.flags.length = 0;
    await evaluate(model, data, { loss: meanSquaredError() });
    (await predict(model, [data[0]!.x])).dispose();
    expect(model.flags).toEqual([false, false]);
    disposeData(data);
    model.dispose();
  });

  it('reads nothing back per step with verbose 0, terminateOnNaN off and no callbacks; once per step otherwise', async () => {
    const model = classifier(2);
    const data = blobs(3);
    const reads = (): number => sync.mock.calls.length + async.mock.calls.length;
    const sync = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    const async = vi.spyOn(tf.Tensor.prototype, 'data');
    const optimizer = sgd({ learningRate: 0.1 });
    // The loss's own per-call label check reads one number back; fit checks the first batch itself.
    const loss = sparseCategoricalCrossentropy({ fromLogits: true, checkLabels: false });
    await fit(model, data, { loss, optimizer, epochs: 2, terminateOnNaN: false });
    // The first batch's labels are checked once; then one read of the summed loss per epoch.
    expect(reads()).toBe(1 + 2);
    sync.mockClear();
    async.mockClear();
    await fit(model, data, { loss, optimizer, epochs: 2 });
    expect(reads()).toBe(1 + 2 * data.length);
    disposeData(data);
    model.dispose();
  });

  it('gives the same weights bit for bit for the same seed (shuffled function source, dropout)', async () => {
    const run = async (): Promise<Record<string, Float32Array>> => {
      const model = classifier(5, 0.3);
      const data = blobs(4);
      const source = ({ rng: r }: { rng: Rng }) => r.shuffle([...data]);
      await fit(model, source, { loss: scce, optimizer: adam({ learningRate: 0.01 }), epochs: 3, seed: 9 });
      const w = weightsOf(model);
      disposeData(data);
      model.dispose();
      return w;
    };
    const a = await run();
    const b = await run();
    for (const k of Object.keys(a)) expect(Array.from(b[k]!)).toEqual(Array.from(a[k]!));
  });

  it('class weights give the same run as the equivalent sample weights', async () => {
    const data = blobs(6);
    const weighted = data.map((b) => ({ ...b, sampleWeight: tf.tidy(() => tf.add(1, tf.cast(tf.equal(b.y, 0), 'float32'))) }));
    const a = classifier(3);
    const b = classifier(3);
    await fit(a, data, { loss: scce, optimizer: sgd({ learningRate: 0.1 }), classWeight: { 0: 2, 1: 1 }, epochs: 2 });
    await fit(b, weighted, { loss: scce, optimizer: sgd({ learningRate: 0.1 }), epochs: 2 });
    const wa = weightsOf(a);
    const wb = weightsOf(b);
    for (const k of Object.keys(wa)) expect(Array.from(wa[k]!)).toEqual(Array.from(wb[k]!));
    const plain = classifier(3);
    await fit(plain, data, { loss: scce, optimizer: sgd({ learningRate: 0.1 }), epochs: 2 });
    expect(Array.from(weightsOf(plain)['dense.kernel']!)).not.toEqual(Array.from(wa['dense.kernel']!));
    disposeData(data);
    weighted.forEach((w) => w.sampleWeight.dispose());
    [a, b, plain].forEach((m) => m.dispose());
  });

  it('fails before the first step on bad options, naming them', async () => {
    const model = classifier(1);
    const data = blobs(1, 8);
    const optimizer = sgd({ learningRate: 0.1 });
    const before = weightsOf(model);
    await expect(fit(model, data, { loss: scce, optimizer, epochs: 0 })).rejects.toThrow('fit: epochs expected an integer >= 1, got 0');
    await expect(fit(model, data, { loss: scce, optimizer, epoch: 2 } as never)).rejects.toThrow("fit: option 'epoch' expected one of");
    await expect(fit(model, data, { loss: scce, optimizer, metrics: { acc: accuracy as never } })).rejects.toThrow(
      'fit: metrics.acc expected a metric object',
    );
    await expect(fit(model, data, { optimizer } as never)).rejects.toThrow('fit: loss expected a Loss');
    await expect(fit(model, 42 as never, { loss: scce, optimizer })).rejects.toThrow('fit: data expected an Iterable or AsyncIterable of batches');
    await expect(fit(model, data, { loss: scce, optimizer, verbose: 3 as never })).rejects.toThrow('fit: verbose expected 0, 1 or 2, got 3');
    expect(() => sgd({ learningRate: -1 })).toThrow(ConfigError);
    expect(weightsOf(model)).toEqual(before);
    disposeData(data);
    model.dispose();
  });

  it('names the batch with the wrong shape or dtype, and labels out of range before the first step', async () => {
    const model = classifier(1);
    const optimizer = sgd({ learningRate: 0.1 });
    const good = blobs(1, 16);
    const bad = [good[0]!, { x: tf.ones([8, 3]), y: tf.zeros([8], 'int32') }];
    await expect(fit(model, bad, { loss: scce, optimizer })).rejects.toThrow(ShapeError);
    await expect(fit(model, bad, { loss: scce, optimizer })).rejects.toThrow('fit: batch 1: x expected shape [null, 2] like the first batch, got [8, 3]');
    const badDtype = [good[0]!, { x: good[1]!.x, y: tf.zeros([8], 'float32') }];
    await expect(fit(model, badDtype, { loss: scce, optimizer })).rejects.toThrow('fit: batch 1: y expected dtype int32 like the first batch, got float32');
    const before = weightsOf(model);
    const outOfRange = [{ x: good[0]!.x, y: tf.tensor1d([0, 1, 2, 0, 1, 0, 1, 0], 'int32') }];
    await expect(fit(model, outOfRange, { loss: scce, optimizer })).rejects.toThrow(
      'fit: batch 0: y expected class ids in [0, 2) for sparse_categorical_crossentropy, got 2 at position 2',
    );
    expect(weightsOf(model)).toEqual(before);
    const mismatched = [{ x: good[0]!.x, y: tf.zeros([4], 'int32') }];
    await expect(fit(model, mismatched, { loss: scce, optimizer })).rejects.toThrow('fit: batch 0: y expected batch size 8 (axis 0 of x), got shape [4]');
    tf.dispose([bad[1]!.x, bad[1]!.y, badDtype[1]!.y, outOfRange[0]!.y, mismatched[0]!.y]);
    disposeData(good);
    model.dispose();
  });

  it("batchShapes 'varying' takes length buckets (same rank and dtype), and trains on them as on one shape", async () => {
    const r = rng(5);
    // A mean-pooling classifier works on any sequence length: [B, T, 2] -> [B, 2].
    class MeanPool extends Module {
      protected override call(x: tf.Tensor): tf.Tensor {
        return tf.mean(x, 1);
      }
    }
    const makeModel = (): Sequential =>
      new Sequential([new Dense({ units: 4, activation: 'tanh' }), new MeanPool({ name: 'pool' }), new Dense({ units: 2 })], { name: 'seq' }).build(
        [null, null, 2],
        rng(3),
      );
    const bucket = (len: number): { x: tf.Tensor; y: tf.Tensor } => {
      const y = Array.from({ length: 4 }, (_, i) => i % 2);
      const x = y.flatMap((label) => Array.from({ length: len }, () => [r.normal(label ? 1 : -1, 0.3), r.normal(0, 1)]).flat());
      return { x: tf.tensor3d(x, [4, len, 2]), y: tf.tensor1d(y, 'int32') };
    };
    const data = [bucket(3), bucket(5), bucket(2), bucket(7)];
    const model = makeModel();
    const optimizer = adam({ learningRate: 0.05 });
    await expect(fit(model, data, { loss: scce, optimizer })).rejects.toThrow(
      'fit: batch 1: x expected shape [null, 3, 2] like the first batch, got [4, 5, 2]',
    );
    await expect(fit(model, data, { loss: scce, optimizer, batchShapes: 'any' as never })).rejects.toThrow(
      "fit: batchShapes expected 'fixed' or 'varying', got \"any\"",
    );
    const history = await fit(model, data, { loss: scce, optimizer, epochs: 15, batchShapes: 'varying', validation: data });
    const losses = history.get('loss');
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.5);
    expect(history.get('val.loss').at(-1)!).toBeLessThan(0.3);
    await expect(evaluate(model, data, { loss: scce })).rejects.toThrow('evaluate: batch 1: x expected shape [null, 3, 2]');
    const logs = await evaluate(model, data, { loss: scce, batchShapes: 'varying' });
    expect(logs['loss']).toBeCloseTo(history.get('val.loss').at(-1)!, 5);
    const rankTwo = [data[0]!, { x: tf.ones([4, 2]), y: tf.zeros([4], 'int32') }];
    await expect(fit(model, rankTwo, { loss: scce, optimizer, batchShapes: 'varying' })).rejects.toThrow(
      "fit: batch 1: x expected rank 3 like the first batch (batchShapes 'varying' lets only sizes change), got shape [4, 2]",
    );
    tf.dispose([rankTwo[1]!.x, rankTwo[1]!.y]);
    disposeData(data);
    model.dispose();
  });

  it('stops on a non-finite loss with a TrainingError naming epoch, step, last finite loss and the parameter', async () => {
    const model = classifier(1);
    const data = blobs(1, 24);
    const poisoned = [data[0]!, data[1]!, { x: tf.fill([8, 2], Number.NaN) as tf.Tensor2D, y: data[2]!.y }];
    const error = await fit(model, poisoned, { loss: scce, optimizer: sgd({ learningRate: 0.1 }), epochs: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingError);
    const message = (error as Error).message;
    expect(message).toMatch(/^fit: loss expected a finite number, got NaN at epoch 0, step 2 \(batch 2 of the epoch\); last finite loss \d\.\d{6}; the first non-finite gradient was of 'dense\.kernel'/);
    tf.dispose(poisoned[2]!.x);
    disposeData(data);
    model.dispose();
  });

  it('callbacks see plain numbers and can stop; earlyStopping restores the best weights; reduceLrOnPlateau sets the scale', async () => {
    const model = classifier(1);
    const data = blobs(1, 16);
    const seen: unknown[] = [];
    const optimizer = sgd({ learningRate: 0.1 });
    // A validation loss that only gets worse after epoch 0 (we feed the wrong labels).
    const flipped = data.map((b) => ({ x: b.x, y: tf.sub(1, b.y) as tf.Tensor1D }));
    let bestAfterEpoch0: Record<string, Float32Array> | null = null;
    const history = await fit(model, data, {
      loss: scce,
      optimizer,
      epochs: 10,
      validation: flipped,
      callbacks: [
        lambda({
          onBatchEnd: (_c, _b, logs) => {
            seen.push(...Object.values(logs));
          },
          onEpochEnd: (ctx, epoch) => {
            if (epoch === 0) bestAfterEpoch0 = weightsOf(ctx.model);
          },
        }),
        earlyStopping({ monitor: 'val.loss', patience: 1, restoreBestWeights: true }),
        reduceLrOnPlateau({ monitor: 'val.loss', patience: 1, factor: 0.5 }),
      ],
    });
    expect(seen.every((v) => typeof v === 'number')).toBe(true);
    // patience 1: epoch 1 does not improve on epoch 0, so training stops after it (as Keras).
    expect(history.epochs).toEqual([0, 1]);
    expect(history.get('val.loss')[1]!).toBeGreaterThan(history.get('val.loss')[0]!);
    expect(weightsOf(model)).toEqual(bestAfterEpoch0);
    expect(optimizer.learningRateScale).toBe(0.5);
    flipped.forEach((b) => b.y.dispose());
    disposeData(data);
    model.dispose();
  });

  it('honours stepsPerEpoch, initialEpoch and validationFreq', async () => {
    const model = classifier(1);
    const data = blobs(1, 32);
    const steps: number[] = [];
    const history = await fit(model, data, {
      loss: scce,
      optimizer: sgd({ learningRate: 0.1 }),
      epochs: 5,
      initialEpoch: 1,
      stepsPerEpoch: 3,
      validation: data,
      validationFreq: 2,
      callbacks: [lambda({ onBatchEnd: (ctx) => void steps.push(ctx.globalStep) })],
    });
    expect(history.epochs).toEqual([1, 2, 3, 4]);
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const val = history.get('val.loss');
    expect(val.map(Number.isNaN)).toEqual([true, false, true, false]);
    disposeData(data);
    model.dispose();
  });

  it('holds tf.memory().numTensors flat over 1,000 steps with validation and callbacks', async () => {
    const model = classifier(2, 0.2);
    const data = blobs(8, 16);
    const val = blobs(9, 8);
    const counts: number[] = [];
    await fit(model, data, {
      loss: scce,
      optimizer: adam({ learningRate: 0.01 }),
      epochs: 500,
      metrics: { accuracy: accuracy() },
      validation: val,
      clip: { globalNorm: 1 },
      callbacks: [
        earlyStopping({ monitor: 'val.loss', patience: 1000 }),
        lambda({ onEpochEnd: () => void counts.push(tf.memory().numTensors) }),
      ],
    });
    expect(counts).toHaveLength(500);
    expect(new Set(counts.slice(1)).size).toBe(1);
    disposeData([...data, ...val]);
    model.dispose();
  });
});
