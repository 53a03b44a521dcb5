import { rng } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { toyData } from './toy-data.js';
import type { ToyName } from './toy-data.js';

const NAMES: ToyName[] = ['xor', 'circles', 'moons', 'spirals', 'blobs'];

describe('toyData', () => {
  it.each(NAMES)('%s: balanced classes, the same points for the same seed, others for another', (name) => {
    const a = toyData(name, 200, 0.05, rng(3));
    expect(a.xy).toHaveLength(400);
    expect(a.labels.reduce((s, l) => s + l, 0)).toBe(100);
    expect(toyData(name, 200, 0.05, rng(3)).xy).toEqual(a.xy);
    expect(toyData(name, 200, 0.05, rng(4)).xy).not.toEqual(a.xy);
  });

  it('without noise each problem has its stated geometry', () => {
    const check = (name: ToyName, rule: (x: number, y: number) => number) => {
      const d = toyData(name, 400, 0, rng(1));
      for (let i = 0; i < d.count; i++) expect(rule(d.xy[2 * i]!, d.xy[2 * i + 1]!), `${name} point ${i}`).toBe(d.labels[i]);
    };
    check('xor', (x, y) => (x * y < 0 ? 1 : 0));
    check('circles', (x, y) => (Math.hypot(x, y) > 0.5 ? 1 : 0));
    // Moons: class 0 is the upper arc around (-0.25, -0.1), class 1 the lower arc around (0.25, 0.1).
    check('moons', (x, y) => (Math.abs(Math.hypot(x + 0.25, y + 0.1) - 0.5) < 1e-5 && y >= -0.1 - 1e-6 ? 0 : 1));
  });

  it('noise has the stated standard deviation', () => {
    const clean = toyData('blobs', 4000, 0, rng(9));
    const noisy = toyData('blobs', 4000, 0.3, rng(9));
    // Same stream up to the noise draws is not guaranteed, so compare spreads instead:
    // var(noisy) = var(clean) + 0.09 per coordinate.
    const variance = (d: typeof clean) => {
      const xs = Array.from({ length: d.count }, (_, i) => d.xy[2 * i]! - (d.labels[i] === 0 ? -0.4 : 0.4));
      return xs.reduce((s, v) => s + v * v, 0) / xs.length;
    };
    expect(variance(clean)).toBeCloseTo(0.04, 2);
    expect(variance(noisy)).toBeCloseTo(0.13, 1);
  });
});
