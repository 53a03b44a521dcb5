import { tf } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { runOn } from '../../test/helpers.js';
import { clearSessions, sessionCount, sessionMemory, setSessionBudget } from './graph.js';
import { setTuning } from './kernel.js';

describe('the session cache', () => {
  it('keeps the estimated memory under the budget, evicting the least recently used session, and makes an evicted one again', async () => {
    const previous = setTuning('ort');
    const { budgetBytes } = sessionMemory();
    clearSessions();
    try {
      const product = (n: number) => () => tf.matMul(tf.ones([n, n]), tf.ones([n, n]));
      // One 64×64 product: inputs and outputs 3 · 64² floats, estimated at 4× their bytes.
      const perSession = 4 * 3 * 64 * 64 * 4;
      const [first] = await runOn('native', product(64));
      expect(sessionCount()).toBe(1);
      expect(sessionMemory().heldBytes).toBe(perSession);
      setSessionBudget(2.5 * perSession);
      await runOn('native', product(65));
      await runOn('native', product(64)); // a hit: 64 becomes the most recently used
      await runOn('native', product(66)); // over the budget: 65, the least recently used, goes
      expect(sessionCount()).toBe(2);
      expect(sessionMemory().heldBytes).toBeLessThanOrEqual(2.5 * perSession);
      const [again] = await runOn('native', product(65)); // made again
      expect((again as Float64Array)[0]).toBe(65);
      expect(Array.from(first as Float64Array).every((v) => v === 64)).toBe(true);
      setSessionBudget(0); // everything but nothing in use goes at once
      expect(sessionCount()).toBe(0);
      expect(sessionMemory().heldBytes).toBe(0);
      expect(() => setSessionBudget(-1)).toThrow('setNativeSessionBudget: bytes expected a finite number >= 0, got -1');
      expect(() => setSessionBudget(Number.NaN)).toThrow('got NaN');
    } finally {
      setSessionBudget(budgetBytes);
      setTuning(previous);
    }
  });
});
