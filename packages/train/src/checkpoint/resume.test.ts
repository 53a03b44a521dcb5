import { describe, expect, it } from 'vitest';
import { rng, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import { Dense, Dropout, Sequential } from '@tensorloom/layers';
import { sparseCategoricalCrossentropy } from '../losses/sparse-categorical-crossentropy.js';
import { adam } from '../optimizers/adam.js';
import { ema } from '../ema/ema.js';
import { lambda } from '../callbacks/lambda.js';
import { earlyStopping } from '../callbacks/early-stopping.js';
import { fit } from '../fit/fit.js';
import type { FitOptions } from '../fit/fit.js';
import { checkpoint } from './checkpoint.js';
import { memoryStore } from './store.js';

function net(): Sequential {
  return new Sequential([new Dense({ units: 6, activation: 'relu' }), new Dropout({ rate: 0.3 }), new Dense({ units: 3 })], {
    name: 'net',
  }).build([null, 4], rng(11));
}

const base = rng(3);
const samples = Array.from({ length: 5 }, () => ({
  x: base.normalTensor([6, 4]),
  y: tf.tensor1d(Array.from({ length: 6 }, () => base.int(3)), 'int32'),
}));

/** Shuffled every epoch and augmented with noise, all from fit's per-epoch generator. */
function* augmented({ rng: r }: { rng: Rng }): Generator<{ x: tf.Tensor; y: tf.Tensor }> {
  for (const s of r.shuffle([...samples])) yield { x: tf.tidy(() => tf.add(s.x, r.normalTensor(s.x.shape, 0, 0.1))), y: s.y.clone() };
}

function options(extra: Partial<FitOptions> = {}): FitOptions {
  return {
    loss: sparseCategoricalCrossentropy({ fromLogits: true }),
    optimizer: adam({ learningRate: 0.02 }),
    ema: ema({ decay: 0.9 }),
    accumulate: 2,
    clip: { globalNorm: 1 },
    epochs: 3,
    seed: 21,
    ...extra,
  };
}

function bits(m: Sequential): Record<string, number[]> {
  return Object.fromEntries(Object.entries(m.state()).map(([k, v]) => [k, Array.from(new Uint32Array(v.dataSync().slice().buffer))]));
}

class Crash extends Error {}

describe('resume', () => {
  it.each([1, 5, 8, 10, 14])('a run killed after step %i and resumed ends bit-identical to an uninterrupted run', async (k) => {
    const straight = net();
    const h0 = await fit(straight, augmented, options());
    const expected = bits(straight);

    const store = memoryStore();
    const first = net();
    // Killed once step k and its checkpoint are done (checkpoint runs after other callbacks).
    const crash = lambda({
      onBatchBegin: (ctx) => {
        if (ctx.globalStep === k) throw new Crash(`killed at ${k}`);
      },
    });
    await expect(fit(first, augmented, options({ callbacks: [checkpoint({ store, every: { steps: 1 }, keepLast: 2 }), crash] }))).rejects.toThrow(Crash);
    expect(await store.list()).toEqual(k === 1 ? ['step-000000001'] : [`step-${String(k - 1).padStart(9, '0')}`, `step-${String(k).padStart(9, '0')}`]);

    const second = net(); // fresh weights: everything must come from the checkpoint
    const h1 = await fit(second, augmented, options({ resumeFrom: store, callbacks: [checkpoint({ store, every: { steps: 1 }, keepLast: 2 })] }));
    expect(bits(second)).toEqual(expected);
    expect(h1.epochs).toEqual(h0.epochs);
    expect(h1.get('loss')).toEqual(h0.get('loss'));
    expect(h1.steps.map((s) => s.values['loss'])).toEqual(h0.steps.map((s) => s.values['loss']));
    [straight, first, second].forEach((m) => m.dispose());
  });

  it('iterates a Dataset-like source with iterate({ epoch }), so a resume replays its epoch exactly', async () => {
    const asked: number[] = [];
    const datasetLike = {
      iterate({ epoch }: { epoch: number }) {
        asked.push(epoch);
        return augmented({ rng: rng(1000 + epoch) });
      },
      [Symbol.iterator](): Iterator<never> {
        throw new Error('fit must call iterate({ epoch })');
      },
    };
    const straight = net();
    await fit(straight, datasetLike, options());
    expect(asked).toEqual([0, 1, 2]);
    asked.length = 0;
    const store = memoryStore();
    const first = net();
    const crash = lambda({ onBatchBegin: (ctx) => { if (ctx.globalStep === 7) throw new Crash('killed'); } });
    await expect(fit(first, datasetLike, options({ callbacks: [checkpoint({ store, every: { steps: 1 } }), crash] }))).rejects.toThrow(Crash);
    const second = net();
    asked.length = 0;
    await fit(second, datasetLike, options({ resumeFrom: store }));
    expect(asked).toEqual([1, 2]);
    expect(bits(second)).toEqual(bits(straight));
    [straight, first, second].forEach((m) => m.dispose());
  });

  it('an empty store starts from scratch; a different seed is refused', async () => {
    const store = memoryStore();
    const a = net();
    await fit(a, augmented, options({ epochs: 1, resumeFrom: store, callbacks: [checkpoint({ store })] }));
    expect(await store.list()).toEqual(['step-000000005']);
    const b = net();
    await expect(fit(b, augmented, options({ epochs: 2, seed: 22, resumeFrom: store }))).rejects.toThrow(
      "fit: seed expected 21 as in the checkpoint 'step-000000005', got 22",
    );
    [a, b].forEach((m) => m.dispose());
  });
});

describe('resume with stateful callbacks', () => {
  // Held-out batches whose loss is lowest at epoch 2 and rises after it at this rate, so
  // earlyStopping (patience 3) stops at epoch 5 and puts epoch 2's weights back.
  const vr = rng(9);
  const val = Array.from({ length: 2 }, () => ({ x: vr.normalTensor([6, 4]), y: tf.tensor1d(Array.from({ length: 6 }, () => vr.int(3)), 'int32') }));

  function stoppingOptions(extra: Partial<FitOptions> = {}): FitOptions {
    return options({ epochs: 10, ema: undefined, optimizer: adam({ learningRate: 0.05 }), validation: val, ...extra });
  }
  const stopper = () => earlyStopping({ monitor: 'val.loss', patience: 3, restoreBestWeights: true });

  it.each([3, 4, 5])(
    'earlyStopping with restoreBestWeights: killed before epoch %i and resumed, it stops at the same epoch with the same restored weights',
    async (killEpoch) => {
      const straight = net();
      const h0 = await fit(straight, augmented, stoppingOptions({ callbacks: [stopper()] }));
      const stoppedAt = h0.epochs.at(-1)!;
      expect(stoppedAt).toBe(5); // the scenario: best at epoch 2, three epochs without improvement
      const expected = bits(straight);

      const store = memoryStore();
      const first = net();
      const crash = lambda({
        onEpochBegin: (_ctx, epoch) => {
          if (epoch === killEpoch) throw new Crash(`killed at epoch ${epoch}`);
        },
      });
      // checkpoint stands first in the list; it still runs after earlyStopping.
      await expect(fit(first, augmented, stoppingOptions({ callbacks: [checkpoint({ store }), stopper(), crash] }))).rejects.toThrow(Crash);

      const second = net();
      const h1 = await fit(second, augmented, stoppingOptions({ resumeFrom: store, callbacks: [checkpoint({ store }), stopper()] }));
      expect(h1.epochs.at(-1)!).toBe(stoppedAt);
      expect(h1.get('val.loss')).toEqual(h0.get('val.loss'));
      expect(bits(second)).toEqual(expected);
      [straight, first, second].forEach((m) => m.dispose());
    },
  );

  it('checkpoint saveBest keeps its best value across a resume, and no tensor is left behind', async () => {
    const store = memoryStore();
    const first = net();
    const crash = lambda({ onEpochBegin: (_ctx, epoch) => { if (epoch === 4) throw new Crash('killed'); } });
    const cb = () => checkpoint({ store, saveBest: { monitor: 'val.loss' } });
    await expect(fit(first, augmented, stoppingOptions({ callbacks: [cb(), crash] }))).rejects.toThrow(Crash);
    expect((await store.list()).filter((n) => n.startsWith('best-'))).toEqual([`best-${String(3 * samples.length).padStart(9, '0')}`]);
    const tensorsBefore = tf.memory().numTensors;
    const second = net();
    const opts = stoppingOptions({ resumeFrom: store, callbacks: [cb()] });
    const h = await fit(second, augmented, opts);
    const vals = h.get('val.loss');
    expect(vals.indexOf(Math.min(...vals))).toBe(2);
    // Without the saved best value the resumed run would call epoch 4 (worse than 2) its best.
    expect((await store.list()).filter((n) => n.startsWith('best-'))).toEqual([`best-${String(3 * samples.length).padStart(9, '0')}`]);
    const slots = opts.optimizer!.getState().tensors;
    const held = Object.keys(slots).length;
    tf.dispose(Object.values(slots));
    second.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore + held);
    first.dispose();
  });
});
