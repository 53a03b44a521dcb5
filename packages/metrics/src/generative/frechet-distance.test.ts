import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, ValueError, expectNoLeaks, tf } from '@tensorloom/core';
import { featureStatistics, frechetDistance, frechetDistanceFromMoments } from '../index.js';
import { tensorsHeldBy } from '../internal/testing.js';

// References: __fixtures__/frechet-distance.json, written by make-frechet-distance.py beside
// it (float64 numpy: np.cov and eigh, cross-checked against the eigenvalues of Σ₁Σ₂).
interface Case {
  name: string;
  x: number[][];
  y: number[][];
  distance: number;
  meanX?: number[];
  covarianceX?: number[];
}
const { cases } = JSON.parse(readFileSync(new URL('./__fixtures__/frechet-distance.json', import.meta.url), 'utf8')) as { cases: Case[] };
const fixture = (name: string): Case => cases.find((c) => c.name === name)!;

const relClose = (actual: number, expected: number, rel: number): void => {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(rel * Math.abs(expected));
};

/** Expects a ValueError whose first line (before its help) is `message`. */
function expectValueError(fn: () => unknown, message: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(ValueError);
  expect((thrown as Error).message.split('\n')[0]).toBe(message);
}

describe('frechetDistance', () => {
  it.each(cases.map((c) => [c.name, c] as const))('matches numpy on %s (1e-6 relative)', (_name, c) => {
    relClose(frechetDistance.compute(c.x, c.y), c.distance, 1e-6);
    relClose(frechetDistanceFromMoments(featureStatistics.compute(c.x), featureStatistics.compute(c.y)), c.distance, 1e-6);
  });

  it('accumulates mean and covariance like np.cov', () => {
    const c = fixture('correlated');
    const m = featureStatistics.compute(c.x);
    expect(m.count).toBe(c.x.length);
    expect(m.dim).toBe(16);
    m.mean.forEach((v, i) => expect(v).toBeCloseTo(c.meanX![i]!, 12));
    m.covariance.forEach((v, i) => expect(v).toBeCloseTo(c.covarianceX![i]!, 12));
  });

  it('streams in uneven batches and merges shards to the one-pass value', () => {
    const c = fixture('wider');
    const one = frechetDistance.compute(c.x, c.y);
    const cuts = [0, 1, 17, 40, 41, 100];
    const shards = [frechetDistance(), frechetDistance()];
    for (let i = 0; i + 1 < cuts.length; i++) {
      // batches of different sizes on the two sides, one side empty at times
      shards[i % 2]!.update(c.x.slice(cuts[i], cuts[i + 1]), c.y.slice(Math.min(80, cuts[i]!), Math.min(80, cuts[i + 1]!)));
    }
    relClose(shards[0]!.merge(shards[1]!).result(), one, 1e-9);
    const stats = featureStatistics();
    for (let i = 0; i + 1 < cuts.length; i++) stats.update(c.x.slice(cuts[i], cuts[i + 1]));
    const whole = featureStatistics.compute(c.x);
    stats.result().covariance.forEach((v, i) => expect(v).toBeCloseTo(whole.covariance[i]!, 12));
  });

  it('is 0 for identical sets, and ‖shift‖² for a translated copy', () => {
    for (const c of cases) expect(Math.abs(frechetDistance.compute(c.x, c.x))).toBeLessThanOrEqual(1e-9);
    expect(frechetDistance.compute([[0, 0], [1, 1], [2, 0]], [[0, 1], [1, 2], [2, 1]])).toBeCloseTo(1, 12);
    const c = fixture('correlated');
    const shifted = c.x.map((row) => row.map((v, j) => v + (j === 3 ? 2 : j === 5 ? -1 : 0)));
    relClose(frechetDistance.compute(c.x, shifted), 5, 1e-9);
  });

  it('handles fewer vectors than dimensions (singular covariances) without a regulariser', () => {
    const c = fixture('fewer vectors than dimensions');
    expect(c.x.length).toBeLessThan(c.x[0]!.length);
    relClose(frechetDistance.compute(c.x, c.y), c.distance, 1e-6);
    // two points each: rank-one covariances along the same line, means equal → 0
    expect(frechetDistance.compute([[0, 0, 0], [2, 2, 2]], [[2, 2, 2], [0, 0, 0]])).toBeLessThanOrEqual(1e-12);
  });

  it('is NaN with fewer than two vectors on a side', () => {
    expect(frechetDistance.compute([[1, 2]], [[1, 2], [3, 4]])).toBeNaN();
    expect(frechetDistance().result()).toBeNaN();
    const one = featureStatistics.compute([[1, 2]]);
    expect(Array.from(one.mean)).toEqual([1, 2]);
    expect(Array.from(one.covariance).every(Number.isNaN)).toBe(true);
  });

  it('rejects non-finite features like every metric rejects predictions, keeping its state', () => {
    const c = fixture('correlated');
    const m = frechetDistance();
    m.update(c.x, c.y);
    const before = m.result();
    const bad = c.y.slice(0, 4).map((row) => row.slice());
    bad[2]![7] = NaN;
    expectValueError(() => m.update(c.x.slice(0, 4), bad), "FrechetDistance 'frechetDistance': yPred expected finite values, got NaN at [2, 7]");
    bad[2]![7] = 0;
    bad[0]![1] = -Infinity;
    expectValueError(() => m.update(bad, c.y.slice(0, 4)), "FrechetDistance 'frechetDistance': yTrue expected finite values, got -Infinity at [0, 1]");
    expect(m.result()).toBe(before);
    const s = featureStatistics({ name: 'test digits' });
    s.update(c.x);
    expectValueError(() => s.update([[Infinity, ...c.x[0]!.slice(1)]]), "FeatureStatistics 'test digits': features expected finite values, got Infinity at [0, 0]");
    expect(s.result().count).toBe(c.x.length);
  });

  it('names shape errors and keeps its state', () => {
    const m = frechetDistance();
    m.update([[1, 2], [3, 4], [0, 1]], [[1, 1], [2, 2]]);
    const before = m.result();
    expect(() => m.update([[1, 2, 3]], [[1, 2]])).toThrowError(
      new ShapeError("FrechetDistance 'frechetDistance': yTrue expected feature vectors of length 2 (earlier batches), got [1, 3]"),
    );
    expect(() => m.update([[1, 2]], [[1, 2, 3]])).toThrowError(ShapeError);
    expect(m.result()).toBe(before);
    expect(() => featureStatistics.compute([1, 2, 3])).toThrowError(
      new ShapeError("FeatureStatistics 'featureStatistics': features expected a batch of feature vectors [batch, D], got shape [3]"),
    );
    expect(() => frechetDistance.compute([[1]], [[1]], { sampleWeight: [1] })).toThrowError(ConfigError);
    expect(() => frechetDistanceFromMoments(featureStatistics.compute([[1, 2], [2, 1]]), featureStatistics.compute([[1], [2]]))).toThrowError(
      new ShapeError('frechetDistanceFromMoments: b expected feature vectors of length 2 (those of a), got 1'),
    );
    const a = featureStatistics();
    a.update([[1, 2]]);
    const b = featureStatistics();
    b.update([[1, 2, 3]]);
    expect(() => a.merge(b)).toThrowError(ShapeError);
    expect(a.result().count).toBe(1);
  });

  it('reads tensors without leaking or holding them', async () => {
    const c = fixture('correlated');
    const m = frechetDistance();
    await expectNoLeaks(() => {
      const x = tf.tensor2d(c.x);
      const y = tf.tensor2d(c.y);
      m.update(x, y);
      tf.dispose([x, y]);
    });
    expect(tensorsHeldBy(m)).toBe(0);
    relClose(m.result(), c.distance, 1e-5); // float32 tensors: the inputs round to 24 bits
  });
});
