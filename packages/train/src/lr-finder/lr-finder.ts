import { ConfigError, tf } from '@tensorloom/core';
import type { Loss } from '../losses/loss.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { trainStep } from '../step/train-step.js';
import type { AnyModule } from '../step/value-and-grads.js';
import { BatchSignature, disposeBatch, openEpoch, readBatch } from '../fit/batch.js';
import type { Batch, DataSource } from '../fit/batch.js';
import { applyModel, batchLoss } from '../fit/evaluate.js';
import { rng } from '@tensorloom/core';

/**
 * Options of {@link lrFinder}.
 *
 * @example
 * ```ts
 * const o: LrFinderOptions = { loss, optimizer: optimizers.sgd({ learningRate: 1 }), minLr: 1e-6, maxLr: 1, steps: 100 };
 * ```
 */
export interface LrFinderOptions {
  /** The loss. */
  loss: Loss;
  /** The optimizer to sweep (its rate is driven through `learningRateScale`; its state is restored after). */
  optimizer: Optimizer;
  /** The first rate. Default 1e-7. */
  minLr?: number;
  /** The last rate. Default 10. */
  maxLr?: number;
  /** Steps of the sweep (the data is cycled when shorter). Default 100. */
  steps?: number;
  /** Exponential smoothing of the loss curve, in [0, 1). Default 0.98 (fastai). */
  smoothing?: number;
  /** Stop once the smoothed loss exceeds this many times its minimum. Default 4. */
  divergeFactor?: number;
}

/**
 * What {@link lrFinder} found.
 *
 * @example
 * ```ts
 * const { suggested, rates, losses } = await lrFinder(model, data, options);
 * ```
 */
export interface LrFinderResult {
  /** The rate of each step (exponentially spaced). */
  rates: number[];
  /** The smoothed (bias-corrected) loss at each step. */
  losses: number[];
  /** The raw loss at each step. */
  rawLosses: number[];
  /** The rate where the smoothed loss falls fastest against log(rate). */
  suggested: number;
  /** The rate of the smoothed loss's minimum, divided by 10 (the other common pick). */
  minimumOverTen: number;
  /** Whether the sweep stopped early because the loss diverged. */
  diverged: boolean;
}

/**
 * The learning-rate range test (Smith 2017, https://arxiv.org/abs/1506.01186; fastai's
 * `lr_find`): train for `steps` steps with the rate growing exponentially from `minLr` to
 * `maxLr`, record the smoothed loss, stop when it diverges, suggest the rate of the steepest
 * descent (after the first tenth of the sweep), and put the model's weights and the optimizer's state back as they were.
 *
 * @param model - the (built) model.
 * @param data - batches, as for {@link fit}.
 * @param options - loss, optimizer, range and steps.
 * @returns the curve and the suggestions.
 * @throws ConfigError for a bad option.
 * @example
 * ```ts
 * const { suggested } = await lrFinder(model, batches, { loss, optimizer: optimizers.adam({ learningRate: 1 }) });
 * const optimizer = optimizers.adam({ learningRate: suggested });
 * ```
 */
export async function lrFinder(model: AnyModule, data: DataSource, options: LrFinderOptions): Promise<LrFinderResult> {
  const unit = 'lrFinder';
  const minLr = options.minLr ?? 1e-7;
  const maxLr = options.maxLr ?? 10;
  const steps = options.steps ?? 100;
  const smoothing = options.smoothing ?? 0.98;
  const divergeFactor = options.divergeFactor ?? 4;
  if (!(minLr > 0 && Number.isFinite(minLr))) throw new ConfigError(`${unit}: minLr expected a finite number > 0, got ${String(minLr)}`);
  if (!(maxLr > minLr && Number.isFinite(maxLr))) throw new ConfigError(`${unit}: maxLr expected a finite number > minLr (${minLr}), got ${String(maxLr)}`);
  if (!Number.isInteger(steps) || steps < 2) throw new ConfigError(`${unit}: steps expected an integer >= 2, got ${String(steps)}`);
  if (!(smoothing >= 0 && smoothing < 1)) throw new ConfigError(`${unit}: smoothing expected a number in [0, 1), got ${String(smoothing)}`);
  if (!(divergeFactor > 1)) throw new ConfigError(`${unit}: divergeFactor expected a number > 1, got ${String(divergeFactor)}`);
  if (typeof options.loss !== 'function') throw new ConfigError(`${unit}: loss expected a Loss, got ${typeof options.loss}`);
  const optimizer = options.optimizer;
  const scale0 = optimizer.learningRateScale;
  const base = optimizer.currentLearningRate() / (scale0 === 0 ? 1 : scale0);
  if (!(base > 0)) throw new ConfigError(`${unit}: optimizer expected a learning rate > 0 to scale, got ${base}`);

  const savedWeights = Object.fromEntries(Object.entries(model.state()).map(([k, v]) => [k, tf.clone(v)]));
  const savedOptimizer = optimizer.getState();
  const step = trainStep<Batch>({
    model,
    optimizer,
    loss: (b) => batchLoss(options.loss, b, applyModel(model, b.x, true), b.sampleWeight),
  });
  const rates: number[] = [];
  const losses: number[] = [];
  const rawLosses: number[] = [];
  let avg = 0;
  let best = Infinity;
  let diverged = false;
  const signature = new BatchSignature(unit);
  try {
    for (let epoch = 0, done = false; !done; epoch++) {
      const { iterable, owned } = openEpoch(unit, 'data', data, { epoch, rng: rng(0).fold('data').fold(epoch) });
      let seen = 0;
      for await (const raw of iterable as AsyncIterable<unknown>) {
        seen++;
        try {
          if (done) continue;
          const i = rates.length;
          const lr = minLr * Math.pow(maxLr / minLr, i / (steps - 1));
          optimizer.learningRateScale = lr / base;
          const batch = readBatch(unit, i, raw, true);
          signature.check(i, batch);
          const out = step(batch);
          const value = out.loss.dataSync()[0]!;
          out.loss.dispose();
          rates.push(lr);
          rawLosses.push(value);
          avg = smoothing * avg + (1 - smoothing) * value;
          const smooth = avg / (1 - Math.pow(smoothing, i + 1));
          losses.push(smooth);
          if (Number.isFinite(smooth)) best = Math.min(best, smooth);
          if (!Number.isFinite(smooth) || (i > 0 && smooth > divergeFactor * best)) {
            diverged = true;
            done = true;
          }
          if (rates.length >= steps) done = true;
        } finally {
          if (owned) disposeBatch(raw);
        }
      }
      if (seen === 0) throw new ConfigError(`${unit}: data expected at least one batch, got none`);
    }
  } finally {
    step.dispose();
    model.loadState(savedWeights);
    tf.dispose(Object.values(savedWeights));
    optimizer.setState(savedOptimizer, { strict: false });
    tf.dispose(Object.values(savedOptimizer.tensors));
    optimizer.learningRateScale = scale0;
  }
  // Steepest descent of the smoothed loss against log(rate), over the finite part before
  // divergence, skipping the first tenth (batch-to-batch noise dominates while the rate is
  // tiny) and the last few points (the blow-up itself), as fastai does.
  const finite = losses.findIndex((l) => !Number.isFinite(l));
  const end = finite < 0 ? losses.length : finite;
  const from = Math.max(1, Math.floor(end / 10));
  const to = Math.max(from + 1, end - (diverged ? 3 : 1));
  let steepest = Math.min(from, end - 1);
  let slope = Infinity;
  for (let i = from; i < to && i < end - 1; i++) {
    const d = (losses[i + 1]! - losses[i - 1]!) / (Math.log(rates[i + 1]!) - Math.log(rates[i - 1]!));
    if (d < slope) {
      slope = d;
      steepest = i;
    }
  }
  let argmin = 0;
  for (let i = 1; i < end; i++) if (losses[i]! < losses[argmin]!) argmin = i;
  return { rates, losses, rawLosses, suggested: rates[steepest]!, minimumOverTen: rates[argmin]! / 10, diverged };
}
