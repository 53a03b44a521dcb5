import { ConfigError } from '@tensorloom/core';
import type { ComputeOptions, Metric, MetricFactory, MetricOptions, NumericInput } from '../metric.js';
import { checkName, unitOf } from './checks.js';

/**
 * Shared plumbing of every metric: the name, the unit used in messages, and `merge` /
 * `clone` checks. Subclasses hold their state in typed arrays and implement the rest.
 */
export abstract class BaseMetric<R, T = NumericInput, P = T, O extends MetricOptions = MetricOptions>
  implements Metric<R, T, P>
{
  readonly name: string;
  /** `Kind 'name'`, the subject of every error message. */
  protected readonly unit: string;

  constructor(
    /** The metric's kind as it appears in messages, e.g. `Precision`. */
    protected readonly kind: string,
    /** The factory's name: the default metric name. */
    defaultName: string,
    /** The options exactly as given (used by `clone`). */
    protected readonly options: O,
  ) {
    this.name = checkName(kind, options.name, defaultName);
    this.unit = unitOf(kind, this.name);
  }

  abstract update(yTrue: T, yPred: P, sampleWeight?: NumericInput): void;
  abstract result(): R;
  abstract reset(): void;

  /** The resolved configuration; two metrics merge only when these are equal. */
  protected abstract config(): Record<string, unknown>;
  /** Adds `other`'s state (already checked to be compatible) into this one. */
  protected abstract mergeState(other: this): void;

  merge(other: this): this {
    if (!(other instanceof BaseMetric) || other.constructor !== this.constructor || other.kind !== this.kind) {
      const got = other instanceof BaseMetric ? other.unit : typeof other;
      throw new ConfigError(`${this.unit}: other expected a metric of kind ${this.kind}, got ${got}`);
    }
    const mine = configKey(this.config());
    const theirs = configKey(other.config());
    if (mine !== theirs) {
      throw new ConfigError(`${this.unit}: other expected the configuration ${mine}, got ${theirs}`);
    }
    this.mergeState(other);
    return this;
  }

  clone(): this {
    const Ctor = this.constructor as new (options: O) => this;
    return new Ctor(this.options);
  }
}

function configKey(config: Record<string, unknown>): string {
  return JSON.stringify(config, (_k, v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v));
}

/**
 * Builds an exported metric factory from a constructor: the call creates a metric, and
 * `compute` runs one `update` and returns `result()`.
 */
export function defineMetric<O extends MetricOptions, R, T, P, M extends Metric<R, T, P>>(
  create: (options: O) => M,
): MetricFactory<O, R, T, P, M> {
  const factory = (options?: O): M => create((options ?? {}) as O);
  const compute = (yTrue: T, yPred: P, options?: O & ComputeOptions): R => {
    const { sampleWeight, ...rest } = options ?? ({} as O & ComputeOptions);
    const metric = create(rest as O);
    metric.update(yTrue, yPred, sampleWeight);
    return metric.result();
  };
  return Object.assign(factory, { compute });
}
