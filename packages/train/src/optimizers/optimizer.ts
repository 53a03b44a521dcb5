import type { tf } from '@tensorloom/core';

import type { Schedule } from '../schedules/schedule.js';

/**
 * Settings for the parameters whose dotted path matches: their own learning rate (or schedule) and
 * weight decay. The first group that matches a path wins; unmatched paths use the optimizer's own
 * options.
 *
 * @example
 * ```ts
 * const opt = optimizers.adamW({
 *   learningRate: 1e-3,
 *   groups: [{ match: /^backbone\./, learningRate: 1e-4 }, { match: /\.bias$/, weightDecay: 0 }],
 * });
 * ```
 */
export interface ParamGroup {
  /** Which parameters belong to the group: a regular expression tested on the path, or a predicate. */
  match: RegExp | ((path: string) => boolean);
  /** The group's learning rate or schedule; default the optimizer's. */
  learningRate?: number | Schedule;
  /** The group's weight decay; default the optimizer's. */
  weightDecay?: number;
}

/**
 * An optimizer's whole state: slot tensors keyed `<paramPath>/<slot>` and a JSON config (step,
 * learning-rate scale, group settings, schedule config).
 *
 * @example
 * ```ts
 * const state: OptimizerState = opt.getState();
 * Object.keys(state.tensors); // ['dense.kernel/m', 'dense.kernel/v', …]
 * tf.dispose(Object.values(state.tensors));
 * ```
 */
export interface OptimizerState {
  /** Slot tensors keyed `<paramPath>/<slot>`. */
  tensors: Record<string, tf.Tensor>;
  /** JSON-serialisable settings and counters. */
  config: Record<string, unknown>;
}

/**
 * An optimizer whose state is keyed by the dotted parameter path, never by position.
 *
 * @example
 * ```ts
 * const opt: Optimizer = optimizers.adam({ learningRate: 1e-3 });
 * opt.apply(model.trainableParameters(), grads);
 * opt.iterations; // 1
 * ```
 */
export interface Optimizer {
  /** The optimizer's name: `'adamw'`, `'sgd'`, …. */
  readonly name: string;
  /** Updates applied so far. */
  readonly iterations: number;
  /** The learning rate the next update uses for the default group (schedule(iterations) × scale). */
  currentLearningRate(): number;
  /** Multiplier on every group's rate (reduce-on-plateau sets it); saved in the state. */
  learningRateScale: number;
  /**
   * One update. params and grads keyed by dotted parameter path; grads are not disposed; a grad
   * missing for a param means no update for it; a grad for an unknown path throws. Runs inside its
   * own tidy, no leaks.
   */
  apply(params: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>): void;
  /** A copy of the whole state; the caller disposes its tensors. */
  getState(): OptimizerState;
  /** strict: throws on missing/extra slot entries naming them; leaves state unchanged on failure. */
  setState(state: OptimizerState, options?: { strict?: boolean }): void;
  /** Optional: weights for evaluation differ (Schedule-Free). Swap in before eval/save/predict, back after. */
  swapToEvalWeights?(params: Record<string, tf.Variable>): void;
  /** Optional: undoes {@link Optimizer.swapToEvalWeights}. */
  swapToTrainWeights?(params: Record<string, tf.Variable>): void;
  /** Frees the slot tensors. */
  dispose(): void;
}
