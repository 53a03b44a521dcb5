import type { MetricOptions, NumericInput } from '../metric.js';
import { BaseMetric } from './base.js';
import { divide } from './checks.js';

/**
 * The base of the metrics whose whole state is two float64 sums, a numerator and a
 * denominator (accuracy: weighted hits / weighted samples; log loss: Σ w·loss / Σ w; error
 * rates: Σ edits / Σ reference tokens). `result()` is their ratio, or `zeroDivision` for
 * 0/0; `merge` adds the sums. Subclasses add into `state` in `update` and give `config`.
 */
export abstract class RatioMetric<T = NumericInput, P = T, O extends MetricOptions = MetricOptions> extends BaseMetric<
  number,
  T,
  P,
  O
> {
  /** `[Σ numerator, Σ denominator]`. */
  protected readonly state = new Float64Array(2);
  /** The result of 0/0 (nothing seen yet). */
  protected abstract readonly zeroDivision: number;

  result(): number {
    return divide(this.state[0], this.state[1], this.zeroDivision);
  }

  reset(): void {
    this.state.fill(0);
  }

  protected mergeState(other: this): void {
    this.state[0] += other.state[0];
    this.state[1] += other.state[1];
  }
}
