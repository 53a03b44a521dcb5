import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { Dense, Sequential } from '@tensorloom/layers';
import { meanSquaredError } from '../losses/mean-squared-error.js';
import { sgd } from '../optimizers/sgd.js';
import { lrFinder } from './lr-finder.js';

describe('lrFinder', () => {
  it('on a quadratic with curvature 2 diverges past lr 1 (= 2/λ), suggests a rate below it, and restores the weights', async () => {
    // y = 3x with E[x²] = 1: the MSE in w has second derivative 2, so SGD diverges for lr > 1.
    const r = rng(2);
    const xs = Array.from({ length: 64 }, () => r.normal());
    const norm = Math.sqrt(xs.reduce((a, v) => a + v * v, 0) / xs.length);
    const data = [0, 1, 2, 3].map((i) => {
      const x = xs.slice(i * 16, i * 16 + 16).map((v) => v / norm);
      return { x: tf.tensor2d(x, [16, 1]), y: tf.tensor2d(x.map((v) => 3 * v), [16, 1]) };
    });
    const model = new Sequential([new Dense({ units: 1, useBias: false })]).build([null, 1], rng(1));
    const before = model.parameters()['dense.kernel']!.dataSync().slice();
    const optimizer = sgd({ learningRate: 1 });
    const result = await expectNoLeaks(
      () => lrFinder(model, data, { loss: meanSquaredError(), optimizer, minLr: 1e-4, maxLr: 100, steps: 60 }),
      'lrFinder',
    );
    expect(result.diverged).toBe(true);
    const lastRate = result.rates.at(-1)!;
    expect(lastRate).toBeGreaterThan(1);
    expect(result.suggested).toBeGreaterThan(1e-2);
    expect(result.suggested).toBeLessThan(1);
    expect(result.minimumOverTen).toBeLessThan(1);
    // Rates are exponentially spaced from minLr.
    expect(result.rates[0]).toBeCloseTo(1e-4, 12);
    expect(result.rates[1]! / result.rates[0]!).toBeCloseTo(Math.pow(1e6, 1 / 59), 10);
    expect(Array.from(model.parameters()['dense.kernel']!.dataSync())).toEqual(Array.from(before));
    expect(optimizer.iterations).toBe(0);
    expect(optimizer.learningRateScale).toBe(1);
    data.forEach((b) => tf.dispose([b.x, b.y]));
    model.dispose();
  });

  it('checks its options', async () => {
    const model = new Sequential([new Dense({ units: 1 })]).build([null, 1], rng(1));
    await expect(lrFinder(model, [], { loss: meanSquaredError(), optimizer: sgd({ learningRate: 1 }), minLr: 1, maxLr: 0.1 })).rejects.toThrow(
      'lrFinder: maxLr expected a finite number > minLr (1), got 0.1',
    );
    model.dispose();
  });
});
