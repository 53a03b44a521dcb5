import { describe, expect, it } from 'vitest';
import { rng } from '@tensorloom/core';
import { sampleBeta, sampleGamma } from './beta.js';

function moments(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, variance: xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length };
}

describe('sampleGamma / sampleBeta', () => {
  it.each([0.3, 1, 4.5])('Gamma(%s) has mean and variance equal to the shape', (shape) => {
    const r = rng(1);
    const { mean, variance } = moments(Array.from({ length: 20000 }, () => sampleGamma(r, shape)));
    // Standard error of the mean is √(shape / 20000) ≤ 0.015; allow 4 of them, and 10% on the variance.
    expect(Math.abs(mean - shape)).toBeLessThan(4 * Math.sqrt(shape / 20000));
    expect(Math.abs(variance / shape - 1)).toBeLessThan(0.1);
  });

  it.each([
    [0.2, 0.2],
    [1, 1],
    [2, 5],
  ])('Beta(%s, %s) has mean a/(a+b) and variance ab/((a+b)²(a+b+1))', (a, b) => {
    const r = rng(2);
    const xs = Array.from({ length: 20000 }, () => sampleBeta(r, a, b));
    const { mean, variance } = moments(xs);
    const m = a / (a + b);
    const v = (a * b) / ((a + b) ** 2 * (a + b + 1));
    expect(Math.abs(mean - m)).toBeLessThan(4 * Math.sqrt(v / 20000));
    expect(Math.abs(variance / v - 1)).toBeLessThan(0.05);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(1);
  });
});
