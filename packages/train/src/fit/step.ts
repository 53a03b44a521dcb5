import type { Rng, tf } from '@tensorloom/core';
import type { Optimizer, OptimizerState } from '../optimizers/optimizer.js';
import type { AnyModule } from '../step/value-and-grads.js';
import type { Batch } from './batch.js';

/**
 * What a {@link FitStep} gets besides the batch: where the run is, and a generator for this
 * step only (fit's seed folded with `'step'` and the global step), so a resumed run draws the
 * same numbers.
 *
 * @example
 * ```ts
 * const noise = ctx.rng.normalTensor([batch.size, 8]);
 * ```
 */
export interface StepContext {
  /** The 0-based epoch. */
  epoch: number;
  /** The batch index within the epoch. */
  batch: number;
  /** Steps completed before this one. */
  globalStep: number;
  /** This step's generator. */
  rng: Rng;
}

/**
 * What one {@link FitStep.run} returns: the loss to report and any other scalars to log (all
 * still on the device; fit reads them only when someone needs the numbers and disposes them).
 * `yPred`, when given, feeds the metrics.
 *
 * @example
 * ```ts
 * const out: FitStepOutput = { loss, values: { 'd.loss': dLoss, 'g.loss': gLoss } };
 * ```
 */
export interface FitStepOutput {
  /** The step's main loss. */
  loss: tf.Scalar;
  /** More scalars to log by name. */
  values?: Record<string, tf.Scalar>;
  /** Predictions for the metrics (compared with the batch's `y`). */
  yPred?: tf.Tensor;
}

/**
 * A custom training step for {@link fit}: anything that is not one loss and one optimizer (a
 * GAN's alternating updates, a VAE's two terms). The optimizers and modules it names are
 * checkpointed and resumed with the model.
 *
 * @example
 * ```ts
 * const step: FitStep = {
 *   optimizers: { optimizer: opt },
 *   run: (batch) => {
 *     const out = inner(batch); // a trainStep
 *     return { loss: out.loss };
 *   },
 * };
 * ```
 */
export interface FitStep {
  /** Runs one training step on a batch. */
  run(batch: Batch, ctx: StepContext): FitStepOutput;
  /** The optimizers it updates, by name (saved in checkpoints; the first gives `lr`). */
  readonly optimizers: Readonly<Record<string, Optimizer>>;
  /** Modules besides fit's model whose weights it changes (saved in checkpoints), by name. */
  readonly modules?: Readonly<Record<string, AnyModule>>;
  /** Extra state that must survive a restart (e.g. accumulated gradients). */
  getState?(): OptimizerState;
  /** Restores {@link FitStep.getState}. */
  setState?(state: OptimizerState): void;
  /** Frees what the step holds between calls. */
  dispose?(): void;
}
