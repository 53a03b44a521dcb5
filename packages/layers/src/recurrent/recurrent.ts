import { ConfigError, ShapeError, assertShape, formatShape, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import { getActivation } from '../core/activations.js';
import type { ActivationFn, ActivationName } from '../core/activations.js';
import { parameterOptions, resolveKernelLayerConfig } from '../core/kernel-layer-config.js';
import type { InitializerLike } from '../initializers/initializers.js';
import { Module } from '../module/module.js';
import type { ApplyOptions, ModuleConfig, Shape, ShapeOf } from '../module/module.js';
import type { Constraint, Regularizer } from '../regularizers/regularizers.js';
import { plainMatMul } from './plain-mat-mul.js';

/**
 * What a recurrent layer returns: the output tensor, or, with `returnState: true`, the list
 * `[output, ...finalStates]` (`[output, h]` for SimpleRNN and GRU, `[output, h, c]` for LSTM).
 *
 * @typeParam S - the layer's `returnState` flag.
 * @example
 * ```ts
 * const [out, h, c]: RecurrentOutput<true> = new LSTM({ units: 8, returnState: true }).apply(x);
 * ```
 *
 * @group Recurrent
 */
export type RecurrentOutput<S extends boolean> = S extends true ? tf.Tensor[] : tf.Tensor;

/**
 * Configuration shared by {@link SimpleRNN}, {@link LSTM} and {@link GRU}.
 *
 * @typeParam S - the type of `returnState`, so that `apply` is typed as a tensor or a list.
 * @example
 * ```ts
 * const config: RecurrentConfig = { units: 32, returnSequences: true, dropout: 0.1 };
 * ```
 *
 * @group Recurrent
 */
export interface RecurrentConfig<S extends boolean = boolean> extends ModuleConfig {
  /** Size of the hidden state (and of the output). Required, a positive integer. */
  units: number;
  /** Activation of the candidate state and of the output. Default `'tanh'`. */
  activation?: ActivationName | ActivationFn;
  /** Whether the cell adds biases. Default `true`. */
  useBias?: boolean;
  /** Return the output of every step `[batch, time, units]` instead of the last `[batch, units]`. Default `false`. */
  returnSequences?: boolean;
  /** Also return the final states: `apply` returns `[output, ...states]`. Default `false`. */
  returnState?: S;
  /**
   * Process the sequence from the last step to the first. With `returnSequences`, the
   * outputs come in processing order (reversed in time), as in Keras. Default `false`.
   */
  goBackwards?: boolean;
  /**
   * Fraction of the input features dropped in training, in [0, 1). One mask per sequence,
   * shared by every step and gate (variational dropout, Gal & Ghahramani 2016,
   * https://arxiv.org/abs/1512.05287). Default `0`.
   */
  dropout?: number;
  /**
   * Fraction of the recurrent state dropped (in the products with the recurrent kernel) in
   * training, in [0, 1); one mask per sequence, shared by every step. Default `0`.
   */
  recurrentDropout?: number;
  /** Initializer of `kernel` `[features, gates·units]`. Default `'glorotUniform'`. */
  kernelInitializer?: InitializerLike;
  /** Initializer of `recurrentKernel` `[units, gates·units]`. Default `'orthogonal'`. */
  recurrentInitializer?: InitializerLike;
  /** Initializer of `bias`. Default `'zeros'` (LSTM adds ones on the forget gate, see `unitForgetBias`). */
  biasInitializer?: InitializerLike;
  /** Penalty on `kernel`. Default none. */
  kernelRegularizer?: Regularizer | null;
  /** Penalty on `recurrentKernel`. Default none. */
  recurrentRegularizer?: Regularizer | null;
  /** Penalty on `bias`. Default none. */
  biasRegularizer?: Regularizer | null;
  /** Projection of `kernel` after each step. Default none. */
  kernelConstraint?: Constraint | null;
  /** Projection of `recurrentKernel` after each step. Default none. */
  recurrentConstraint?: Constraint | null;
  /** Projection of `bias` after each step. Default none. */
  biasConstraint?: Constraint | null;
}

/**
 * Options of a recurrent layer's `apply`: those of every module, plus the initial state.
 *
 * @example
 * ```ts
 * const [out, h, c] = lstm.apply(x, { initialState: [h0, c0], mask, training: true });
 * ```
 *
 * @group Recurrent
 */
export interface RecurrentApplyOptions extends ApplyOptions {
  /**
   * The states at the first step, each `[batch, units]`: `[h]` for SimpleRNN and GRU,
   * `[h, c]` for LSTM (for {@link Bidirectional}: the forward states, then the backward
   * ones). Default: zeros.
   */
  initialState?: readonly tf.Tensor[] | null;
}

/**
 * The parameters of a recurrent cell, in the layout of Keras and tfjs-layers.
 *
 * @example
 * ```ts
 * const params: RecurrentParameters = { kernel, recurrentKernel, bias: null };
 * ```
 *
 * @group Recurrent
 */
export interface RecurrentParameters {
  /** `[features, gates·units]`: the input projection of every gate, side by side. */
  kernel: tf.Tensor;
  /** `[units, gates·units]`: the recurrent projection of every gate. */
  recurrentKernel: tf.Tensor;
  /** `[gates·units]` (GRU with `resetAfter`: `[2, 3·units]`), or `null`. */
  bias: tf.Tensor | null;
}

/**
 * Options of the functional recurrent forms ({@link simpleRnn}, {@link lstm}, {@link gru}).
 *
 * @example
 * ```ts
 * const options: RecurrentRunOptions = { returnSequences: true, mask };
 * ```
 *
 * @group Recurrent
 */
export interface RecurrentRunOptions {
  /** The states at the first step, each `[batch, units]`. Default: zeros. */
  initialState?: readonly tf.Tensor[] | null;
  /**
   * `[batch, time]`, true (non-zero) where a step is valid. A masked step leaves the
   * states unchanged and outputs the previous output. Default: every step valid.
   */
  mask?: tf.Tensor | null;
  /** Process the steps from last to first. Default `false`. */
  goBackwards?: boolean;
  /** Return every step's output `[batch, time, units]`. Default `false`. */
  returnSequences?: boolean;
  /** `[batch, features]`, multiplies every input step (a scaled dropout keep mask). Default none. */
  inputDropoutMask?: tf.Tensor | null;
  /** `[batch, units]`, multiplies the state entering the recurrent products. Default none. */
  recurrentDropoutMask?: tf.Tensor | null;
}

/**
 * What a functional recurrent form returns.
 *
 * @example
 * ```ts
 * const { output, states: [h, c] } = lstm(x, params);
 * ```
 *
 * @group Recurrent
 */
export interface RecurrentResult {
  /** `[batch, units]` (last step), or `[batch, time, units]` with `returnSequences`. */
  output: tf.Tensor;
  /** The final states, each `[batch, units]`. */
  states: tf.Tensor[];
}

/**
 * One step of a recurrent cell for {@link recurrentScan}.
 *
 * @param projected - `[batch, gates·units]`: this step's input times `kernel`, plus the
 *   input bias, every gate side by side (Keras order).
 * @param states - the current states, each `[batch, units]`.
 * @param recurrentInput - `states[0]` with the recurrent dropout mask applied (or `states[0]`):
 *   what the recurrent kernel multiplies.
 * @returns the new states; the step's output is the new `states[0]`.
 * @example
 * ```ts
 * const step: RecurrentStep = (xp, [h], hIn) => [tf.tanh(tf.add(xp, tf.matMul(hIn, u)))];
 * ```
 *
 * @group Recurrent
 */
export type RecurrentStep = (projected: tf.Tensor2D, states: tf.Tensor2D[], recurrentInput: tf.Tensor2D) => tf.Tensor2D[];

/**
 * The output shape of a recurrent layer: `[batch, units]`, or `[batch, time, units]` with
 * `returnSequences`; with `returnState`, a list with one `[batch, units]` per state after it.
 *
 * @param inputShape - `[batch, time, features]`.
 * @param units - the state size.
 * @param options - the layer's flags and how many states it has (2 for LSTM, else 1).
 * @example
 * ```ts
 * recurrentOutputShape([null, 28, 28], 128, { returnSequences: false, returnState: true, stateCount: 2 });
 * // [[null, 128], [null, 128], [null, 128]]
 * ```
 *
 * @group Recurrent
 */
export function recurrentOutputShape(
  inputShape: Shape,
  units: number,
  options: {
    /** Whether every step's output is returned. */
    returnSequences: boolean;
    /** Whether the final states are returned too. */
    returnState: boolean;
    /** How many states the cell has. */
    stateCount: number;
  },
): Shape | Shape[] {
  const batch = inputShape[0] ?? null;
  const output: Shape = options.returnSequences ? [batch, inputShape[1] ?? null, units] : [batch, units];
  if (!options.returnState) return output;
  return [output, ...Array.from({ length: options.stateCount }, (): Shape => [batch, units])];
}

/**
 * Splits a gate-stacked `[batch, gates·units]` tensor into one `[batch, units]` tensor per
 * gate.
 *
 * Each gate is a strided slice. tfjs-backend-cpu 4.22 copies strided slices element by
 * element through `TensorBuffer.get` (splitting `[64, 512]` into 4 took 11.2 ms there), so
 * on cpu the gates are moved to the front first, `[batch, gates, units]` →
 * `[gates, batch, units]` (one transpose, 1.2 ms with the unstack), and cut into contiguous
 * parts. Elsewhere `tf.split` is the fast form (wasm: 0.04 ms against 0.15 ms).
 *
 * @param viaTranspose - which form to use; by default the transpose on cpu only.
 * @internal
 */
export function splitGates(t: tf.Tensor2D, gates: number, viaTranspose = tf.getBackend() === 'cpu'): tf.Tensor2D[] {
  if (gates === 1) return [t];
  if (!viaTranspose) return tf.split(t, gates, 1);
  const [batch, width] = t.shape;
  const gateMajor = tf.transpose(tf.reshape(t, [batch, gates, width / gates]), [1, 0, 2]); // (G, B, U)
  return [...tf.unstack(gateMajor)] as tf.Tensor2D[]; // G × (B, U)
}

/**
 * `tf.unstack` along axis 0, safe to differentiate for any number of steps. One step is a
 * reshape: the Unpack gradient of tfjs-core 4.22 fails when there is one output. (Returns a
 * new array: the tape keeps unstack's own array as the op's outputs, so it must never be
 * reordered.)
 *
 * @internal
 */
export function unstackSteps(t: tf.Tensor): tf.Tensor[] {
  // tfjs-core 4.22's Unpack gradient fails for a single output (it gets dy as a bare tensor).
  if (t.shape[0] === 1) return [tf.reshape(t, t.shape.slice(1))];
  return [...tf.unstack(t)];
}

/**
 * A recurrent kernel (or a block of its gate columns) prepared once per sequence: kept with
 * its transpose for {@link plainMatMul}'s backward pass, so each step's product costs one
 * matMul forward and two backward, with no per-step transpose of the kernel.
 *
 * @internal
 */
export class RecurrentKernel {
  private readonly uT: tf.Tensor;

  /** @param u - `[units, width]`. */
  constructor(private readonly u: tf.Tensor) {
    this.uT = tf.transpose(u);
  }

  /** `h · U`: `[batch, width]`. */
  product(h: tf.Tensor2D): tf.Tensor2D {
    return plainMatMul(h, this.u, this.uT);
  }
}

/**
 * Runs a recurrent cell over a sequence.
 *
 * The input projection `x·kernel + bias` of every step and every gate happens before the
 * loop, as one matMul over all `[time·batch, features]` rows and one bias add (so the bias
 * gradient is one sum); it is then cut into time steps, each a contiguous `[batch,
 * gates·units]` slice of the time-major `[time, batch, gates·units]` projection. Each step
 * only adds the recurrent product inside `step`: one matMul over the whole recurrent kernel
 * (GRU without `resetAfter` needs a second one, for `r ⊙ h`), split into gates by
 * {@link splitGates}. Each step runs in its own `tf.tidy`, so inference keeps only the
 * states alive. Masked steps keep the previous states (and so output the previous output),
 * as Keras does.
 *
 * @param x - `[batch, time, features]`, time ≥ 1.
 * @param kernel - `[features, gates·units]`.
 * @param bias - the input bias `[gates·units]`, or `null`.
 * @param step - the cell.
 * @param stateSizes - the size of each state (`[units]`, or `[units, units]` for LSTM): the
 *   states start as zeros `[batch, size]` unless `options.initialState` gives them.
 * @param options - initial states, mask, direction, dropout masks, whether to return every step.
 * @returns the output (`[batch, units]` or `[batch, time, units]`) and the final states.
 * @example
 * ```ts
 * const { output } = recurrentScan(x, w, b, (xp, _s, h) => [tf.tanh(tf.add(xp, tf.matMul(h, u)))], [4]);
 * ```
 *
 * @group Recurrent
 */
export function recurrentScan(
  x: tf.Tensor,
  kernel: tf.Tensor,
  bias: tf.Tensor | null,
  step: RecurrentStep,
  stateSizes: readonly number[],
  options: RecurrentRunOptions = {},
): RecurrentResult {
  return tidyResult(() => {
    const [batch, time, features] = x.shape as [number, number, number];
    const width = kernel.shape[1]!;
    const dropped = options.inputDropoutMask ? tf.mul(x, tf.expandDims(options.inputDropoutMask, 1)) : x;
    // Time-major before the projection: the input is usually narrower than gates·units.
    const timeMajor = tf.reshape(tf.transpose(dropped, [1, 0, 2]), [time * batch, features]); // (T·B, F)
    const product = plainMatMul(timeMajor, kernel); // (T·B, G·U)
    const withBias = bias === null ? product : tf.add(product, bias);
    const projected = unstackSteps(tf.reshape(withBias, [time, batch, width])) as tf.Tensor2D[]; // T × (B, G·U)
    let masks: tf.Tensor[] | null = null;
    if (options.mask) {
      const valid = options.mask.dtype === 'bool' ? options.mask : tf.notEqual(options.mask, 0);
      masks = [...tf.unstack(tf.expandDims(tf.transpose(valid, [1, 0]), 2))]; // T × (B, 1)
    }
    if (options.goBackwards) {
      projected.reverse();
      masks?.reverse();
    }
    const recurrentMask = options.recurrentDropoutMask ?? null;
    let states = (options.initialState ? [...options.initialState] : stateSizes.map((size) => tf.zeros([batch, size]))) as tf.Tensor2D[];
    const outputs: tf.Tensor[] = [];
    for (let t = 0; t < time; t++) {
      const previous = states;
      const stepMask = masks === null ? null : masks[t]!;
      states = tf.tidy(() => {
        const recurrentInput = recurrentMask === null ? previous[0]! : (tf.mul(previous[0]!, recurrentMask) as tf.Tensor2D);
        const next = step(projected[t]!, previous, recurrentInput);
        return stepMask === null ? next : next.map((s, i) => tf.where(stepMask, s, previous[i]!) as tf.Tensor2D);
      });
      if (options.returnSequences) outputs.push(states[0]!);
    }
    const output = options.returnSequences ? tf.stack(outputs, 1) : states[0]!; // (B, T, U) or (B, U)
    return { output, states };
  });
}

/**
 * The configuration of a {@link Recurrent} layer with every default applied (its `config`).
 *
 * @example
 * ```ts
 * const { units, returnSequences }: ResolvedRecurrentConfig = new LSTM({ units: 8 }).config;
 * ```
 *
 * @group Recurrent
 */
export type ResolvedRecurrentConfig = Required<Omit<RecurrentConfig, 'name' | 'returnState'>> & {
  /** Whether the final states are returned. */
  returnState: boolean;
};

/**
 * The base of {@link SimpleRNN}, {@link LSTM} and {@link GRU}: owns `kernel`,
 * `recurrentKernel` and `bias`, checks inputs, masks and initial states, draws dropout masks,
 * and calls the cell's functional form.
 *
 * Input shape: `[batch, time, features]`.
 * Output shape: `[batch, units]`, or `[batch, time, units]` with `returnSequences`; with
 * `returnState`, `[output, ...states]`, each state `[batch, units]`.
 *
 * Masks: `apply(x, { mask })` with a `[batch, time]` mask (bool, or numbers where non-zero
 * is valid), as {@link Embedding} produces; masked steps keep the state and repeat the
 * previous output. Initial states: `apply(x, { initialState: [...] })`.
 *
 * @typeParam S - the `returnState` flag, which types `apply`'s result.
 * @example
 * ```ts
 * const rnn: Recurrent = new GRU({ units: 16 });
 * const y = rnn.apply(tf.zeros([2, 5, 3])); // [2, 16]
 * ```
 *
 * @group Recurrent
 */
export abstract class Recurrent<S extends boolean = false> extends Module<tf.Tensor, RecurrentOutput<S>> {
  /** The shared configuration with defaults applied. */
  readonly config: ResolvedRecurrentConfig;
  /** `[features, gates·units]`, after build. */
  kernel: tf.Variable | null = null;
  /** `[units, gates·units]`, after build. */
  recurrentKernel: tf.Variable | null = null;
  /** The bias (shape depends on the cell), or `null` without bias. */
  bias: tf.Variable | null = null;
  /** The configuration as given, to make copies (the backward layer of {@link Bidirectional}). */
  private readonly givenConfig: RecurrentConfig<S>;

  constructor(config: RecurrentConfig<S>) {
    super(config);
    this.givenConfig = { ...config };
    const unit = `${this.className} '${this.name}'`;
    if (!Number.isInteger(config.units) || config.units <= 0) {
      throw new ConfigError(`${unit}: units expected a positive integer, got ${config.units}`);
    }
    getActivation(config.activation ?? 'tanh', unit);
    for (const key of ['dropout', 'recurrentDropout'] as const) {
      const rate = config[key] ?? 0;
      if (!(rate >= 0 && rate < 1)) throw new ConfigError(`${unit}: ${key} expected a number in [0, 1), got ${rate}`);
    }
    this.config = {
      units: config.units,
      activation: config.activation ?? 'tanh',
      returnSequences: config.returnSequences ?? false,
      returnState: config.returnState ?? false,
      goBackwards: config.goBackwards ?? false,
      dropout: config.dropout ?? 0,
      recurrentDropout: config.recurrentDropout ?? 0,
      ...resolveKernelLayerConfig(config),
      recurrentInitializer: config.recurrentInitializer ?? 'orthogonal',
      recurrentRegularizer: config.recurrentRegularizer ?? null,
      recurrentConstraint: config.recurrentConstraint ?? null,
    };
  }

  /** How many gates the cell computes (SimpleRNN 1, GRU 3, LSTM 4): the kernels are `[…, gates·units]`. */
  protected abstract get gates(): number;

  /** The names of the states, in order (`['h']`, or `['h', 'c']` for LSTM). */
  abstract get stateNames(): readonly string[];

  /** The bias shape; GRU with `resetAfter` overrides it. */
  protected biasShape(): number[] {
    return [this.gates * this.config.units];
  }

  /** The bias initializer; LSTM overrides it for `unitForgetBias`. */
  protected biasInitializer(): InitializerLike {
    return this.config.biasInitializer;
  }

  /** The cell's functional form. */
  protected abstract forward(x: tf.Tensor, params: RecurrentParameters, options: RecurrentRunOptions): RecurrentResult;

  /**
   * A new, unbuilt layer of the same class and configuration with some fields replaced
   * (how {@link Bidirectional} makes its backward layer).
   *
   * @example
   * ```ts
   * const backward = lstm.withConfig({ goBackwards: true, name: 'backward_lstm' });
   * ```
   */
  withConfig(overrides: Partial<RecurrentConfig<S>>): this {
    const Ctor = this.constructor as new (config: RecurrentConfig<S>) => this;
    return new Ctor({ ...this.givenConfig, ...overrides });
  }

  protected override onBuild(inputShape: Shape): void {
    const features = inputShape[2];
    if (inputShape.length !== 3 || typeof features !== 'number') {
      throw new ShapeError(`${this.label}: input expected rank 3 [batch, time, features] with known features, got ${formatShape(inputShape)}`);
    }
    const c = this.config;
    const width = this.gates * c.units;
    this.kernel = this.addParameter('kernel', [features, width], c.kernelInitializer, parameterOptions(c, 'kernel'));
    this.recurrentKernel = this.addParameter('recurrentKernel', [c.units, width], c.recurrentInitializer, parameterOptions(c, 'recurrent'));
    this.bias = c.useBias
      ? this.addParameter('bias', this.biasShape(), this.biasInitializer(), parameterOptions(c, 'bias'))
      : null;
  }

  override outputShape(inputShape: Shape): ShapeOf<RecurrentOutput<S>> {
    return recurrentOutputShape(inputShape, this.config.units, {
      returnSequences: this.config.returnSequences,
      returnState: this.config.returnState,
      stateCount: this.stateNames.length,
    }) as ShapeOf<RecurrentOutput<S>>;
  }

  /**
   * The output mask: the input mask with `returnSequences` (every step has an output),
   * else `null` (one output per sequence).
   */
  override computeMask(_input: tf.Tensor, mask: tf.Tensor | null): tf.Tensor | null {
    return this.config.returnSequences ? mask : null;
  }

  /**
   * Runs the layer over `[batch, time, features]`.
   *
   * @param input - `[batch, time, features]`.
   * @param options - `training` (dropout), `mask` `[batch, time]`, `initialState`.
   * @returns the output, or `[output, ...states]` with `returnState`.
   * @throws ShapeError for a bad input, mask or initial state.
   * @example
   * ```ts
   * const y = new LSTM({ units: 8 }).apply(tf.zeros([2, 5, 3]), { mask });
   * ```
   */
  override apply(input: tf.Tensor, options: RecurrentApplyOptions = {}): RecurrentOutput<S> {
    return super.apply(input, options);
  }

  protected call(x: tf.Tensor, options: RecurrentApplyOptions): RecurrentOutput<S> {
    const features = this.kernel!.shape[0]!;
    const units = this.config.units;
    if (x.rank !== 3 || x.shape[2] !== features) {
      throw new ShapeError(`${this.label}: input expected shape [batch, time, ${features}], got ${formatShape(x.shape)}`);
    }
    const [batch, time] = x.shape as [number, number, number];
    if (time < 1) throw new ShapeError(`${this.label}: input axis 1 (time) expected at least 1 step, got shape ${formatShape(x.shape)}`);
    const mask = options.mask ?? null;
    if (mask !== null) assertShape(this.label, 'mask', mask, [batch, time]);
    const initialState = options.initialState ?? null;
    const names = this.stateNames;
    if (initialState !== null) {
      if (initialState.length !== names.length) {
        throw new ShapeError(`${this.label}: initialState expected ${names.length} tensors [${names.join(', ')}], got ${initialState.length}`);
      }
      initialState.forEach((s, i) => assertShape(this.label, `initialState[${i}]`, s, [batch, units]));
    }
    const c = this.config;
    const training = options.training ?? false;
    const inputDropoutMask = training && c.dropout > 0 ? keepMask(this.nextRng(), [batch, features], c.dropout) : null;
    const recurrentDropoutMask = training && c.recurrentDropout > 0 ? keepMask(this.nextRng(), [batch, units], c.recurrentDropout) : null;
    try {
      const { output, states } = this.forward(
        x,
        { kernel: this.kernel!, recurrentKernel: this.recurrentKernel!, bias: this.bias },
        { initialState, mask, goBackwards: c.goBackwards, returnSequences: c.returnSequences, inputDropoutMask, recurrentDropoutMask },
      );
      if (c.returnState) {
        // Without returnSequences the output IS the final h; hand out a separate tensor for it.
        return [output, ...states.map((s) => (s === output ? tf.clone(s) : s))] as RecurrentOutput<S>;
      }
      tf.dispose(states.filter((s) => s !== output));
      return output as RecurrentOutput<S>;
    } finally {
      tf.dispose([inputDropoutMask, recurrentDropoutMask].filter((t): t is tf.Tensor => t !== null));
    }
  }
}

/** A scaled dropout keep mask: 0 with probability `rate`, else `1 / (1 - rate)`. */
function keepMask(r: Rng, shape: number[], rate: number): tf.Tensor {
  return tf.tidy(() => tf.mul(r.bernoulliTensor(shape, 1 - rate), 1 / (1 - rate)));
}

/**
 * Runs `fn` in a `tf.tidy` that keeps the result's output and states.
 *
 * @internal
 */
export function tidyResult(fn: () => RecurrentResult): RecurrentResult {
  const [output, ...states] = tf.tidy(() => {
    const r = fn();
    return [r.output, ...r.states];
  });
  return { output: output!, states };
}
