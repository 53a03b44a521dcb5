import { ConfigError, tf } from '@tensorloom/core';
import { clipByGlobalNorm, clipByNorm, clipByValue } from '../clipping/clipping.js';
import type { WeightsEma } from '../ema/ema.js';
import type { Optimizer, OptimizerState } from '../optimizers/optimizer.js';
import { valueAndGrads } from './value-and-grads.js';
import type { AnyModule } from './value-and-grads.js';

/**
 * Gradient clipping applied to the (accumulated) gradient before the update. At most one of
 * each kind; they apply in the order value → norm → global norm.
 *
 * @example
 * ```ts
 * const clip: ClipOptions = { globalNorm: 1 };
 * ```
 */
export interface ClipOptions {
  /** Clamp every gradient element to `[-value, value]`. */
  value?: number;
  /** Rescale each gradient tensor to an L2 norm of at most `norm`. */
  norm?: number;
  /** Rescale all gradients together to a global L2 norm of at most `globalNorm`. */
  globalNorm?: number;
}

/**
 * Configuration of {@link trainStep}.
 *
 * @typeParam B - the batch type the step takes.
 * @example
 * ```ts
 * const config: TrainStepConfig<{ x: tf.Tensor; y: tf.Tensor }> = {
 *   model, optimizer: optimizers.adam({ learningRate: 1e-3 }),
 *   loss: ({ x, y }) => mse(y, model.apply(x, { training: true })) as tf.Scalar,
 * };
 * ```
 */
export interface TrainStepConfig<B> {
  /** The model whose trainable parameters are updated. */
  model: AnyModule;
  /** The optimizer that applies the (clipped, averaged) gradients. */
  optimizer: Optimizer;
  /**
   * The data loss of one batch as a scalar; runs under the gradient tape, so it must apply
   * the model itself (with `training: true`).
   */
  loss: (batch: B) => tf.Scalar;
  /** Gradient clipping. Default none. */
  clip?: ClipOptions;
  /**
   * Accumulate the gradients of this many batches and apply their mean as one update, the
   * same as one batch `accumulate` times larger (for mean-reduced losses over equal batches).
   * Default 1.
   */
  accumulate?: number;
  /** Add `model.regularizationLoss()` (the layers' penalties) to the loss. Default `true`. */
  regularization?: boolean;
  /** Update this moving average of the weights after every optimizer update. Default none. */
  ema?: WeightsEma;
  /**
   * Keep a per-parameter gradient sum on the device ({@link StepOutput.gradSums}) so a
   * non-finite gradient can be traced to its parameter without reading back. Default `false`.
   */
  trackFinite?: boolean;
}

/**
 * What one call of a {@link TrainStep} returns; the caller disposes `loss` (and `gradSums`).
 *
 * @example
 * ```ts
 * const { loss, updated } = step(batch);
 * loss.dispose();
 * ```
 */
export interface StepOutput {
  /** The batch's loss, regularization included (a scalar on the device). */
  loss: tf.Scalar;
  /** Whether this call applied an optimizer update (false while accumulating). */
  updated: boolean;
  /** With `trackFinite`: the sum of each gradient, in {@link TrainStep.parameterPaths} order. */
  gradSums: tf.Tensor1D | null;
}

/**
 * A reusable training step made by {@link trainStep}: call it on one batch.
 *
 * @typeParam B - the batch type.
 * @example
 * ```ts
 * const step = trainStep({ model, optimizer, loss });
 * for (const batch of batches) step(batch).loss.dispose();
 * step.dispose();
 * ```
 */
export interface TrainStep<B> {
  /** Runs gradients → accumulation → clipping → update → constraints → EMA on one batch. */
  (batch: B): StepOutput;
  /** Batches accumulated since the last update (0 when none are pending). */
  readonly pending: number;
  /** The trainable parameter paths, in the order of {@link StepOutput.gradSums}. */
  readonly parameterPaths: readonly string[];
  /** The pending accumulated gradients (copies; caller disposes) and their count, for checkpoints. */
  getState(): OptimizerState;
  /** Restores what {@link TrainStep.getState} returned. */
  setState(state: OptimizerState): void;
  /** Drops pending accumulated gradients. */
  dispose(): void;
}

function checkClip(clip: ClipOptions | undefined): void {
  if (clip === undefined) return;
  for (const key of Object.keys(clip)) {
    if (!['value', 'norm', 'globalNorm'].includes(key)) {
      throw new ConfigError(`trainStep: clip.${key} expected one of value, norm, globalNorm, got an unknown key`);
    }
  }
  for (const key of ['value', 'norm', 'globalNorm'] as const) {
    const v = clip[key];
    if (v !== undefined && !(typeof v === 'number' && v > 0 && Number.isFinite(v))) {
      throw new ConfigError(`trainStep: clip.${key} expected a finite number > 0, got ${String(v)}`);
    }
  }
}

/** Applies the configured clipping; returns new tensors (the input is not disposed). */
export function applyClip(grads: Record<string, tf.Tensor>, clip: ClipOptions | undefined): Record<string, tf.Tensor> {
  if (clip === undefined) return grads;
  let current = grads;
  const owned: tf.Tensor[] = [];
  if (clip.value !== undefined) {
    current = clipByValue(current, clip.value);
    owned.push(...Object.values(current));
  }
  if (clip.norm !== undefined) {
    current = clipByNorm(current, clip.norm);
    owned.push(...Object.values(current));
  }
  if (clip.globalNorm !== undefined) {
    const { grads: clipped, globalNorm } = clipByGlobalNorm(current, clip.globalNorm);
    globalNorm.dispose();
    current = clipped;
  }
  const keep = new Set(Object.values(current));
  for (const t of owned) if (!keep.has(t)) t.dispose();
  return current;
}

/**
 * Builds the one training step every loop in this package runs: gradients of the loss (plus
 * the layers' regularization penalties) by dotted parameter path → accumulation over
 * `accumulate` batches → clipping → optimizer update → `model.applyConstraints()` → EMA.
 *
 * Nothing is read back from the device; the returned loss stays a tensor. Each call runs in
 * its own scope and leaves only the returned tensors (and, while accumulating, the running
 * gradient sums) alive.
 *
 * @param config - the model, optimizer, loss and step options.
 * @returns a reusable step function.
 * @throws ConfigError for a bad option (named).
 * @example
 * ```ts
 * const mse = losses.meanSquaredError();
 * const step = trainStep({
 *   model, optimizer: optimizers.sgd({ learningRate: 0.1 }), clip: { globalNorm: 1 }, accumulate: 2,
 *   loss: ({ x, y }: { x: tf.Tensor; y: tf.Tensor }) => mse(y, model.apply(x, { training: true })) as tf.Scalar,
 * });
 * const { loss } = step({ x, y });
 * console.log(loss.dataSync()[0]);
 * loss.dispose();
 * ```
 */
export function trainStep<B>(config: TrainStepConfig<B>): TrainStep<B> {
  const accumulate = config.accumulate ?? 1;
  if (!Number.isInteger(accumulate) || accumulate < 1) {
    throw new ConfigError(`trainStep: accumulate expected an integer >= 1, got ${String(accumulate)}`);
  }
  if (typeof config.loss !== 'function') {
    throw new ConfigError(`trainStep: loss expected a function of the batch returning a scalar, got ${typeof config.loss}`);
  }
  if (config.optimizer === undefined || typeof config.optimizer.apply !== 'function') {
    throw new ConfigError(`trainStep: optimizer expected an Optimizer (optimizers.adam(...), ...), got ${String(config.optimizer)}`);
  }
  checkClip(config.clip);
  const { model, optimizer } = config;
  const regularization = config.regularization ?? true;
  let sums: Record<string, tf.Tensor> | null = null;
  let pending = 0;
  let paths: string[] = [];

  const step = ((batch: B): StepOutput => {
    if (!model.built) {
      throw new ConfigError(`trainStep ${model.label}: model expected to be built before the first step, got an unbuilt model`, {
        help: 'call model.build(inputShape, rng(seed)) first, so its initial weights come from your seed',
      });
    }
    const params = model.trainableParameters();
    let loss!: tf.Scalar;
    let gradSums: tf.Tensor1D | null = null;
    let updated = false;
    tf.tidy(() => {
      const lossFn = (): tf.Scalar => {
        const data = config.loss(batch);
        return regularization ? tf.add(data, model.regularizationLoss()) : data;
      };
      const result = valueAndGrads(model, lossFn, { parameters: params });
      loss = tf.keep(result.loss);
      const live = params;
      paths = Object.keys(live);
      if (config.trackFinite === true) {
        gradSums = tf.keep(tf.stack(paths.map((p) => (result.grads[p] === undefined ? tf.scalar(0) : tf.sum(result.grads[p]!))))) as tf.Tensor1D;
      }
      if (accumulate > 1) {
        const next: Record<string, tf.Tensor> = {};
        for (const [p, g] of Object.entries(result.grads)) {
          next[p] = tf.keep(sums !== null && sums[p] !== undefined ? tf.add(sums[p]!, g) : tf.clone(g));
        }
        if (sums !== null) {
          for (const [p, s] of Object.entries(sums)) if (next[p] === undefined) next[p] = s;
          for (const [p, s] of Object.entries(sums)) if (next[p] !== s) s.dispose();
        }
        sums = next;
        pending++;
        if (pending < accumulate) return;
      }
      const raw: Record<string, tf.Tensor> =
        accumulate > 1 ? Object.fromEntries(Object.entries(sums!).map(([p, s]) => [p, tf.div(s, accumulate)])) : result.grads;
      const clipped = applyClip(raw, config.clip);
      optimizer.apply(live, clipped);
      model.applyConstraints();
      config.ema?.update(live);
      updated = true;
    });
    if (updated && sums !== null) {
      tf.dispose(Object.values(sums));
      sums = null;
      pending = 0;
    }
    return { loss, updated, gradSums };
  }) as TrainStep<B>;

  Object.defineProperty(step, 'pending', { get: () => pending });
  Object.defineProperty(step, 'parameterPaths', { get: () => (paths.length > 0 ? paths : Object.keys(model.built ? model.trainableParameters() : {})) });
  step.getState = () => ({
    tensors: sums === null ? {} : Object.fromEntries(Object.entries(sums).map(([p, s]) => [p, tf.clone(s)])),
    config: { pending, accumulate },
  });
  step.setState = (state: OptimizerState) => {
    const n = state.config['pending'];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n >= accumulate) {
      throw new ConfigError(`trainStep: state.config.pending expected an integer in [0, ${accumulate}), got ${String(n)}`);
    }
    if (sums !== null) tf.dispose(Object.values(sums));
    sums = n === 0 ? null : Object.fromEntries(Object.entries(state.tensors).map(([p, s]) => [p, tf.clone(s)]));
    pending = n;
  };
  step.dispose = () => {
    if (sums !== null) tf.dispose(Object.values(sums));
    sums = null;
    pending = 0;
  };
  return step;
}
