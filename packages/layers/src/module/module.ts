import { ConfigError, ShapeError, checkTensorMap, formatShape, rng as makeRng, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import { getInitializer } from '../initializers/initializers.js';
import type { InitializerLike } from '../initializers/initializers.js';
import type { Constraint, Regularizer } from '../regularizers/regularizers.js';
import { formatSummary } from './summary.js';

/**
 * A shape with an unknown batch (or other) dimension written as `null`: `[null, 28, 28, 1]`.
 *
 * @example
 * ```ts
 * const input: Shape = [null, 784];
 * ```
 */
export type Shape = readonly (number | null)[];

/**
 * What a module takes or returns: one tensor, a list, or a record of named tensors.
 *
 * @example
 * ```ts
 * const pair: TensorTree = [query, value];
 * ```
 */
export type TensorTree = tf.Tensor | readonly tf.Tensor[] | { readonly [name: string]: tf.Tensor };

/**
 * The shape counterpart of a {@link TensorTree}: `Shape` for a tensor, `Shape[]` for a list,
 * a record of shapes for a record.
 *
 * @example
 * ```ts
 * const s: ShapeOf<[tf.Tensor, tf.Tensor]> = [[null, 8], [null, 8]];
 * ```
 */
export type ShapeOf<T> = T extends tf.Tensor
  ? Shape
  : T extends readonly tf.Tensor[]
    ? Shape[]
    : { [K in keyof T]: ShapeOf<T[K]> };

/**
 * Options of {@link Module.apply}.
 *
 * @example
 * ```ts
 * model.apply(x, { training: true });
 * ```
 */
export interface ApplyOptions {
  /** Training mode: dropout and noise active, batch norm uses batch statistics. Default `false`. */
  training?: boolean;
  /** A boolean mask of valid positions (e.g. `[batch, time]` for sequences), or `null`. */
  mask?: tf.Tensor | null;
}

/**
 * Options of {@link Module.addParameter}.
 *
 * @example
 * ```ts
 * this.addParameter('kernel', [784, 10], 'glorotUniform', { regularizer: l2(1e-4) });
 * ```
 */
export interface ParameterOptions {
  /** A penalty added to the training loss by {@link Module.regularizationLoss}. */
  regularizer?: Regularizer | null;
  /** A projection applied after each optimizer step by {@link Module.applyConstraints}. */
  constraint?: Constraint | null;
  /** Whether the optimizer updates it. Default `true`. */
  trainable?: boolean;
}

/**
 * Common configuration of every module.
 *
 * @example
 * ```ts
 * new Dense({ units: 10, name: 'fc1' });
 * ```
 */
export interface ModuleConfig {
  /** The module's name; its key in a container and in checkpoints. Default: snake_case of the class. */
  name?: string;
}

/**
 * Scalar counts of a module's parameters and state, as in Keras' summary.
 *
 * @example
 * ```ts
 * const { trainable, total } = model.countParams();
 * ```
 */
export interface ParamCounts {
  /** Scalars the optimizer updates. */
  trainable: number;
  /** Frozen parameters plus state (running statistics). */
  nonTrainable: number;
  /** `trainable + nonTrainable`. */
  total: number;
}

interface ParameterEntry {
  variable: tf.Variable;
  regularizer: Regularizer | null;
  constraint: Constraint | null;
}

/**
 * The default module name for a class: `Conv2D` → `conv2d`, `MaxPool2D` → `max_pool2d`,
 * `Conv2DTranspose` → `conv2d_transpose`, `SimpleRNN` → `simple_rnn`.
 *
 * @example
 * ```ts
 * defaultName('GlobalAvgPool1D'); // 'global_avg_pool1d'
 * ```
 */
export function defaultName(className: string): string {
  return className
    .replace(/(\d)D/g, '$1d')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

function shapesOf(x: unknown): unknown {
  if (x instanceof tf.Tensor) return x.shape;
  if (Array.isArray(x)) return x.map(shapesOf);
  if (x !== null && typeof x === 'object') {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, shapesOf(v)]));
  }
  return undefined;
}

function isShape(x: unknown): x is (number | null)[] {
  return Array.isArray(x) && x.every((d) => d === null || typeof d === 'number');
}

function zerosLike(shape: unknown): unknown {
  if (isShape(shape)) {
    return tf.zeros((shape as (number | null)[]).map((d) => d ?? 1));
  }
  if (Array.isArray(shape)) return shape.map(zerosLike);
  return Object.fromEntries(Object.entries(shape as object).map(([k, v]) => [k, zerosLike(v)]));
}

function withBatch(shape: unknown, batch: number | null): unknown {
  if (isShape(shape)) {
    return shape.length === 0 ? shape : [batch, ...shape.slice(1)];
  }
  if (Array.isArray(shape)) return shape.map((s) => withBatch(s, batch));
  return Object.fromEntries(Object.entries(shape as object).map(([k, v]) => [k, withBatch(v, batch)]));
}

function batchOf(shape: unknown): number | null | undefined {
  if (isShape(shape)) return shape[0] ?? null;
  if (Array.isArray(shape)) return batchOf(shape[0]);
  if (shape !== null && typeof shape === 'object') return batchOf(Object.values(shape)[0]);
  return undefined;
}

/**
 * The base of every layer and model: owns trainable parameters and non-trainable state,
 * addressed by stable dotted names (`block1.conv.kernel`), and child modules.
 *
 * Subclass it and implement {@link Module.call}, as `forward` in PyTorch. Register children
 * with {@link Module.addModule} in the constructor and parameters with
 * {@link Module.addParameter} in {@link Module.onBuild}. A module builds itself on its first
 * {@link Module.apply} (with seed 0 unless {@link Module.build} was given an `Rng`); each
 * parameter is initialised from `rng.fold(<its name>)`, so adding a layer does not change
 * the initial weights of the others.
 *
 * @typeParam I - what `apply` takes: a tensor, a list or a record of tensors ({@link TensorTree}).
 * @typeParam O - what `apply` returns, likewise (a record may be an interface, e.g.
 *   `{ output: tf.Tensor; scores: tf.Tensor | null }`).
 * @example
 * ```ts
 * class Residual extends Module {
 *   conv1 = this.addModule('conv1', new Conv2D({ filters: 8, kernelSize: 3, padding: 'same' }));
 *   conv2 = this.addModule('conv2', new Conv2D({ filters: 8, kernelSize: 3, padding: 'same' }));
 *   protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
 *     const h = tf.relu(this.conv1.apply(x, options));
 *     return tf.add(x, this.conv2.apply(h, options));
 *   }
 * }
 * const block = new Residual().build([null, 16, 16, 8], rng(1));
 * ```
 */
export abstract class Module<I = tf.Tensor, O = tf.Tensor> {
  /** The module's name: its key in a container and in checkpoints. */
  readonly name: string;
  private readonly parameterEntries = new Map<string, ParameterEntry>();
  private readonly stateEntries = new Map<string, tf.Variable>();
  private readonly children = new Map<string, Module<TensorTree, TensorTree>>();
  private parent: Module<TensorTree, TensorTree> | null = null;
  private buildRng: Rng | null = null;
  private callStream: Rng | null = null;
  private isBuilt = false;
  private building = false;
  /** Input shape given to build (batch kept as given), for summaries. */
  protected builtInputShape: unknown = null;
  /** Output shape of the last apply or of build, batch as `null`, for summaries. */
  private lastOutputShape: unknown = null;

  constructor(config: ModuleConfig = {}) {
    const name = config.name ?? defaultName(this.constructor.name);
    if (!/^[A-Za-z0-9_-]+$/.test(name)) {
      throw new ConfigError(`${this.constructor.name}: name expected letters, digits, '_' or '-', got '${name}'`, {
        help: "names become checkpoint keys joined by '.', so they cannot contain '.'",
      });
    }
    this.name = name;
  }

  /** The class name used in messages and summaries (`Dense`, `Conv2D`, ...). */
  get className(): string {
    return this.constructor.name;
  }

  /** How this module names itself in error messages: `Dense 'fc1'`. */
  get label(): string {
    return `${this.className} '${this.name}'`;
  }

  /** Whether the parameters exist. */
  get built(): boolean {
    return this.isBuilt;
  }

  // ---------------------------------------------------------------- registration

  /**
   * Registers a child module under `name`; its parameters appear as `name.<param>`.
   *
   * @throws ConfigError when the name is taken or the child already has a parent.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected addModule<M extends Module<any, any>>(name: string, module: M): M {
    if (this.children.has(name) || this.parameterEntries.has(name) || this.stateEntries.has(name)) {
      throw new ConfigError(`${this.label}: child name '${name}' is already used`);
    }
    const child = module as unknown as Module<TensorTree, TensorTree>;
    if (child.parent !== null) {
      throw new ConfigError(`${this.label}: module ${child.label} already belongs to ${child.parent.label}`, {
        help: 'a module instance can have one parent; share weights by calling the same child twice instead',
      });
    }
    child.parent = this as unknown as Module<TensorTree, TensorTree>;
    this.children.set(name, child);
    return module;
  }

  /**
   * Creates a parameter (a tfjs Variable) named `name`, initialised from this module's
   * `Rng` folded with the name. Call it from {@link Module.onBuild}.
   *
   * @param name - the local name (`kernel`, `bias`).
   * @param shape - the parameter's shape.
   * @param initializer - a name (`'glorotUniform'`) or an initializer function.
   */
  protected addParameter(
    name: string,
    shape: readonly number[],
    initializer: InitializerLike,
    options: ParameterOptions = {},
  ): tf.Variable {
    if (this.parameterEntries.has(name) || this.stateEntries.has(name) || this.children.has(name)) {
      throw new ConfigError(`${this.label}: parameter name '${name}' is already used`);
    }
    const value = getInitializer(initializer)(shape, this.rngForBuild().fold(name));
    const variable = tf.variable(value, options.trainable ?? true);
    value.dispose();
    this.parameterEntries.set(name, {
      variable,
      regularizer: options.regularizer ?? null,
      constraint: options.constraint ?? null,
    });
    return variable;
  }

  /**
   * Creates a non-trainable state variable (e.g. batch-norm running mean): either a copy of
   * `value` (the caller keeps ownership of `value`), or `shape` filled by `initializer`.
   * State appears in {@link Module.buffers} and {@link Module.state}, never among the
   * parameters, and freezing does not touch it.
   */
  protected addState(name: string, value: tf.Tensor): tf.Variable;
  protected addState(name: string, shape: readonly number[], initializer: InitializerLike): tf.Variable;
  protected addState(name: string, valueOrShape: tf.Tensor | readonly number[], initializer?: InitializerLike): tf.Variable {
    if (this.parameterEntries.has(name) || this.stateEntries.has(name) || this.children.has(name)) {
      throw new ConfigError(`${this.label}: state name '${name}' is already used`);
    }
    let variable: tf.Variable;
    if (valueOrShape instanceof tf.Tensor) {
      variable = tf.variable(valueOrShape, false);
    } else {
      const value = getInitializer(initializer ?? 'zeros')(valueOrShape, this.rngForBuild().fold(name));
      variable = tf.variable(value, false);
      value.dispose();
    }
    this.stateEntries.set(name, variable);
    return variable;
  }

  /** The Rng this module builds with; children get it folded with their name. */
  protected rngForBuild(): Rng {
    if (this.buildRng === null) {
      this.buildRng = this.parent !== null ? this.parent.childRng(this as unknown as Module<TensorTree, TensorTree>) : makeRng(0);
    }
    return this.buildRng;
  }

  /**
   * A fresh `Rng` for one call's randomness (dropout masks, noise). It comes from a stream
   * seeded by this module's build `Rng` and advanced on every call, so a run with the same
   * seed repeats exactly, and two modules never share masks.
   */
  protected nextRng(): Rng {
    this.callStream ??= this.rngForBuild().fold('__calls__');
    return this.callStream.split();
  }

  private childRng(child: Module<TensorTree, TensorTree>): Rng {
    for (const [key, c] of this.children) if (c === child) return this.rngForBuild().fold(key);
    return this.rngForBuild().fold(child.name);
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Creates the parameters for inputs of `inputShape`. Idempotent.
   *
   * @param inputShape - the input shape, batch usually `null`.
   * @param rng - the generator parameters are drawn from; default: the parent's folded with
   *   this module's name, or `rng(0)` for a root module.
   * @returns this module, for chaining.
   * @example
   * ```ts
   * const model = new Sequential([new Dense({ units: 10 })]).build([null, 784], rng(42));
   * ```
   */
  build(inputShape: ShapeOf<I>, rng?: Rng): this {
    if (this.isBuilt) return this;
    if (this.building) throw new ConfigError(`${this.label}: build was re-entered; does call() apply this module to itself?`);
    if (rng !== undefined) this.buildRng = rng;
    this.building = true;
    try {
      this.builtInputShape = inputShape;
      this.onBuild(inputShape);
      this.isBuilt = true;
      if (this.lastOutputShape === null) {
        this.lastOutputShape = withBatch(this.outputShape(inputShape), null);
      }
    } finally {
      this.building = false;
    }
    return this;
  }

  /**
   * Creates parameters and builds children. The default runs {@link Module.call} once on
   * zeros of `inputShape` (unknown sizes as 1), which builds every child with its real input
   * shape; layers with parameters override it and create them directly.
   */
  protected onBuild(inputShape: ShapeOf<I>): void {
    tf.tidy(() => {
      const out = this.call(zerosLike(inputShape) as I, { training: false });
      this.lastOutputShape = withBatch(shapesOf(out), batchOf(inputShape) ?? null);
      return undefined;
    });
  }

  /**
   * Runs the module: builds it on first use, then calls {@link Module.call}.
   *
   * @param input - the input tensor(s).
   * @param options - training mode and mask.
   * @returns the output tensor(s), owned by the caller.
   * @example
   * ```ts
   * const logits = model.apply(images, { training: true });
   * ```
   */
  apply(input: I, options: ApplyOptions = {}): O {
    if (!this.isBuilt) this.build(shapesOf(input) as ShapeOf<I>);
    const out = this.call(input, options);
    if (this.lastOutputShape === null) this.lastOutputShape = withBatch(shapesOf(out), null);
    return out;
  }

  /** The forward computation. Implement it in subclasses; callers use {@link Module.apply}. */
  protected abstract call(input: I, options: ApplyOptions): O;

  /**
   * The output shape for an input shape, without computing anything heavy. Layers override
   * it with a pure shape function; the default runs the module once on zeros.
   *
   * @example
   * ```ts
   * new Dense({ units: 10 }).outputShape([null, 784]); // [null, 10]
   * ```
   */
  outputShape(inputShape: ShapeOf<I>): ShapeOf<O> {
    if (!this.isBuilt) this.build(inputShape);
    let shape: unknown;
    tf.tidy(() => {
      const out = this.call(zerosLike(inputShape) as I, { training: false });
      shape = withBatch(shapesOf(out), batchOf(inputShape) ?? null);
    });
    return shape as ShapeOf<O>;
  }

  /**
   * The mask of this module's output given its input and input mask. The default passes
   * the input mask through unchanged; layers that create masks (Embedding) or consume them
   * (RNNs without `returnSequences`) override it.
   */
  computeMask(_input: I, mask: tf.Tensor | null): tf.Tensor | null {
    return mask;
  }

  // ---------------------------------------------------------------- traversal

  /**
   * Every module in the tree with its dotted path, this one first (path `''`).
   *
   * @example
   * ```ts
   * for (const [path, m] of model.modules()) console.log(path, m.className);
   * ```
   */
  *modules(prefix = ''): Generator<[string, Module<TensorTree, TensorTree>]> {
    yield [prefix, this as unknown as Module<TensorTree, TensorTree>];
    for (const [key, child] of this.children) yield* child.modules(prefix === '' ? key : `${prefix}.${key}`);
  }

  /**
   * The direct children by key.
   *
   * @example
   * ```ts
   * [...model.namedChildren().keys()]; // ['conv2d', 'flatten', 'dense']
   * ```
   */
  namedChildren(): Map<string, Module<TensorTree, TensorTree>> {
    return new Map(this.children);
  }

  private *entries(): Generator<[string, ParameterEntry]> {
    for (const [path, m] of this.modules()) {
      for (const [name, e] of m.parameterEntries) yield [path === '' ? name : `${path}.${name}`, e];
    }
  }

  /**
   * Every parameter (trainable or frozen) by dotted name.
   *
   * @example
   * ```ts
   * Object.keys(model.parameters()); // ['conv1.kernel', 'conv1.bias', 'fc.kernel', 'fc.bias']
   * ```
   */
  parameters(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    for (const [name, e] of this.entries()) out[name] = e.variable;
    return out;
  }

  /**
   * The parameters an optimizer should update (not frozen), by dotted name.
   *
   * @example
   * ```ts
   * const vars = Object.values(model.trainableParameters());
   * ```
   */
  trainableParameters(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    for (const [name, e] of this.entries()) if (e.variable.trainable) out[name] = e.variable;
    return out;
  }

  /**
   * Non-trainable state (batch-norm running statistics, ...) by dotted name.
   *
   * @example
   * ```ts
   * Object.keys(bn.buffers()); // ['movingMean', 'movingVariance']
   * ```
   */
  buffers(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    for (const [path, m] of this.modules()) {
      for (const [name, v] of m.stateEntries) out[path === '' ? name : `${path}.${name}`] = v;
    }
    return out;
  }

  /**
   * Everything needed to restore the module: parameters and buffers by dotted name. The
   * values are the live variables (not copies); write them with core's `writeSafetensors`.
   *
   * @example
   * ```ts
   * const bytes = writeSafetensors(model.state());
   * ```
   */
  state(): Record<string, tf.Variable> {
    return { ...this.parameters(), ...this.buffers() };
  }

  /**
   * Copies values into the parameters and buffers. Strict: a missing, extra or misshapen
   * entry is an error naming it, and nothing is assigned in that case.
   *
   * @param values - tensors by dotted name (not disposed).
   * @throws ShapeError / DTypeError naming the entry.
   * @example
   * ```ts
   * const { tensors } = readSafetensors(bytes);
   * model.loadState(tensors);
   * ```
   */
  loadState(values: Record<string, tf.Tensor>): void {
    if (!this.isBuilt) {
      throw new ConfigError(`${this.label}: loadState needs a built module`, {
        help: 'call build(inputShape) first, so the parameters exist',
      });
    }
    const target = this.state();
    const expected = Object.fromEntries(Object.entries(target).map(([k, v]) => [k, { shape: v.shape, dtype: v.dtype }]));
    const actual = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { shape: v.shape, dtype: v.dtype }]));
    checkTensorMap(`${this.label}: loadState`, actual, expected);
    for (const [name, v] of Object.entries(values)) {
      // Loading a module's own state into itself is a no-op; assigning a variable its own
      // value through `assign` would dispose the data it is about to read.
      if (v !== target[name]) target[name]!.assign(v);
    }
  }

  /**
   * Stops the optimizer from updating every parameter in this subtree (transfer learning).
   *
   * @example
   * ```ts
   * backbone.freeze();
   * ```
   */
  freeze(): this {
    for (const [, e] of this.entries()) e.variable.trainable = false;
    return this;
  }

  /**
   * Makes every parameter in this subtree trainable again.
   *
   * @example
   * ```ts
   * backbone.unfreeze();
   * ```
   */
  unfreeze(): this {
    for (const [, e] of this.entries()) e.variable.trainable = true;
    return this;
  }

  /**
   * The sum of the regularizer penalties of the trainable parameters (a scalar; zero when
   * there are none). Frozen parameters are left out: their penalty is a constant that
   * cannot change. A training loop adds it to the loss inside the gradient function.
   *
   * @example
   * ```ts
   * const total = tf.add(loss, model.regularizationLoss());
   * ```
   */
  regularizationLoss(): tf.Scalar {
    return tf.tidy(() => {
      let total: tf.Scalar = tf.scalar(0);
      for (const [, e] of this.entries()) {
        if (e.regularizer !== null && e.variable.trainable) total = tf.add(total, e.regularizer(e.variable));
      }
      return total;
    });
  }

  /**
   * Projects every constrained parameter (maxNorm, nonNeg, unitNorm); call it after each
   * optimizer step.
   *
   * @example
   * ```ts
   * optimizer.applyGradients(grads); model.applyConstraints();
   * ```
   */
  applyConstraints(): void {
    for (const [, e] of this.entries()) {
      if (e.constraint !== null) {
        const projected = tf.tidy(() => e.constraint!(e.variable));
        e.variable.assign(projected);
        projected.dispose();
      }
    }
  }

  /**
   * The number of scalars in parameters (trainable and frozen) and buffers.
   *
   * @example
   * ```ts
   * new Dense({ units: 10 }).build([null, 784]).countParams(); // { trainable: 7850, nonTrainable: 0, total: 7850 }
   * ```
   */
  countParams(): ParamCounts {
    let trainable = 0;
    let nonTrainable = 0;
    for (const [, e] of this.entries()) {
      if (e.variable.trainable) trainable += e.variable.size;
      else nonTrainable += e.variable.size;
    }
    for (const v of Object.values(this.buffers())) nonTrainable += v.size;
    return { trainable, nonTrainable, total: trainable + nonTrainable };
  }

  /** The output shape recorded at build or at the last apply (batch as `null`), or `null`. */
  get recordedOutputShape(): unknown {
    return this.lastOutputShape;
  }

  /**
   * A table of the direct children: name (type), output shape and parameter count, with
   * totals of trainable and non-trainable (frozen and buffer) scalars.
   *
   * @param inputShape - builds the module first when it is not built yet.
   * @example
   * ```ts
   * console.log(model.summary([null, 28, 28, 1]));
   * ```
   */
  summary(inputShape?: ShapeOf<I>): string {
    if (!this.isBuilt) {
      if (inputShape === undefined) {
        throw new ConfigError(`${this.label}: summary needs a built module or an input shape`);
      }
      this.build(inputShape);
    }
    const rows = [...this.children].map(([key, child]) => ({
      name: `${key} (${child.className})`,
      outputShape: child.lastOutputShape,
      params: child.countParams().total,
    }));
    const counts = this.countParams();
    return formatSummary(`${this.label}`, rows, counts, this.lastOutputShape);
  }

  /**
   * Disposes every parameter and buffer in the tree. The module cannot be used afterwards.
   *
   * @example
   * ```ts
   * model.dispose();
   * ```
   */
  dispose(): void {
    for (const [, m] of this.modules()) {
      for (const e of m.parameterEntries.values()) e.variable.dispose();
      for (const v of m.stateEntries.values()) v.dispose();
      m.parameterEntries.clear();
      m.stateEntries.clear();
      m.isBuilt = false;
    }
  }

  /**
   * Throws a ShapeError when `shape` (a built input shape) and `actual` differ in a fixed
   * non-batch dimension: layers call it from `call` to reject inputs unlike the built one.
   */
  protected checkInputMatchesBuild(arg: string, built: Shape, actual: readonly number[]): void {
    if (built.length !== actual.length) {
      throw new ShapeError(`${this.label}: ${arg} expected rank ${built.length} like ${formatShape(built)}, got ${formatShape(actual)}`);
    }
    for (let axis = 1; axis < built.length; axis++) {
      const want = built[axis];
      if (want !== null && want !== undefined && want !== actual[axis]) {
        throw new ShapeError(`${this.label}: ${arg} axis ${axis} expected ${want}, got shape ${formatShape(actual)}`);
      }
    }
  }
}
