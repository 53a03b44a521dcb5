import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tensorloom/core';
import { schedules } from '../index.js';
import type { Schedule } from '../index.js';
import fixtures from '../__fixtures__/schedules.json' with { type: 'json' };

// Learning rates of torch.optim.lr_scheduler over 40 steps, scripts/make-fixtures.py.

function build(factory: string, options: Record<string, unknown>): Schedule {
  if (factory === 'linearWarmup+cosine') {
    const o = options as { steps: number; startFactor: number; then: { initial: number; steps: number } };
    return schedules.linearWarmup({ steps: o.steps, startFactor: o.startFactor, then: schedules.cosine(o.then) });
  }
  return (schedules[factory as 'cosine'] as (o: object) => Schedule)(options);
}

describe('schedules against torch.optim.lr_scheduler', () => {
  it.each(fixtures.map((c, i) => [`${c.factory} #${i}`, c] as const))('%s', (_n, c) => {
    const s = build(c.factory, c.options);
    c.values.forEach((want, step) => {
      expect(Math.abs(s(step) - want), `step ${step}: got ${s(step)}, want ${want}`).toBeLessThan(1e-12 + 1e-9 * want);
    });
    // The config rebuilds the same schedule (it is what an optimizer's state saves).
    const again = schedules.fromConfig(JSON.parse(JSON.stringify(s.config)) as Record<string, unknown>);
    for (let step = 0; step < c.values.length; step++) expect(again(step)).toBe(s(step));
  });

  it('computes the hand-checked cases', () => {
    expect(schedules.constant({ value: 0.3 })(1000)).toBe(0.3);
    expect(schedules.cosine({ initial: 1, steps: 10 })(5)).toBeCloseTo(0.5, 12);
    expect(schedules.cosine({ initial: 1, steps: 10, final: 0.1 })(50)).toBeCloseTo(0.1, 12); // holds final after the end
    expect(schedules.polynomial({ initial: 1e-3, steps: 1000, power: 2 })(500)).toBeCloseTo(2.5e-4, 15);
    const warm = schedules.linearWarmup({ steps: 4, then: 0.2 });
    expect([0, 1, 2, 3, 4, 9].map(warm)).toEqual([0, 0.05, 0.1, 0.15000000000000002, 0.2, 0.2]);
    const restarts = schedules.cosineRestarts({ initial: 1, period: 2, periodMult: 2 });
    expect([0, 2, 6].map(restarts)).toEqual([1, 1, 1]); // cycles of 2, 4, 8 steps
    expect(restarts(4)).toBeCloseTo(0.5, 12); // half-way into the 4-step cycle
    expect(restarts(5)).toBeCloseTo((1 + Math.cos((3 * Math.PI) / 4)) / 2, 12);
  });

  it('carries its config and rejects bad options naming the schedule and option', () => {
    expect(schedules.cosine({ initial: 1e-3, steps: 5000 }).config).toEqual({ name: 'cosine', initial: 1e-3, steps: 5000, final: 0 });
    expect(() => schedules.cosine({ initial: -1, steps: 10 })).toThrowError(new ConfigError("Schedule 'cosine': initial expected a finite number ≥ 0, got -1"));
    expect(() => schedules.step({ initial: 1, stepSize: 0 })).toThrowError("Schedule 'step': stepSize expected a positive integer, got 0");
    expect(() => schedules.multiStep({ initial: 1, milestones: [5, 3] })).toThrowError(
      "Schedule 'multi_step': milestones expected increasing positive integers, got [5,3]",
    );
    expect(() => schedules.oneCycle({ max: 1, steps: 10, pctStart: 2 })).toThrowError("Schedule 'one_cycle': pctStart expected a number in [0, 1], got 2");
    expect(() => schedules.cosine({ initial: 1, steps: 10, warmup: 3 } as never)).toThrowError(/option 'warmup' expected one of initial, steps, final/);
    expect(() => schedules.linearWarmup({ steps: 3, then: (() => 1) as never })).toThrowError("Schedule 'linear_warmup': then expected a Schedule or a rate, got function");
    expect(() => schedules.constant({ value: 1 })(-1)).toThrowError("Schedule 'constant': step expected an integer ≥ 0, got -1");
    expect(() => schedules.fromConfig({ name: 'warp' })).toThrowError(/name expected one of constant, .*, got "warp"/);
  });
});
