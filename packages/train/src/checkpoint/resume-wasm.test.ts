import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { rng, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import { Dense, Dropout, Sequential } from '@tensorloom/layers';
import { sparseCategoricalCrossentropy } from '../losses/sparse-categorical-crossentropy.js';
import { adam } from '../optimizers/adam.js';
import { lambda } from '../callbacks/lambda.js';
import { fit } from '../fit/fit.js';
import type { FitOptions } from '../fit/fit.js';
import { checkpoint } from './checkpoint.js';
import { memoryStore } from './store.js';

// The same resume check as resume.test.ts, on the wasm backend (its own file: the backend is
// process-wide). Dense and dropout train on stock tfjs-backend-wasm.
beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

function net(): Sequential {
  return new Sequential([new Dense({ units: 6, activation: 'relu' }), new Dropout({ rate: 0.3 }), new Dense({ units: 3 })], {
    name: 'net',
  }).build([null, 4], rng(11));
}

let samples: { x: tf.Tensor; y: tf.Tensor }[] = [];
beforeAll(() => {
  const r = rng(3);
  samples = Array.from({ length: 4 }, () => ({ x: r.normalTensor([6, 4]), y: tf.tensor1d(Array.from({ length: 6 }, () => r.int(3)), 'int32') }));
});

function* augmented({ rng: r }: { rng: Rng }): Generator<{ x: tf.Tensor; y: tf.Tensor }> {
  for (const s of r.shuffle([...samples])) yield { x: tf.tidy(() => tf.add(s.x, r.normalTensor(s.x.shape, 0, 0.1))), y: s.y.clone() };
}

const options = (extra: Partial<FitOptions> = {}): FitOptions => ({
  loss: sparseCategoricalCrossentropy({ fromLogits: true }),
  optimizer: adam({ learningRate: 0.02 }),
  epochs: 3,
  seed: 5,
  ...extra,
});

const bits = (m: Sequential): Record<string, number[]> =>
  Object.fromEntries(Object.entries(m.state()).map(([k, v]) => [k, Array.from(new Uint32Array(v.dataSync().slice().buffer))]));

describe('resume on wasm', () => {
  it.each([3, 6])('killed after step %i and resumed: bit-identical weights', async (k) => {
    expect(tf.getBackend()).toBe('wasm');
    const straight = net();
    await fit(straight, augmented, options());
    const store = memoryStore();
    const first = net();
    const crash = lambda({ onBatchEnd: (ctx) => { if (ctx.globalStep === k) throw new Error('killed'); } });
    await expect(fit(first, augmented, options({ callbacks: [checkpoint({ store, every: { steps: 1 } }), crash] }))).rejects.toThrow('killed');
    const second = net();
    await fit(second, augmented, options({ resumeFrom: store }));
    expect(bits(second)).toEqual(bits(straight));
    [straight, first, second].forEach((m) => m.dispose());
  });
});
