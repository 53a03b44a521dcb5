import { ConfigError, ShapeError, tf } from '@tensorloom/core';
import { Module } from '../module/module.js';
import type { ModuleConfig, Shape, ShapeOf } from '../module/module.js';
import { Recurrent } from './recurrent.js';
import type { RecurrentApplyOptions } from './recurrent.js';

/**
 * How {@link Bidirectional} combines the forward and backward outputs: `'concat'` along
 * the last axis, elementwise `'sum'`, `'mul'` or `'ave'`, or `'none'` to return both.
 *
 * @example
 * ```ts
 * const mode: MergeMode = 'sum';
 * ```
 *
 * @group Recurrent
 */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | 'none';

const MERGE_MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave', 'none'];

/**
 * What {@link Bidirectional} returns: the merged output; `[forward, backward]` with
 * `mergeMode: 'none'`; with `returnState`, those followed by the forward layer's final
 * states and then the backward layer's.
 *
 * @typeParam S - the wrapped layer's `returnState`.
 * @typeParam M - the merge mode.
 * @example
 * ```ts
 * const [y, hF, cF, hB, cB]: BidirectionalOutput<true, 'concat'> = bi.apply(x);
 * ```
 *
 * @group Recurrent
 */
export type BidirectionalOutput<S extends boolean, M extends MergeMode> = S extends true
  ? tf.Tensor[]
  : M extends 'none'
    ? tf.Tensor[]
    : tf.Tensor;

/**
 * Configuration of {@link Bidirectional}.
 *
 * @example
 * ```ts
 * const config: BidirectionalConfig = { layer: new LSTM({ units: 32 }), mergeMode: 'sum' };
 * ```
 *
 * @group Recurrent
 */
export interface BidirectionalConfig<S extends boolean = boolean, M extends MergeMode = MergeMode> extends ModuleConfig {
  /** The forward recurrent layer (unbuilt, without a parent). Required. */
  layer: Recurrent<S>;
  /**
   * The backward layer. Default: a copy of `layer`'s configuration with `goBackwards`
   * flipped, named `backward_<layer name>`. When given, its `goBackwards` must be the
   * opposite of `layer`'s and its `returnSequences` / `returnState` the same.
   */
  backwardLayer?: Recurrent<S> | null;
  /** How the two outputs combine. Default `'concat'`. */
  mergeMode?: M;
}

/**
 * Combines a forward and a (time-aligned) backward output.
 *
 * @param forward - `[batch, ..., units]`.
 * @param backward - `[batch, ..., units']` (same shape unless `mode` is `'concat'`).
 * @param mode - the merge mode.
 * @returns `[batch, ..., units + units']` for `'concat'`, the elementwise result for
 *   `'sum'`/`'mul'`/`'ave'`, or `[forward, backward]` for `'none'`.
 * @example
 * ```ts
 * const y = mergeDirections(fw, bw, 'ave') as tf.Tensor;
 * ```
 *
 * @group Recurrent
 */
export function mergeDirections(forward: tf.Tensor, backward: tf.Tensor, mode: MergeMode): tf.Tensor | tf.Tensor[] {
  switch (mode) {
    case 'concat':
      return tf.concat([forward, backward], -1);
    case 'sum':
      return tf.add(forward, backward);
    case 'mul':
      return tf.mul(forward, backward);
    case 'ave':
      return tf.tidy(() => tf.mul(tf.add(forward, backward), 0.5));
    case 'none':
      return [tf.clone(forward), tf.clone(backward)];
  }
}

/**
 * The output shape of {@link Bidirectional} from the wrapped layer's output shape.
 *
 * @param layerShape - the forward layer's output shape (a list `[output, ...states]` with `returnState`).
 * @param mode - the merge mode.
 * @param returnState - whether the layer returns its states.
 * @example
 * ```ts
 * bidirectionalOutputShape([null, 10, 8], 'concat', false); // [null, 10, 16]
 * ```
 *
 * @group Recurrent
 */
export function bidirectionalOutputShape(layerShape: Shape | Shape[], mode: MergeMode, returnState: boolean): Shape | Shape[] {
  const output = (returnState ? (layerShape as Shape[])[0] : layerShape) as Shape;
  const states = returnState ? (layerShape as Shape[]).slice(1) : [];
  const last = output[output.length - 1] ?? null;
  const merged: Shape[] =
    mode === 'none'
      ? [output, output]
      : [mode === 'concat' ? [...output.slice(0, -1), last === null ? null : 2 * last] : output];
  if (!returnState && merged.length === 1) return merged[0]!;
  return [...merged, ...states, ...states];
}

/**
 * Runs a recurrent layer over the sequence in both directions and merges the outputs
 * (Schuster & Paliwal 1997, https://doi.org/10.1109/78.650093), as Keras `Bidirectional`.
 * With `returnSequences`, the backward outputs are reversed back into time order first.
 *
 * Input shape: `[batch, time, features]`.
 * Output shape: the wrapped layer's, with the last axis doubled for `'concat'`; see
 * {@link BidirectionalOutput} for lists.
 *
 * Parameters: those of the two layers, under `forward.` and `backward.`
 * (`bidirectional.forward.kernel`, ...), in tfjs-layers' weight order forward-then-backward.
 *
 * Masks reach both layers (the backward one reverses them with the sequence);
 * `apply(x, { initialState })` takes the forward states, then the backward ones.
 *
 * @example
 * ```ts
 * const bi = new Bidirectional({ layer: new LSTM({ units: 16, returnSequences: true }) });
 * const y = bi.apply(tf.zeros([2, 10, 8])); // [2, 10, 32]
 * ```
 *
 * @group Recurrent
 */
export class Bidirectional<S extends boolean = false, M extends MergeMode = 'concat'> extends Module<tf.Tensor, BidirectionalOutput<S, M>> {
  /** The forward layer (child `forward`). */
  readonly forwardLayer: Recurrent<S>;
  /** The backward layer (child `backward`). */
  readonly backwardLayer: Recurrent<S>;
  /** How the two outputs combine. */
  readonly mergeMode: M;

  constructor(config: BidirectionalConfig<S, M>) {
    super(config);
    const unit = `Bidirectional '${this.name}'`;
    const layer = config.layer as unknown;
    if (!(layer instanceof Recurrent)) {
      const got = layer instanceof Module ? layer.label : String(layer);
      throw new ConfigError(`${unit}: layer expected a recurrent layer (SimpleRNN, LSTM, GRU), got ${got}`);
    }
    const mode = config.mergeMode ?? ('concat' as M);
    if (!MERGE_MODES.includes(mode)) {
      throw new ConfigError(`${unit}: mergeMode expected one of ${MERGE_MODES.join(', ')}, got '${String(mode)}'`);
    }
    const forward = config.layer;
    const backward = config.backwardLayer ?? forward.withConfig({ goBackwards: !forward.config.goBackwards, name: `backward_${forward.name}` });
    if (!(backward instanceof Recurrent)) {
      throw new ConfigError(`${unit}: backwardLayer expected a recurrent layer (SimpleRNN, LSTM, GRU), got ${String(backward)}`);
    }
    const f = forward.config;
    const b = backward.config;
    if (b.goBackwards === f.goBackwards) {
      throw new ConfigError(`${unit}: backwardLayer goBackwards expected ${!f.goBackwards} (the opposite of layer's), got ${b.goBackwards}`);
    }
    for (const key of ['returnSequences', 'returnState'] as const) {
      if (b[key] !== f[key]) throw new ConfigError(`${unit}: backwardLayer ${key} expected ${f[key]} (as layer's), got ${b[key]}`);
    }
    if (mode !== 'concat' && mode !== 'none' && b.units !== f.units) {
      throw new ConfigError(`${unit}: backwardLayer units expected ${f.units} (as layer's, for mergeMode '${mode}'), got ${b.units}`);
    }
    this.mergeMode = mode;
    this.forwardLayer = this.addModule('forward', forward);
    this.backwardLayer = this.addModule('backward', backward);
  }

  protected override onBuild(inputShape: Shape): void {
    this.forwardLayer.build(inputShape);
    this.backwardLayer.build(inputShape);
  }

  override outputShape(inputShape: Shape): ShapeOf<BidirectionalOutput<S, M>> {
    const layerShape = this.forwardLayer.outputShape(inputShape) as Shape | Shape[];
    return bidirectionalOutputShape(layerShape, this.mergeMode, this.forwardLayer.config.returnState) as ShapeOf<BidirectionalOutput<S, M>>;
  }

  /** The input mask with `returnSequences`, else `null`. */
  override computeMask(_input: tf.Tensor, mask: tf.Tensor | null): tf.Tensor | null {
    return this.forwardLayer.config.returnSequences ? mask : null;
  }

  /**
   * Runs both directions over `[batch, time, features]` and merges them.
   *
   * @param input - `[batch, time, features]`.
   * @param options - `training`, `mask` `[batch, time]`, `initialState` (forward states, then backward).
   * @returns see {@link BidirectionalOutput}.
   * @throws ShapeError for a bad input, mask or initial state.
   * @example
   * ```ts
   * const y = bi.apply(x, { mask });
   * ```
   */
  override apply(input: tf.Tensor, options: RecurrentApplyOptions = {}): BidirectionalOutput<S, M> {
    return super.apply(input, options);
  }

  protected call(x: tf.Tensor, options: RecurrentApplyOptions): BidirectionalOutput<S, M> {
    const forwardStates = this.forwardLayer.stateNames.length;
    const backwardStates = this.backwardLayer.stateNames.length;
    const initialState = options.initialState ?? null;
    if (initialState !== null && initialState.length !== forwardStates + backwardStates) {
      const names = `forward [${this.forwardLayer.stateNames.join(', ')}], then backward [${this.backwardLayer.stateNames.join(', ')}]`;
      throw new ShapeError(`${this.label}: initialState expected ${forwardStates + backwardStates} tensors (${names}), got ${initialState.length}`);
    }
    const returnState = this.forwardLayer.config.returnState;
    return tf.tidy(() => {
      const fw = this.forwardLayer.apply(x, { ...options, initialState: initialState?.slice(0, forwardStates) ?? null }) as tf.Tensor | tf.Tensor[];
      const bw = this.backwardLayer.apply(x, { ...options, initialState: initialState?.slice(forwardStates) ?? null }) as tf.Tensor | tf.Tensor[];
      const [yF, ...statesF] = returnState ? (fw as tf.Tensor[]) : [fw as tf.Tensor];
      const [yB, ...statesB] = returnState ? (bw as tf.Tensor[]) : [bw as tf.Tensor];
      // The backward layer emits its sequence last step first; put it back in time order.
      const yBack = this.forwardLayer.config.returnSequences ? tf.reverse(yB!, 1) : yB!;
      const merged = mergeDirections(yF!, yBack, this.mergeMode);
      const outputs = Array.isArray(merged) ? merged : [merged];
      if (!returnState && outputs.length === 1) return outputs[0]!;
      return [...outputs, ...statesF, ...statesB];
    }) as BidirectionalOutput<S, M>;
  }
}
