import { ConfigError, Rng, ShapeError, ValueError, checkTensorMap, formatShape, rng as makeRng, tf } from '@tensorloom/core';
import { getInitializer } from '../initializers/initializers.js';
import type { InitializerLike } from '../initializers/initializers.js';
import type { Constraint, Regularizer } from '../regularizers/regularizers.js';
import { disposeCreated, prepareInput } from './input.js';
import { formatSummary } from './summary.js';

/**
 * A shape with an unknown batch (or other) dimension written as `null`: `[null, 28, 28, 1]`.
 *
 * @example
 * ```ts
 * const input: Shape = [null, 784];
 * ```
 *
 * @group Modules
 */
export type Shape = readonly (number | null)[];

/**
 * What a module takes or returns: one tensor, a list, or a record of named tensors.
 *
 * @example
 * ```ts
 * const pair: TensorTree = [query, value];
 * ```
 *
 * @group Modules
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
 *
 * @group Modules
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
 *
 * @group Modules
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
 *
 * @group Modules
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
 *
 * @group Modules
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
 *
 * @group Modules
 */
export interface ParamCounts {
  /** Scalars the optimizer updates. */
  trainable: number;
  /** Frozen parameters plus state (running statistics). */
  nonTrainable: number;
  /** `trainable + nonTrainable`. */
  total: number;
}

/**
 * Options of {@link Module.loadState}.
 *
 * @example
 * ```ts
 * model.loadState(tensors, { strict: false, prefix: 'backbone.', rename: { 'fc.kernel': 'head.kernel' } });
 * ```
 *
 * @group Modules
 */
export interface LoadStateOptions {
  /**
   * All-or-nothing (default `true`): a missing, extra or misshapen entry is an error and
   * nothing is assigned. With `false`, every entry whose name and shape match is loaded and
   * the rest is reported.
   */
  strict?: boolean;
  /** Only source names that start with it are used, with it removed (`'backbone.'`). Default `''`. */
  prefix?: string;
  /**
   * Renames source names (after the prefix is removed) to this module's names: a record
   * (names it lacks stay as they are) or a function returning the new name, or `null` to skip the entry.
   */
  rename?: Readonly<Record<string, string>> | ((name: string) => string | null);
}

/**
 * What {@link Module.loadState} did: names are this module's dotted names (after prefix and rename).
 *
 * @example
 * ```ts
 * const { loaded, missing } = model.loadState(tensors, { strict: false });
 * ```
 *
 * @group Modules
 */
export interface LoadReport {
  /** Entries assigned. */
  loaded: string[];
  /** This module's entries that the map did not provide (left unchanged). */
  missing: string[];
  /** Map entries this module has no entry for (ignored). */
  unexpected: string[];
  /** Entries present on both sides whose shape or dtype differ (left unchanged). */
  shapeMismatched: ShapeMismatch[];
}

/**
 * One misshapen entry of a {@link LoadReport}.
 *
 * @example
 * ```ts
 * const m: ShapeMismatch = { name: 'fc.kernel', expected: [512, 10], actual: [512, 1000], expectedDtype: 'float32', actualDtype: 'float32' };
 * ```
 *
 * @group Modules
 */
export interface ShapeMismatch {
  /** The module's dotted name of the entry. */
  name: string;
  /** This module's shape. */
  expected: number[];
  /** The shape in the map. */
  actual: number[];
  /** This module's dtype. */
  expectedDtype: string;
  /** The dtype in the map. */
  actualDtype: string;
}

/**
 * Which parameters {@link Module.freeze} and {@link Module.unfreeze} touch: a dotted module
 * path (`'layer4'`) or a list of them, every module up to and including one in traversal
 * order (`{ upTo: 'layer3' }`), or a predicate over dotted parameter names.
 *
 * @example
 * ```ts
 * model.freeze({ upTo: 'layer3' });
 * model.freeze((name) => name.startsWith('stem.'));
 * ```
 *
 * @group Modules
 */
export type FreezeSelector =
  | string
  | readonly string[]
  | FreezeUpTo
  | ((name: string, variable: tf.Variable) => boolean);

/**
 * The `{ upTo }` form of a {@link FreezeSelector}.
 *
 * @example
 * ```ts
 * const upTo: FreezeUpTo = { upTo: 'layer3' };
 * ```
 *
 * @group Modules
 */
export interface FreezeUpTo {
  /** The dotted path of the last module frozen; every module visited before it (and its subtree) is frozen too. */
  readonly upTo: string;
}

/**
 * One entry of {@link Module.parameterShapes}.
 *
 * @example
 * ```ts
 * const { shape, trainable, kind } = model.parameterShapes([null, 224, 224, 3])['conv1.kernel']!;
 * ```
 *
 * @group Modules
 */
export interface ParameterShape {
  /** The entry's shape. */
  shape: number[];
  /** Whether an optimizer updates it (`false` for state). */
  trainable: boolean;
  /** A parameter or non-trainable state (running statistics). */
  kind: 'parameter' | 'state';
}

/**
 * Depth of nested shape-only builds: while positive, `addParameter` and `addState` record
 * shapes in placeholders instead of allocating tensors.
 */
let shapeOnlyDepth = 0;

/** A stand-in for a variable in a shape-only build: shape, size, dtype and trainability only. */
function placeholderVariable(shape: readonly number[], trainable: boolean): tf.Variable {
  const dims = [...shape];
  return { shape: dims, rank: dims.length, size: dims.reduce((a, b) => a * b, 1), dtype: 'float32', trainable, isDisposed: true } as unknown as tf.Variable;
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
 *
 * @group Modules
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
 *
 * @group Modules
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
    if (shapeOnlyDepth > 0) {
      const variable = placeholderVariable(shape, options.trainable ?? true);
      this.parameterEntries.set(name, { variable, regularizer: null, constraint: null });
      return variable;
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
    if (shapeOnlyDepth > 0) {
      variable = placeholderVariable(valueOrShape instanceof tf.Tensor ? valueOrShape.shape : valueOrShape, false);
    } else if (valueOrShape instanceof tf.Tensor) {
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

  /**
   * The state of this module's per-call random stream (dropout masks, noise), or `null` before
   * its first random call. Training checkpoints save it for every module so a resumed run draws
   * the same masks as an uninterrupted one.
   *
   * @returns the four 32-bit words of the stream's state, or `null`.
   * @example
   * ```ts
   * const saved = dropout.callRngState();
   * dropout.setCallRngState(saved); // later, or in a rebuilt model
   * ```
   */
  callRngState(): [number, number, number, number] | null {
    return this.callStream === null ? null : this.callStream.getState();
  }

  /**
   * Restores what {@link Module.callRngState} returned; `null` resets the stream to not started
   * (its next call starts from the build `Rng`, as after a build).
   *
   * @param state - the four words of a stream's state, or `null`.
   * @throws ValueError when `state` is not four 32-bit integers.
   * @example
   * ```ts
   * model.setCallRngState(null);
   * ```
   */
  setCallRngState(state: readonly number[] | null): void {
    if (state !== null && !(state.length === 4 && state.every((w) => Number.isInteger(w) && w >= -0x80000000 && w <= 0xffffffff))) {
      throw new ValueError(`${this.label}: setCallRngState expected four 32-bit integers or null, got ${JSON.stringify(state)}`);
    }
    this.callStream = state === null ? null : new Rng(state);
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
    const previousRng = this.buildRng;
    if (rng !== undefined) this.buildRng = rng;
    const before = this.treeSnapshot();
    this.building = true;
    try {
      this.builtInputShape = inputShape;
      this.onBuild(inputShape);
      this.isBuilt = true;
      if (this.lastOutputShape === null) {
        this.lastOutputShape = withBatch(this.outputShape(inputShape), null);
      }
    } catch (e) {
      this.rollBackBuild(before);
      this.buildRng = previousRng;
      throw e;
    } finally {
      this.building = false;
    }
    return this;
  }

  /** Which modules of the tree were built before a build, and the children each had. */
  private treeSnapshot(): Map<Module<TensorTree, TensorTree>, { built: boolean; children: Set<string> }> {
    const out = new Map<Module<TensorTree, TensorTree>, { built: boolean; children: Set<string> }>();
    for (const [, m] of this.modules()) out.set(m, { built: m.isBuilt, children: new Set(m.children.keys()) });
    return out;
  }

  /**
   * Undoes a failed build: a child that rejected its input shape must not leave its earlier
   * siblings built with parameters for a model that does not exist (a later build with the
   * right shape would keep them). Modules built before this build are left as they were;
   * every other one loses its parameters, state, children added during the build and
   * build-time RNG, so the next build starts from the same place as this one did.
   */
  /** Drops this module's own build (not its children's): parameters, state, shapes, call stream. */
  private forgetBuild(disposeVariables: boolean): void {
    if (disposeVariables) {
      for (const e of this.parameterEntries.values()) e.variable.dispose();
      for (const v of this.stateEntries.values()) v.dispose();
    }
    this.parameterEntries.clear();
    this.stateEntries.clear();
    this.isBuilt = false;
    this.builtInputShape = null;
    this.lastOutputShape = null;
    this.callStream = null;
  }

  private rollBackBuild(before: Map<Module<TensorTree, TensorTree>, { built: boolean; children: Set<string> }>): void {
    for (const [path, m] of this.modules()) {
      const was = before.get(m);
      if (was?.built === true) continue;
      m.forgetBuild(shapeOnlyDepth === 0);
      if (path !== '' && was === undefined) continue;
      if (path !== '') m.buildRng = null;
      for (const [name, child] of [...m.children]) {
        if (was !== undefined && !was.children.has(name)) {
          m.children.delete(name);
          child.parent = null;
        }
      }
    }
  }

  /**
   * Creates parameters and builds children. The default runs {@link Module.call} once on
   * zeros of `inputShape` (unknown sizes as 1), which builds every child with its real input
   * shape; layers with parameters override it and create them directly.
   */
  protected onBuild(inputShape: ShapeOf<I>): void {
    if (shapeOnlyDepth > 0) throw this.shapeOnlyError('onBuild');
    tf.tidy(() => {
      const out = this.call(zerosLike(inputShape) as I, { training: false });
      this.lastOutputShape = withBatch(shapesOf(out), batchOf(inputShape) ?? null);
      return undefined;
    });
  }

  /**
   * Runs the module: checks the input, builds the module on first use, then calls
   * {@link Module.call}. The input must be a tensor, a list or a record of tensors (a
   * `ShapeError` says what came instead); its dtypes follow {@link Module.inputDtype}.
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
    const prepared = prepareInput(this.label, input, this.inputDtype);
    let out: O | undefined;
    try {
      if (!this.isBuilt) this.build(shapesOf(prepared.input) as ShapeOf<I>);
      out = this.call(prepared.input, options);
    } finally {
      disposeCreated(prepared.created, out);
    }
    if (this.lastOutputShape === null) this.lastOutputShape = withBatch(shapesOf(out), null);
    return out;
  }

  /**
   * The dtype rule {@link Module.apply} applies to the input tensors before
   * {@link Module.call} sees them, the same for every layer:
   *
   * - `'float32'` (the default for a module without children: every layer that computes in
   *   floating point): int32 and bool tensors are cast to float32, so integer pixels or 0/1
   *   features work everywhere and give what their float32 values give;
   * - `'any'` (the default for a module with children, which leave the rule to them, and
   *   the choice of shape layers and `Embedding`, whose ids are integers): tensors pass
   *   through with their dtype.
   *
   * Under both, a string or complex64 tensor is a `DTypeError` naming the module and the
   * dtype. Override the getter to choose.
   */
  protected get inputDtype(): 'float32' | 'any' {
    return this.children.size === 0 ? 'float32' : 'any';
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
    if (shapeOnlyDepth > 0) throw this.shapeOnlyError('outputShape');
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
   * Copies values into the parameters and buffers.
   *
   * Strict (the default): a missing, extra or misshapen entry is an error naming it, and
   * nothing is assigned in that case. With `strict: false` every entry whose name, shape and
   * dtype match is assigned, and the report says what was left out, so a backbone can take
   * the weights of a model with another head.
   *
   * @param values - tensors by dotted name (not disposed).
   * @param options - strictness, a source prefix to keep and strip, and renames.
   * @returns which entries were loaded, missing, unexpected and misshapen.
   * @throws ShapeError / DTypeError naming the entry (strict only).
   * @example
   * ```ts
   * const { tensors } = readSafetensors(bytes);
   * model.loadState(tensors);
   * const report = fresh.loadState(tensors, { strict: false }); // e.g. report.missing: ['head.kernel', 'head.bias']
   * ```
   */
  loadState(values: Record<string, tf.Tensor>, options: LoadStateOptions = {}): LoadReport {
    if (!this.isBuilt) {
      throw new ConfigError(`${this.label}: loadState needs a built module`, {
        help: 'call build(inputShape) first, so the parameters exist',
      });
    }
    const prefix = options.prefix ?? '';
    const rename = options.rename;
    const source: Record<string, tf.Tensor> = {};
    for (const [key, v] of Object.entries(values)) {
      if (!key.startsWith(prefix)) continue;
      const stripped = key.slice(prefix.length);
      const name = rename === undefined ? stripped : typeof rename === 'function' ? rename(stripped) : (rename[stripped] ?? stripped);
      if (name === null) continue;
      if (name in source) throw new ConfigError(`${this.label}: loadState rename expected distinct names, got '${name}' twice`);
      source[name] = v;
    }
    const target = this.state();
    if (options.strict ?? true) {
      const expected = Object.fromEntries(Object.entries(target).map(([k, v]) => [k, { shape: v.shape, dtype: v.dtype }]));
      const actual = Object.fromEntries(Object.entries(source).map(([k, v]) => [k, { shape: v.shape, dtype: v.dtype }]));
      checkTensorMap(`${this.label}: loadState`, actual, expected);
    }
    const report: LoadReport = { loaded: [], missing: [], unexpected: [], shapeMismatched: [] };
    for (const [name, t] of Object.entries(target)) {
      const v = source[name];
      if (v === undefined) report.missing.push(name);
      else if (v.dtype !== t.dtype || v.rank !== t.rank || v.shape.some((d, i) => d !== t.shape[i])) {
        report.shapeMismatched.push({ name, expected: [...t.shape], actual: [...v.shape], expectedDtype: t.dtype, actualDtype: v.dtype });
      } else report.loaded.push(name);
    }
    for (const name of Object.keys(source)) if (!(name in target)) report.unexpected.push(name);
    for (const name of report.loaded) {
      const v = source[name]!;
      // Loading a module's own state into itself is a no-op; assigning a variable its own
      // value through `assign` would dispose the data it is about to read.
      if (v !== target[name]) target[name]!.assign(v);
    }
    return report;
  }

  /** The dotted parameter names a {@link FreezeSelector} picks; unknown module paths are an error. */
  private selectParameters(selector: FreezeSelector | undefined, verb: string): [string, ParameterEntry][] {
    const all = [...this.entries()];
    if (selector === undefined) return all;
    if (typeof selector === 'function') return all.filter(([name, e]) => selector(name, e.variable));
    const paths = [...this.modules()].map(([path]) => path);
    const under = (name: string, path: string): boolean => name.startsWith(`${path}.`);
    const check = (path: string): void => {
      if (!paths.includes(path) || path === '') {
        const known = paths.filter((p) => p !== '' && !p.includes('.'));
        throw new ConfigError(`${this.label}: ${verb} expected a module path such as ${known.map((k) => `'${k}'`).join(', ') || '(none)'}, got '${path}'`);
      }
    };
    if (typeof selector === 'string' || Array.isArray(selector)) {
      const list = typeof selector === 'string' ? [selector] : (selector as readonly string[]);
      list.forEach(check);
      return all.filter(([name]) => list.some((path) => under(name, path)));
    }
    const upTo = (selector as FreezeUpTo).upTo;
    check(upTo);
    // Everything registered before `upTo`'s subtree ends: the modules visited up to its last descendant.
    const order = paths;
    let last = -1;
    order.forEach((p, i) => {
      if (p === upTo || p.startsWith(`${upTo}.`)) last = i;
    });
    const owners = new Set(order.slice(0, last + 1));
    return all.filter(([name]) => owners.has(name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : ''));
  }

  /**
   * Stops the optimizer from updating parameters (transfer learning): all of them in this
   * subtree, or those a {@link FreezeSelector} picks. Batch-norm layers whose parameters are
   * all frozen normalise with their running statistics even in training mode and stop
   * updating them (the Keras behaviour that fine-tuning needs), see {@link Module.isFrozen}.
   *
   * @param selector - a module path, list of paths, `{ upTo: path }` or a predicate over parameter names.
   * @throws ConfigError for a module path this module does not have.
   * @example
   * ```ts
   * backbone.freeze();
   * resnet.freeze({ upTo: 'layer3' }); // stem, layer1..layer3 frozen; layer4 and fc train
   * ```
   */
  freeze(selector?: FreezeSelector): this {
    for (const [, e] of this.selectParameters(selector, 'freeze')) e.variable.trainable = false;
    return this;
  }

  /**
   * Makes parameters trainable again: all of them in this subtree, or those a
   * {@link FreezeSelector} picks.
   *
   * @param selector - as in {@link Module.freeze}.
   * @throws ConfigError for a module path this module does not have.
   * @example
   * ```ts
   * backbone.unfreeze();
   * resnet.unfreeze('layer4');
   * ```
   */
  unfreeze(selector?: FreezeSelector): this {
    for (const [, e] of this.selectParameters(selector, 'unfreeze')) e.variable.trainable = true;
    return this;
  }

  /**
   * Whether this module has parameters of its own and none of them is trainable. Batch
   * norm reads it to stay in inference mode inside a frozen part of a model.
   *
   * @example
   * ```ts
   * model.freeze('layer1');
   * model.layer1.bn1.isFrozen; // true
   * ```
   */
  get isFrozen(): boolean {
    const own = [...this.parameterEntries.values()];
    return own.length > 0 && own.every((e) => !e.variable.trainable);
  }

  /**
   * The shapes of every parameter and state entry for an input shape, computed by a
   * shape-only build: no tensor is allocated, so the parameter count of a large config
   * (ResNet-50 at 224×224) costs no memory. A built module reports its live entries; an
   * unbuilt one stays unbuilt. Every module in the tree must propagate shapes in
   * `onBuild` and `outputShape` (all layers and `Sequential` do) rather than the default,
   * which runs `call` on zeros.
   *
   * @param inputShape - the input shape, batch usually `null`.
   * @returns entries by dotted name, in {@link Module.state} order.
   * @throws ConfigError naming a module that builds by running `call`.
   * @example
   * ```ts
   * const shapes = resnet50().parameterShapes([null, 224, 224, 3]);
   * const trainable = Object.values(shapes).filter((s) => s.trainable).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
   * ```
   */
  parameterShapes(inputShape: ShapeOf<I>): Record<string, ParameterShape> {
    const read = (): Record<string, ParameterShape> => {
      const out: Record<string, ParameterShape> = {};
      for (const [name, e] of this.entries()) out[name] = { shape: [...e.variable.shape], trainable: e.variable.trainable, kind: 'parameter' };
      for (const [name, v] of Object.entries(this.buffers())) out[name] = { shape: [...v.shape], trainable: false, kind: 'state' };
      return out;
    };
    if (this.isBuilt) return read();
    shapeOnlyDepth++;
    try {
      this.build(inputShape);
      return read();
    } finally {
      shapeOnlyDepth--;
      const ownRng = this.buildRng;
      for (const [path, m] of this.modules()) {
        m.forgetBuild(false); // a shape-only build made no variables
        if (path !== '') m.buildRng = null;
      }
      this.buildRng = ownRng;
    }
  }

  /** The error of a shape-only build reaching a default that runs `call`. */
  private shapeOnlyError(what: string): ConfigError {
    return new ConfigError(`${this.label}: a shape-only build expected ${what} to propagate shapes, got the default that runs call()`, {
      help: 'override onBuild (build the children in order) and outputShape (a pure shape function) in this module',
    });
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
