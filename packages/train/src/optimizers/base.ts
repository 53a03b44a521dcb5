import { ConfigError, DTypeError, ShapeError, ValueError, formatShape, tf } from '@tensorloom/core';

import type { Schedule } from '../schedules/schedule.js';
import type { Optimizer, OptimizerState, ParamGroup } from './optimizer.js';
import { checkKnownOptions, checkLearningRate, checkNonNegative } from './validate.js';

/**
 * Options every optimizer takes.
 *
 * @example
 * ```ts
 * const options: BaseOptimizerOptions = { learningRate: 1e-3, weightDecay: 0.01, groups: noDecayGroups() };
 * ```
 */
export interface BaseOptimizerOptions {
  /** The learning rate, or a schedule of the optimizer step. Each optimizer states its default. */
  learningRate?: number | Schedule;
  /** Weight decay (each optimizer says whether it is an L2 term in the gradient or decoupled). */
  weightDecay?: number;
  /** Parameter groups with their own rate and decay; the first match wins. Default none. */
  groups?: ParamGroup[];
}

/** How a slot starts: zeros, a constant, or a copy of the parameter. */
export type SlotInit = 'zeros' | 'param' | number;

/** One slot's shape and initial value. */
export interface SlotSpec {
  shape: number[];
  init: SlotInit;
}

/** What {@link BaseOptimizer.update} gets for one parameter. */
export interface UpdateContext {
  path: string;
  param: tf.Variable;
  grad: tf.Tensor;
  slots: Record<string, tf.Variable>;
  /** This parameter's learning rate for this update (schedule × scale). */
  lr: number;
  /** This parameter's weight decay. */
  weightDecay: number;
  /** 1-based count of the updates this parameter has had, this one included. */
  step: number;
}

interface ResolvedGroup {
  match: (path: string) => boolean;
  learningRate: number | Schedule;
  weightDecay: number;
}

function rateConfig(rate: number | Schedule): unknown {
  return typeof rate === 'number' ? rate : rate.config;
}

const BASE_KEYS = ['learningRate', 'weightDecay', 'groups'] as const;

/**
 * The machinery every optimizer of this package shares: parameter groups, learning-rate schedules
 * and scale, slots keyed `<paramPath>/<slot>` created on a parameter's first update, per-parameter
 * step counts, strict state loading, and one `tf.tidy` per update. A subclass gives its slots and
 * its per-parameter update rule.
 *
 * @internal
 */
export abstract class BaseOptimizer implements Optimizer {
  readonly name: string;
  learningRateScale = 1;
  protected readonly learningRate: number | Schedule;
  protected readonly weightDecay: number;
  protected readonly groups: ResolvedGroup[];
  /** The optimizer's own hyperparameters, saved in the state's config (for the record). */
  protected readonly hyper: Record<string, unknown>;
  private iter = 0;
  private readonly slotVars = new Map<string, Record<string, tf.Variable>>();
  private readonly steps = new Map<string, number>();
  private readonly shapes = new Map<string, number[]>();
  private disposed = false;

  protected constructor(
    name: string,
    options: BaseOptimizerOptions & Record<string, unknown>,
    defaults: { learningRate: number | Schedule; weightDecay: number },
    hyper: Record<string, unknown>,
    ownKeys: readonly string[],
  ) {
    this.name = name;
    if (options === null || typeof options !== 'object') {
      throw new ConfigError(`Optimizer '${name}': options expected an object, got ${String(options)}`);
    }
    checkKnownOptions(name, options, [...BASE_KEYS, ...ownKeys]);
    this.learningRate = checkLearningRate(name, 'learningRate', options.learningRate ?? defaults.learningRate);
    this.weightDecay = checkNonNegative(name, 'weightDecay', options.weightDecay ?? defaults.weightDecay);
    const groups = options.groups ?? [];
    if (!Array.isArray(groups)) {
      throw new ConfigError(`Optimizer '${name}': groups expected an array of { match, learningRate?, weightDecay? }, got ${typeof groups}`);
    }
    this.groups = groups.map((g, i) => {
      const where = `groups[${i}]`;
      if (g === null || typeof g !== 'object') {
        throw new ConfigError(`Optimizer '${name}': ${where} expected { match, learningRate?, weightDecay? }, got ${String(g)}`);
      }
      checkKnownOptions(name, g, ['match', 'learningRate', 'weightDecay']);
      const { match } = g;
      let test: (path: string) => boolean;
      if (match instanceof RegExp) {
        // A global or sticky RegExp keeps lastIndex between calls; test a fresh copy each time.
        test = (path) => new RegExp(match.source, match.flags.replace(/[gy]/g, '')).test(path);
      } else if (typeof match === 'function') {
        test = match;
      } else {
        throw new ConfigError(`Optimizer '${name}': ${where}.match expected a RegExp or a function of the path, got ${typeof match}`);
      }
      return {
        match: test,
        learningRate: checkLearningRate(name, `${where}.learningRate`, g.learningRate ?? this.learningRate),
        weightDecay: checkNonNegative(name, `${where}.weightDecay`, g.weightDecay ?? this.weightDecay),
      };
    });
    this.hyper = hyper;
  }

  get iterations(): number {
    return this.iter;
  }

  currentLearningRate(): number {
    return this.rateAt(this.learningRate);
  }

  /** A rate (number or schedule) at the current step, times the scale. */
  protected rateAt(rate: number | Schedule): number {
    const base = typeof rate === 'number' ? rate : rate(this.iter);
    return base * this.learningRateScale;
  }

  /** The group settings for a path (the optimizer's own when no group matches). */
  protected groupOf(path: string): { learningRate: number | Schedule; weightDecay: number } {
    const i = this.groupIndex(path);
    return i < 0 ? { learningRate: this.learningRate, weightDecay: this.weightDecay } : this.groups[i];
  }

  /** The index of the first group matching a path, or −1. */
  protected groupIndex(path: string): number {
    return this.groups.findIndex((g) => g.match(path));
  }

  /** The slots a parameter of this path and shape has, with their shapes and initial values. */
  protected abstract slotSpecs(path: string, shape: number[]): Record<string, SlotSpec>;

  /** Updates `param` and its slots in place (with `assign`); runs inside the optimizer's tidy. */
  protected abstract update(ctx: UpdateContext): void;

  /** Called once per `apply`, inside the tidy, before any parameter is updated. */
  protected beforeApply(_params: Record<string, tf.Variable>, _paths: string[]): void {}

  apply(params: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>): void {
    this.checkAlive();
    const scale = this.learningRateScale;
    if (typeof scale !== 'number' || !Number.isFinite(scale) || scale < 0) {
      throw new ConfigError(`Optimizer '${this.name}': learningRateScale expected a finite number ≥ 0, got ${String(scale)}`);
    }
    // Check everything before touching anything: bad input leaves no half update.
    const paths: string[] = [];
    for (const [path, grad] of Object.entries(grads)) {
      const param = params[path];
      if (param === undefined) {
        throw new ValueError(
          `Optimizer '${this.name}': grads expected only paths of params, got '${path}' which is not a parameter`,
          { help: `params has ${Object.keys(params).slice(0, 8).join(', ')}${Object.keys(params).length > 8 ? ', …' : ''}` },
        );
      }
      if (!tf.util.arraysEqual(grad.shape, param.shape)) {
        throw new ShapeError(
          `Optimizer '${this.name}': grads['${path}'] expected shape ${formatShape(param.shape)}, got ${formatShape(grad.shape)}`,
        );
      }
      if (param.dtype !== 'float32') {
        throw new DTypeError(`Optimizer '${this.name}': params['${path}'] expected dtype float32, got ${param.dtype}`);
      }
      const known = this.shapes.get(path);
      if (known !== undefined && !tf.util.arraysEqual(known, param.shape)) {
        throw new ShapeError(
          `Optimizer '${this.name}': params['${path}'] expected shape ${formatShape(known)} (its optimizer state's), got ${formatShape(param.shape)}`,
        );
      }
      paths.push(path);
    }
    tf.tidy(() => {
      this.beforeApply(params, paths);
      for (const path of paths) {
        const param = params[path];
        const grad = grads[path];
        const slots = this.slotsFor(path, param);
        const step = (this.steps.get(path) ?? 0) + 1;
        const group = this.groupOf(path);
        this.update({ path, param, grad, slots, lr: this.rateAt(group.learningRate), weightDecay: group.weightDecay, step });
        this.steps.set(path, step);
      }
    });
    this.iter += 1;
  }

  /** The slots of a parameter already updated at least once, or undefined. */
  protected slotsOf(path: string): Record<string, tf.Variable> | undefined {
    return this.slotVars.get(path);
  }

  private slotsFor(path: string, param: tf.Variable): Record<string, tf.Variable> {
    let slots = this.slotVars.get(path);
    if (slots === undefined) {
      slots = {};
      for (const [slot, spec] of Object.entries(this.slotSpecs(path, param.shape))) {
        const init =
          spec.init === 'param' ? param.clone() : spec.init === 'zeros' ? tf.zeros(spec.shape) : tf.fill(spec.shape, spec.init);
        slots[slot] = tf.variable(init, false);
        init.dispose();
      }
      this.slotVars.set(path, slots);
      this.shapes.set(path, [...param.shape]);
    }
    return slots;
  }

  /** The extra JSON state a subclass keeps (beyond slots and step counts). */
  protected extraState(): Record<string, unknown> {
    return {};
  }

  /** Restores what {@link BaseOptimizer.extraState} gave; checks before it changes anything. */
  protected loadExtraState(_extra: Record<string, unknown>): () => void {
    return () => {};
  }

  getState(): OptimizerState {
    this.checkAlive();
    const tensors: Record<string, tf.Tensor> = {};
    const params: Record<string, { step: number; shape: number[] }> = {};
    for (const [path, slots] of this.slotVars) {
      for (const [slot, v] of Object.entries(slots)) tensors[`${path}/${slot}`] = v.clone();
      params[path] = { step: this.steps.get(path) ?? 0, shape: this.shapes.get(path) ?? [] };
    }
    return {
      tensors,
      config: {
        name: this.name,
        iterations: this.iter,
        learningRateScale: this.learningRateScale,
        learningRate: rateConfig(this.learningRate),
        weightDecay: this.weightDecay,
        groups: this.groups.map((g) => ({ learningRate: rateConfig(g.learningRate), weightDecay: g.weightDecay })),
        hyper: this.hyper,
        params,
        extra: this.extraState(),
      },
    };
  }

  setState(state: OptimizerState, options: { strict?: boolean } = {}): void {
    this.checkAlive();
    const strict = options.strict ?? true;
    const where = `Optimizer '${this.name}': setState`;
    if (state === null || typeof state !== 'object' || typeof state.config !== 'object' || typeof state.tensors !== 'object') {
      throw new ValueError(`${where} expected { tensors, config } from getState(), got ${String(state)}`);
    }
    const { config, tensors } = state;
    if (config.name !== this.name) {
      throw new ValueError(`${where}: config.name expected '${this.name}', got ${JSON.stringify(config.name)}`);
    }
    const iterations = config.iterations;
    if (typeof iterations !== 'number' || !Number.isInteger(iterations) || iterations < 0) {
      throw new ValueError(`${where}: config.iterations expected an integer ≥ 0, got ${JSON.stringify(iterations)}`);
    }
    const scale = config.learningRateScale ?? 1;
    if (typeof scale !== 'number' || !Number.isFinite(scale) || scale < 0) {
      throw new ValueError(`${where}: config.learningRateScale expected a finite number ≥ 0, got ${JSON.stringify(scale)}`);
    }
    const savedGroups = config.groups;
    if (Array.isArray(savedGroups) && savedGroups.length !== this.groups.length && strict) {
      throw new ValueError(`${where}: config.groups expected ${this.groups.length} groups (as this optimizer has), got ${savedGroups.length}`);
    }
    const params = (config.params ?? {}) as Record<string, { step?: unknown; shape?: unknown }>;
    if (typeof params !== 'object') {
      throw new ValueError(`${where}: config.params expected a record of { step, shape }, got ${typeof params}`);
    }
    // Work out the expected entries from the saved parameter list, then compare.
    const expected = new Map<string, { path: string; slot: string; spec: SlotSpec }>();
    const loadedSteps = new Map<string, number>();
    const loadedShapes = new Map<string, number[]>();
    for (const [path, info] of Object.entries(params)) {
      const { step, shape } = info ?? {};
      if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) {
        throw new ValueError(`${where}: config.params['${path}'].step expected an integer ≥ 0, got ${JSON.stringify(step)}`);
      }
      if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
        throw new ValueError(`${where}: config.params['${path}'].shape expected a list of sizes, got ${JSON.stringify(shape)}`);
      }
      loadedSteps.set(path, step);
      loadedShapes.set(path, shape as number[]);
      for (const [slot, spec] of Object.entries(this.slotSpecs(path, shape as number[]))) {
        expected.set(`${path}/${slot}`, { path, slot, spec });
      }
    }
    const missing = [...expected.keys()].filter((k) => !(k in tensors));
    const extra = Object.keys(tensors).filter((k) => !expected.has(k));
    const dropped = [...this.slotVars.keys()].filter((p) => !loadedSteps.has(p));
    if (strict && (missing.length > 0 || extra.length > 0 || dropped.length > 0)) {
      const parts: string[] = [];
      if (missing.length > 0) parts.push(`missing ${list(missing)}`);
      if (extra.length > 0) parts.push(`unexpected ${list(extra)}`);
      if (dropped.length > 0) parts.push(`no state for parameters this optimizer already updates: ${list(dropped)}`);
      throw new ValueError(`${where} expected exactly the slots of the saved parameters, got ${parts.join('; ')}`, {
        help: 'pass { strict: false } to load what matches and start the rest afresh',
      });
    }
    for (const [key, { spec }] of expected) {
      const t = tensors[key];
      if (t === undefined) continue;
      if (!tf.util.arraysEqual(t.shape, spec.shape)) {
        throw new ShapeError(`${where}: tensors['${key}'] expected shape ${formatShape(spec.shape)}, got ${formatShape(t.shape)}`);
      }
      if (t.dtype !== 'float32') {
        throw new DTypeError(`${where}: tensors['${key}'] expected dtype float32, got ${t.dtype}`);
      }
    }
    const commitExtra = this.loadExtraState((config.extra ?? {}) as Record<string, unknown>);
    // Everything checked: replace the state.
    const next = new Map<string, Record<string, tf.Variable>>();
    const nextSteps = new Map<string, number>();
    const nextShapes = new Map<string, number[]>();
    for (const path of loadedSteps.keys()) {
      const specs = this.slotSpecs(path, loadedShapes.get(path) ?? []);
      const names = Object.keys(specs);
      // Non-strict: a parameter with any slot missing starts afresh.
      if (!names.every((s) => `${path}/${s}` in tensors)) continue;
      const slots: Record<string, tf.Variable> = {};
      for (const s of names) slots[s] = tf.variable(tensors[`${path}/${s}`], false);
      next.set(path, slots);
      nextSteps.set(path, loadedSteps.get(path) ?? 0);
      nextShapes.set(path, loadedShapes.get(path) ?? []);
    }
    this.disposeSlots();
    for (const [p, s] of next) this.slotVars.set(p, s);
    for (const [p, s] of nextSteps) this.steps.set(p, s);
    for (const [p, s] of nextShapes) this.shapes.set(p, s);
    this.iter = iterations;
    this.learningRateScale = scale;
    commitExtra();
  }

  private disposeSlots(): void {
    for (const slots of this.slotVars.values()) for (const v of Object.values(slots)) v.dispose();
    this.slotVars.clear();
    this.steps.clear();
    this.shapes.clear();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposeSlots();
    this.disposed = true;
  }

  private checkAlive(): void {
    if (this.disposed) throw new ValueError(`Optimizer '${this.name}': expected a live optimizer, got one already disposed`);
  }
}

function list(keys: string[]): string {
  const shown = keys.slice(0, 6).map((k) => `'${k}'`).join(', ');
  return keys.length > 6 ? `${shown} and ${keys.length - 6} more` : shown;
}
