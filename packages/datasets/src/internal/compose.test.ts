import { describe, expect, it } from 'vitest';
import { rng } from '@tensorloom/core';
import { buildCanvases, composeCanvas, drawPlacements } from './compose.js';
import type { DigitPool } from './compose.js';

// Two 2×2 "digits": digit 0 (class 3) is solid ink with a faint corner; digit 1 (class 7)
// has ink on its diagonal only.
const pool: DigitPool = {
  pixels: Float32Array.from([
    0.9, 0.8, //
    0.7, 0.2, // digit 0, class 3
    0.6, 0.1, //
    0.3, 1.0, // digit 1, class 7
  ]),
  labels: Int32Array.from([3, 7]),
  side: 2,
};

describe('composeCanvas', () => {
  it('draws one digit: ink labels the mask, faint pixels only brighten', () => {
    const canvas = new Float32Array(9);
    const mask = new Uint8Array(9);
    composeCanvas(pool, [{ digit: 0, label: 3, x: 1, y: 0 }], 3, 0.5, canvas, mask);
    expect(Array.from(canvas)).toEqual([0, 0.9, 0.8, 0, 0.7, 0.2, 0, 0, 0].map(Math.fround));
    expect(Array.from(mask)).toEqual([0, 4, 4, 0, 4, 0, 0, 0, 0]);
  });

  it('lets a later digit win where its ink is, and keeps the earlier one elsewhere', () => {
    // 3×3 canvas: digit 0 at (0,0), then digit 1 at (1,1) overlapping pixel (1,1).
    const canvas = new Float32Array(9);
    const mask = new Uint8Array(9);
    composeCanvas(
      pool,
      [
        { digit: 0, label: 3, x: 0, y: 0 },
        { digit: 1, label: 7, x: 1, y: 1 },
      ],
      3,
      0.5,
      canvas,
      mask,
    );
    // Hand-computed: (1,1) had 0.2 (faint, class 0) and gets digit 1's ink 0.6 → class 8.
    // (1,2) gets faint 0.1; (2,1) faint 0.3; (2,2) ink 1.0 → class 8.
    expect(Array.from(canvas)).toEqual([0.9, 0.8, 0, 0.7, 0.6, 0.1, 0, 0.3, 1.0].map(Math.fround));
    expect(Array.from(mask)).toEqual([4, 4, 0, 4, 8, 0, 0, 0, 8]);
  });

  it('keeps earlier ink under a later faint pixel, and the later ink even when darker', () => {
    const canvas = new Float32Array(4);
    const mask = new Uint8Array(4);
    // digit 1 first, then digit 0 on top at the same place.
    composeCanvas(
      pool,
      [
        { digit: 1, label: 7, x: 0, y: 0 },
        { digit: 0, label: 3, x: 0, y: 0 },
      ],
      2,
      0.5,
      canvas,
      mask,
    );
    // (0,0): 0.6 (7) then 0.9 ink (3) → 0.9, class 4. (1,1): 1.0 ink (7), then faint 0.2 → stays 1.0, class 8.
    expect(Array.from(canvas)).toEqual([0.9, 0.8, 0.7, 1.0].map(Math.fround));
    expect(Array.from(mask)).toEqual([4, 4, 4, 8]);
  });
});

describe('drawPlacements and buildCanvases', () => {
  it('places every digit wholly inside the canvas with 1–3 digits', () => {
    const counts = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const ps = drawPlacements(rng(0).fold(i), pool, 5, 1, 3);
      counts.add(ps.length);
      for (const p of ps) {
        expect(p.x).toBeGreaterThanOrEqual(0);
        expect(p.y).toBeGreaterThanOrEqual(0);
        expect(p.x + 2).toBeLessThanOrEqual(5);
        expect(p.y + 2).toBeLessThanOrEqual(5);
        expect(p.label).toBe(pool.labels[p.digit]);
      }
    }
    expect([...counts].sort()).toEqual([1, 2, 3]);
  });

  it('is deterministic and prefix-stable: canvas i does not depend on the count', () => {
    const plan = { size: 6, minDigits: 1, maxDigits: 3, inkThreshold: 0.5 };
    const a = buildCanvases(pool, rng(4).fold('train'), 5, plan);
    const b = buildCanvases(pool, rng(4).fold('train'), 9, plan);
    expect(b.images.subarray(0, 5 * 36)).toEqual(a.images);
    expect(b.masks.subarray(0, 5 * 36)).toEqual(a.masks);
    expect(b.placements.slice(0, 5)).toEqual(a.placements);
    const c = buildCanvases(pool, rng(5).fold('train'), 5, plan);
    expect(c.placements).not.toEqual(a.placements);
  });
});
