import { describe, expect, it } from 'vitest';
import { expectNoLeaks, tf } from '@tensorloom/core';
import { optimizers } from '../index.js';
import type { Optimizer } from '../index.js';
import fixtures from '../__fixtures__/optimizers.json' with { type: 'json' };

// Trajectories of torch.optim (float32, CPU) on fixed gradient sequences, from
// scripts/make-fixtures.py. Muon's Newton–Schulz runs in float32 there too (torch's runs in bfloat16).

interface Data {
  shapes: Record<string, number[]>;
  init: Record<string, number[]>;
  grads: Record<string, number[]>[];
}
interface Case {
  name: string;
  factory: keyof typeof optimizers;
  options: Record<string, unknown>;
  groups?: { match: string; learningRate?: number; weightDecay?: number }[];
  data: 'main' | 'muon' | 'rank3';
  trajectory: Record<string, number[]>[];
}

const data = fixtures.data as Record<string, Data>;
const cases = fixtures.cases as Case[];

function maxRelError(got: Float32Array | Int32Array | Uint8Array, want: number[]): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1e-3 + Math.abs(want[i])));
  return worst;
}

describe('optimizers against torch.optim trajectories', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const d = data[c.data];
    const params: Record<string, tf.Variable> = {};
    for (const [k, shape] of Object.entries(d.shapes)) params[k] = tf.variable(tf.tensor(d.init[k], shape));
    const groups = c.groups?.map((g) => ({ ...g, match: new RegExp(g.match) }));
    const make = optimizers[c.factory] as (o: object) => Optimizer;
    const opt = make({ ...c.options, ...(groups ? { groups } : {}) });
    for (let step = 0; step < d.grads.length; step++) {
      const grads: Record<string, tf.Tensor> = {};
      for (const [k, shape] of Object.entries(d.shapes)) grads[k] = tf.tensor(d.grads[step][k], shape);
      if (step === 0) opt.apply(params, grads); // creates the slots
      else await expectNoLeaks(() => opt.apply(params, grads), `${c.name} step ${step}`);
      tf.dispose(Object.values(grads));
      for (const k of Object.keys(d.shapes)) {
        const err = maxRelError(params[k].dataSync(), c.trajectory[step][k]);
        expect(err, `${c.name}: '${k}' after step ${step + 1}`).toBeLessThan(c.factory === 'muon' ? 5e-5 : 1e-5);
      }
    }
    expect(opt.iterations).toBe(d.grads.length);
    opt.dispose();
    tf.dispose(Object.values(params));
  });
});
