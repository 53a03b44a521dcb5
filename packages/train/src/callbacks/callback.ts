import type { Optimizer, OptimizerState } from '../optimizers/optimizer.js';
import type { History } from '../fit/history.js';
import type { AnyModule } from '../step/value-and-grads.js';
import type { CheckpointStore } from '../checkpoint/store.js';

/**
 * Values handed to callbacks: plain numbers by name (`loss`, `lr`, `accuracy`, `val.loss`,
 * `val.accuracy`, …), never tensors.
 *
 * @example
 * ```ts
 * const logs: Logs = { loss: 0.31, lr: 1e-3 };
 * ```
 */
export type Logs = Record<string, number>;

/**
 * What callbacks see of a running {@link fit}: the model, the optimizers, where the run is,
 * its history, and the way to stop it or save it.
 *
 * @example
 * ```ts
 * const stopAtHalf = callbacks.lambda({ onEpochEnd: (ctx, _e, logs) => { if (logs.loss! < 0.5) ctx.stop('good enough'); } });
 * ```
 */
export interface TrainContext {
  /** The model being trained. */
  readonly model: AnyModule;
  /** The main optimizer (the first of {@link TrainContext.optimizers}), or `null` for a custom step without one. */
  readonly optimizer: Optimizer | null;
  /** Every optimizer of the run by name (`'optimizer'` for the default step; a GAN's `'generator'` and `'discriminator'`). */
  readonly optimizers: Readonly<Record<string, Optimizer>>;
  /** The epoch training stops before (`options.epochs`). */
  readonly epochs: number;
  /** Steps per epoch when known (`options.stepsPerEpoch`, or the data's length), else `null`. */
  readonly stepsPerEpoch: number | null;
  /** The current (or last) 0-based epoch. */
  readonly epoch: number;
  /** Batches completed in the current epoch. */
  readonly batch: number;
  /** Steps completed since the start of training (across resumes). */
  readonly globalStep: number;
  /** The history so far. */
  readonly history: History;
  /** Whether {@link TrainContext.stop} was called. */
  readonly stopped: boolean;
  /** Why training stopped, once stopped. */
  readonly stopReason: string | null;
  /** Asks fit to stop after the current batch (or epoch, from an epoch hook). */
  stop(reason?: string): void;
  /**
   * Writes a checkpoint of the whole run (weights, optimizer and EMA state, RNG state, data
   * position, history, config) under `name` in `store`.
   */
  save(store: CheckpointStore, name: string): Promise<void>;
}

/**
 * A training callback: any of the hooks, each may be async. Hooks receive plain numbers.
 *
 * @example
 * ```ts
 * const printer: Callback = { onEpochEnd: (_ctx, epoch, logs) => console.log(epoch, logs.loss) };
 * ```
 */
export interface Callback {
  /** Ask fit to read the loss back every step so `onBatchEnd` gets `logs.loss` (costs one device read per step). */
  readonly needsBatchLogs?: boolean;
  /** Before the first epoch (after a resume has been restored). */
  onTrainBegin?(ctx: TrainContext): void | Promise<void>;
  /** After the last epoch, or after a stop; `logs` are the last epoch's values. */
  onTrainEnd?(ctx: TrainContext, logs: Logs): void | Promise<void>;
  /** At the start of each epoch. */
  onEpochBegin?(ctx: TrainContext, epoch: number): void | Promise<void>;
  /** At the end of each epoch, with its values (training, then `val.*`). */
  onEpochEnd?(ctx: TrainContext, epoch: number, logs: Logs): void | Promise<void>;
  /** Before each step; `batch` is its index in the epoch. */
  onBatchBegin?(ctx: TrainContext, batch: number): void | Promise<void>;
  /** After each step: `lr`, `size`, and `loss` (plus a custom step's values) when read back. */
  onBatchEnd?(ctx: TrainContext, batch: number, logs: Logs): void | Promise<void>;
  /**
   * The name of this callback's state in checkpoints. With {@link Callback.getState} and
   * {@link Callback.setState} the state survives a resume: `earlyStopping` keeps its best value,
   * patience count and best weights, `reduceLrOnPlateau` its plateau count, `checkpoint` its best
   * value.
   */
  readonly stateName?: string;
  /** This callback's state for a checkpoint: tensors (new copies, which the caller disposes) and JSON. */
  getState?(): CallbackState;
  /** Restores a state written by {@link Callback.getState}, after `onTrainBegin` of a resumed run; copies what it keeps. */
  setState?(state: CallbackState): void;
  /**
   * Run this callback's hooks after every other callback's (stable among such callbacks).
   * `checkpoint` sets it, so a checkpoint written at an epoch's end holds what the other
   * callbacks did at that epoch.
   */
  readonly runsLast?: boolean;
}

/**
 * A callback's state in a checkpoint: tensors by name, and JSON-serialisable values.
 *
 * @example
 * ```ts
 * const state: CallbackState = { tensors: {}, config: { best: 0.31, wait: 1 } };
 * ```
 */
export type CallbackState = OptimizerState;
