import type { Rng } from '@tensorloom/core';

/**
 * A Gamma(shape, 1) draw by Marsaglia and Tsang's method (ACM TOMS 26(3), 2000); shapes
 * below 1 use the boost Gamma(a) = Gamma(a + 1) · U^(1/a).
 */
export function sampleGamma(r: Rng, shape: number): number {
  if (shape < 1) {
    let u = 0;
    while (u === 0) u = r.uniform();
    return sampleGamma(r, shape + 1) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = r.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = r.uniform();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(a, b) draw as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function sampleBeta(r: Rng, a: number, b: number): number {
  const x = sampleGamma(r, a);
  const y = sampleGamma(r, b);
  return x + y === 0 ? 0.5 : x / (x + y);
}
