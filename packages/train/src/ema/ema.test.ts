import { describe, expect, it } from 'vitest';
import { ConfigError, expectNoLeaks, tf } from '@tensorloom/core';
import { ema } from '../index.js';
import fixtures from '../__fixtures__/ema.json' with { type: 'json' };

describe('ema', () => {
  it('matches torch.optim.swa_utils.AveragedModel with get_ema_multi_avg_fn', async () => {
    const avg = ema({ decay: fixtures.decay });
    const shapes = fixtures.shapes as Record<string, number[]>;
    const params: Record<string, tf.Variable> = {};
    for (const [k, s] of Object.entries(shapes)) params[k] = tf.variable(tf.zeros(s));
    for (const [i, step] of fixtures.steps.entries()) {
      for (const [k, v] of Object.entries(step.live)) params[k].assign(tf.tensor(v, shapes[k]));
      if (i === 0) avg.update(params);
      else await expectNoLeaks(() => avg.update(params));
      // Swap in the averages, read them, swap back.
      avg.swap(params);
      for (const [k, want] of Object.entries(step.ema)) {
        const got = params[k].dataSync();
        want.forEach((w, j) => expect(got[j]).toBeCloseTo(w, 5));
      }
      avg.swap(params);
      const live = params.weight.dataSync();
      step.live.weight.forEach((w, j) => expect(live[j]).toBeCloseTo(w, 6));
    }
    const state = avg.getState();
    expect(Object.keys(state.tensors).sort()).toEqual(['bias/ema', 'weight/ema']);
    expect(state.config).toEqual({ name: 'ema', decay: 0.9, warmup: false, updates: 5 });
    const other = ema({ decay: 0.9 });
    other.setState(state);
    tf.dispose(Object.values(state.tensors));
    const again = other.getState();
    const first = avg.getState();
    expect(Array.from(again.tensors['weight/ema'].dataSync())).toEqual(Array.from(first.tensors['weight/ema'].dataSync()));
    tf.dispose([Object.values(again.tensors), Object.values(first.tensors), Object.values(params)]);
    avg.dispose();
    other.dispose();
  });

  it('warms the decay up as min(d, (1 + n)/(10 + n))', () => {
    const avg = ema({ decay: 0.99, warmup: true });
    const p = { w: tf.variable(tf.scalar(0)) };
    avg.update(p); // copies 0
    p.w.assign(tf.scalar(10));
    avg.update(p); // d = min(0.99, 2/11)
    avg.swap(p);
    expect(p.w.dataSync()[0]).toBeCloseTo(10 * (1 - 2 / 11), 5);
    avg.dispose();
    p.w.dispose();
  });

  it('rejects bad options and swaps before any update', () => {
    expect(() => ema({ decay: 1 })).toThrowError(new ConfigError('ema: decay expected a number in [0, 1), got 1'));
    expect(() => ema({ decay: 0.9 }).swap({})).toThrowError(/^ema: swap expected averages from at least one update\(\), got none/);
  });
});
