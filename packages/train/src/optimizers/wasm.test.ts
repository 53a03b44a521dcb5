import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { tf } from '@tensorloom/core';
import { losses, optimizers } from '../index.js';
import type { Loss, Optimizer } from '../index.js';
import optimizerFixtures from '../__fixtures__/optimizers.json' with { type: 'json' };
import lossFixtures from '../__fixtures__/losses.json' with { type: 'json' };

// The PyTorch references of torch-reference.test.ts (optimizers and losses) on the wasm backend:
// every kernel the numerics use exists there and gives the same numbers. Its own file, since the
// backend is process-wide.
beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

function worst(got: ArrayLike<number>, want: number[]): number {
  let w = 0;
  for (let i = 0; i < want.length; i++) w = Math.max(w, Math.abs(got[i] - want[i]) / (1e-3 + Math.abs(want[i])));
  return w;
}

describe('numerics on wasm', () => {
  it('every optimizer follows its torch.optim trajectory', () => {
    expect(tf.getBackend()).toBe('wasm');
    for (const c of optimizerFixtures.cases) {
      const d = optimizerFixtures.data[c.data as 'main' | 'muon' | 'rank3'] as { shapes: Record<string, number[]>; init: Record<string, number[]>; grads: Record<string, number[]>[] };
      const params: Record<string, tf.Variable> = {};
      for (const [k, shape] of Object.entries(d.shapes)) params[k] = tf.variable(tf.tensor(d.init[k], shape));
      const groups = (c as { groups?: { match: string }[] }).groups?.map((g) => ({ ...g, match: new RegExp(g.match) }));
      const opt = (optimizers[c.factory as 'adam'] as (o: object) => Optimizer)({ ...c.options, ...(groups ? { groups } : {}) });
      d.grads.forEach((g, step) => {
        const grads = Object.fromEntries(Object.entries(d.shapes).map(([k, shape]) => [k, tf.tensor(g[k], shape)]));
        opt.apply(params, grads);
        tf.dispose(Object.values(grads));
        for (const k of Object.keys(d.shapes)) {
          const traj = c.trajectory[step] as Record<string, number[]>;
          expect(worst(params[k].dataSync(), traj[k]), `${c.name} '${k}' step ${step + 1}`).toBeLessThan(c.factory === 'muon' ? 5e-5 : 1e-5);
        }
      });
      opt.dispose();
      tf.dispose(Object.values(params));
    }
  });

  it('every loss matches PyTorch in value and gradient', () => {
    for (const c of lossFixtures) {
      const loss = (losses[c.factory as 'huber'] as (o: object) => Loss)(c.options);
      const yTrue = tf.tensor(c.yTrue, c.yTrueShape, c.yTrueDtype as 'float32' | 'int32');
      const yPred = tf.tensor(c.yPred, c.yPredShape);
      const w = c.sampleWeight === null ? undefined : tf.tensor(c.sampleWeight, c.sampleWeightShape ?? undefined);
      const value = loss(yTrue, yPred, w);
      const grad = tf.grad((p: tf.Tensor) => tf.sum(loss(yTrue, p, w)))(yPred);
      expect(worst(value.dataSync(), c.value), `${c.name} value`).toBeLessThan(2e-5);
      expect(worst(grad.dataSync(), c.grad), `${c.name} gradient`).toBeLessThan(1e-4);
      tf.dispose([value, grad, yTrue, yPred, w]);
    }
  });
});
