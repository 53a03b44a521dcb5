import { ShapeError, formatShape } from '@tensorloom/core';
import type { RegressionMetric, RegressionOptions } from '../regression/types.js';
import type { NumericInput } from '../metric.js';
import { BaseMetric } from './base.js';
import { checkZeroDivision, readWeights } from './checks.js';
import { sameShape, sizeOf, squeezeTrailing, readPredictions, toDense } from './input.js';

/** Per-output sufficient statistics, each a Float64Array of length D. */
export interface RegressionStats {
  /** Number of samples (unweighted), for the "fewer than two samples" rule of R². */
  count: number;
  /** Σ w. */
  weight: Float64Array;
  /** Weighted mean of y and Σ w (y − ȳ)² (Welford / Chan, merge-exact). */
  meanY: Float64Array;
  m2Y: Float64Array;
  /** Weighted mean of the residual e = y − ŷ and Σ w (e − ē)². */
  meanE: Float64Array;
  m2E: Float64Array;
  /** Σ w e², Σ w |e|, Σ w |e| / max(|y|, ε). */
  sse: Float64Array;
  sae: Float64Array;
  sape: Float64Array;
}

const EPS = 2.220446049250313e-16; // numpy.finfo(float64).eps, as sklearn's MAPE

function emptyStats(D: number): RegressionStats {
  const z = (): Float64Array => new Float64Array(D);
  return { count: 0, weight: z(), meanY: z(), m2Y: z(), meanE: z(), m2E: z(), sse: z(), sae: z(), sape: z() };
}

/** Chan et al.'s parallel combination of (weight, mean, M2) for one output. */
function combine(wa: number, ma: number, m2a: number, wb: number, mb: number, m2b: number): [number, number] {
  const w = wa + wb;
  if (w === 0) return [0, 0];
  const delta = mb - ma;
  return [ma + (delta * wb) / w, m2a + m2b + (delta * delta * wa * wb) / w];
}

function mergeInto(a: RegressionStats, b: RegressionStats): void {
  a.count += b.count;
  for (let d = 0; d < a.weight.length; d++) {
    const [my, m2y] = combine(a.weight[d], a.meanY[d], a.m2Y[d], b.weight[d], b.meanY[d], b.m2Y[d]);
    const [me, m2e] = combine(a.weight[d], a.meanE[d], a.m2E[d], b.weight[d], b.meanE[d], b.m2E[d]);
    a.meanY[d] = my;
    a.m2Y[d] = m2y;
    a.meanE[d] = me;
    a.m2E[d] = m2e;
    a.weight[d] += b.weight[d];
    a.sse[d] += b.sse[d];
    a.sae[d] += b.sae[d];
    a.sape[d] += b.sape[d];
  }
}

/**
 * The base of the regression metrics: per-output statistics, merged exactly (means and
 * centred sums of squares combine with Chan's formula, so R² and explained variance stream
 * without cancellation). Subclasses turn them into one value per output.
 */
export abstract class RegressionBase<O extends RegressionOptions = RegressionOptions>
  extends BaseMetric<number, NumericInput, NumericInput, O>
  implements RegressionMetric
{
  protected stats: RegressionStats | null = null;
  protected readonly zeroDivision: number;

  constructor(kind: string, defaultName: string, options: O) {
    super(kind, defaultName, options);
    this.zeroDivision = checkZeroDivision(this.unit, options.zeroDivision, NaN);
  }

  update(yTrue: NumericInput, yPred: NumericInput, sampleWeight?: NumericInput): void {
    const t = toDense(this.unit, 'yTrue', yTrue);
    const p = readPredictions(this.unit, yPred);
    let shape = t.shape;
    if (!sameShape(t.shape, p.shape)) {
      shape = squeezeTrailing(t.shape);
      if (!sameShape(shape, squeezeTrailing(p.shape))) {
        throw new ShapeError(`${this.unit}: yPred expected the shape of yTrue ${formatShape(t.shape)}, got ${formatShape(p.shape)}`);
      }
    }
    const D = shape.length >= 2 ? shape[shape.length - 1] : 1;
    const sampleShape = shape.length >= 2 ? shape.slice(0, -1) : shape;
    if (this.stats !== null && this.stats.weight.length !== D) {
      throw new ShapeError(`${this.unit}: yTrue expected ${this.stats.weight.length} outputs (earlier batches), got ${D}`);
    }
    const n = sizeOf(sampleShape);
    if (n === 0 || D === 0) return;
    const w = readWeights(this.unit, sampleWeight, sampleShape);
    const batch = emptyStats(D);
    batch.count = n;
    for (let d = 0; d < D; d++) {
      // two passes over the batch: means first, then centred sums (float64 throughout)
      let W = 0;
      let sy = 0;
      let se = 0;
      for (let i = 0; i < n; i++) {
        const wi = w === null ? 1 : w[i];
        const y = t.values[i * D + d];
        const e = y - p.values[i * D + d];
        W += wi;
        sy += wi * y;
        se += wi * e;
      }
      const my = W === 0 ? 0 : sy / W;
      const me = W === 0 ? 0 : se / W;
      let m2y = 0;
      let m2e = 0;
      let sse = 0;
      let sae = 0;
      let sape = 0;
      for (let i = 0; i < n; i++) {
        const wi = w === null ? 1 : w[i];
        const y = t.values[i * D + d];
        const e = y - p.values[i * D + d];
        m2y += wi * (y - my) * (y - my);
        m2e += wi * (e - me) * (e - me);
        sse += wi * e * e;
        sae += wi * Math.abs(e);
        sape += (wi * Math.abs(e)) / Math.max(Math.abs(y), EPS);
      }
      batch.weight[d] = W;
      batch.meanY[d] = my;
      batch.m2Y[d] = m2y;
      batch.meanE[d] = me;
      batch.m2E[d] = m2e;
      batch.sse[d] = sse;
      batch.sae[d] = sae;
      batch.sape[d] = sape;
    }
    if (this.stats === null) this.stats = emptyStats(D);
    mergeInto(this.stats, batch);
  }

  /** The metric of output d (NaN when undefined). */
  protected abstract perOutputValue(s: RegressionStats, d: number): number;

  perOutput(): number[] {
    const s = this.stats;
    if (s === null) return [];
    return Array.from({ length: s.weight.length }, (_, d) => {
      const v = s.weight[d] === 0 ? NaN : this.perOutputValue(s, d);
      return Number.isNaN(v) ? this.zeroDivision : v;
    });
  }

  result(): number {
    const values = this.perOutput();
    if (values.length === 0) return this.zeroDivision;
    return values.reduce((a, b) => a + b, 0) / values.length;
  }

  reset(): void {
    this.stats = null;
  }

  protected config(): Record<string, unknown> {
    return { zeroDivision: this.zeroDivision };
  }

  protected mergeState(other: this): void {
    if (other.stats === null) return;
    if (this.stats === null) this.stats = emptyStats(other.stats.weight.length);
    if (this.stats.weight.length !== other.stats.weight.length) {
      throw new ShapeError(`${this.unit}: other expected ${this.stats.weight.length} outputs, got ${other.stats.weight.length}`);
    }
    mergeInto(this.stats, other.stats);
  }
}
