import { ConfigError, tf } from '@tensorloom/core';
import type { TensorTree } from '@tensorloom/layers';
import type { Metric } from '@tensorloom/metrics';
import type { Loss } from '../losses/loss.js';
import type { AnyModule } from '../step/value-and-grads.js';
import { BatchSignature, disposeBatch, openEpoch, readBatch } from './batch.js';
import type { Batch, BatchLike, BatchShapes, DataSource } from './batch.js';
import type { Logs } from '../callbacks/callback.js';
import { rng } from '@tensorloom/core';

/**
 * Options of {@link evaluate}.
 *
 * @example
 * ```ts
 * const options: EvaluateOptions = { loss: losses.meanSquaredError(), metrics: { mae: meanAbsoluteError() } };
 * ```
 */
export interface EvaluateOptions {
  /** The loss to average over the data (weighted by batch size). Default none. */
  loss?: Loss;
  /** Streaming metrics by name; each is reset first and updated with every batch. */
  metrics?: Record<string, Metric<number>>;
  /** The epoch passed to a function data source (which seeds its order). Default 0. */
  epoch?: number;
  /** Stop after this many batches. Default: all. */
  steps?: number;
  /** `'fixed'` (every batch shaped like the first, but for the batch axis) or `'varying'` (same rank and dtype). Default `'fixed'`. */
  batchShapes?: BatchShapes;
}

/** @internal Applies the model to one batch's input. */
export function applyModel(model: AnyModule, x: TensorTree, training: boolean): tf.Tensor {
  return model.apply(x, { training }) as tf.Tensor;
}

/** @internal The loss of a batch with its sample weights (class weights already folded in). */
export function batchLoss(loss: Loss, batch: Batch, yPred: tf.Tensor, sampleWeight: tf.Tensor | null): tf.Scalar {
  const y = batch.y as tf.Tensor;
  const value = sampleWeight === null ? loss(y, yPred) : loss(y, yPred, sampleWeight);
  return value as tf.Scalar;
}

/**
 * Runs the model over data in inference mode (`training: false`, dropout off) and returns the
 * mean loss and each metric's result as plain numbers.
 *
 * The loss is summed on the device and read back once at the end; metrics read their
 * inputs as they do (see `@tensorloom/metrics`). Batches from a non-array source are
 * disposed.
 *
 * @param model - the model.
 * @param data - batches `{ x, y }` or `[x, y]`, as for {@link fit}.
 * @param options - loss, metrics, steps.
 * @returns `{ loss, <metric>: value }` (only what was asked for).
 * @throws ConfigError for bad options or batches, naming them.
 * @example
 * ```ts
 * const logs = await evaluate(model, testBatches, {
 *   loss: losses.sparseCategoricalCrossentropy({ fromLogits: true }),
 *   metrics: { accuracy: accuracy() },
 * });
 * console.log(logs.loss, logs.accuracy);
 * ```
 */
export async function evaluate(model: AnyModule, data: DataSource, options: EvaluateOptions = {}): Promise<Logs> {
  return evaluateWith('evaluate', model, data, options);
}

/** @internal evaluate, with the unit name used in messages (`fit: validation`). */
export async function evaluateWith(unit: string, model: AnyModule, data: DataSource, options: EvaluateOptions): Promise<Logs> {
  if (options.steps !== undefined && !(Number.isInteger(options.steps) && options.steps > 0)) {
    throw new ConfigError(`${unit}: steps expected an integer > 0, got ${String(options.steps)}`);
  }
  if (options.batchShapes !== undefined && options.batchShapes !== 'fixed' && options.batchShapes !== 'varying') {
    throw new ConfigError(`${unit}: batchShapes expected 'fixed' or 'varying', got ${String(options.batchShapes)}`);
  }
  const metrics = Object.entries(options.metrics ?? {});
  for (const [, m] of metrics) m.reset();
  const epoch = options.epoch ?? 0;
  const { iterable, owned } = openEpoch(unit, 'data', data, { epoch, rng: rng(0).fold('data').fold(epoch) });
  const signature = new BatchSignature(unit, options.batchShapes);
  let lossSum: tf.Scalar | null = null;
  let count = 0;
  let index = 0;
  try {
    for await (const raw of iterable as AsyncIterable<unknown>) {
      if (options.steps !== undefined && index >= options.steps) {
        if (owned) disposeBatch(raw);
        break;
      }
      try {
        const batch = readBatch(unit, index, raw, options.loss !== undefined || metrics.length > 0);
        signature.check(index, batch);
        const yPred = tf.tidy(() => applyModel(model, batch.x, false));
        try {
          if (options.loss !== undefined) {
            const next = tf.tidy(() => {
              const l = tf.mul(batchLoss(options.loss!, batch, yPred, batch.sampleWeight), batch.size);
              return lossSum === null ? l : tf.add(lossSum, l);
            }) as tf.Scalar;
            lossSum?.dispose();
            lossSum = next;
          }
          for (const [, m] of metrics) {
            if (batch.sampleWeight === null) m.update(batch.y as tf.Tensor, yPred);
            else m.update(batch.y as tf.Tensor, yPred, batch.sampleWeight);
          }
        } finally {
          yPred.dispose();
        }
        count += batch.size;
      } finally {
        if (owned) disposeBatch(raw);
      }
      index++;
    }
    const logs: Logs = {};
    if (options.loss !== undefined) {
      logs['loss'] = lossSum === null || count === 0 ? Number.NaN : (await (lossSum as tf.Scalar).data())[0]! / count;
    }
    for (const [name, m] of metrics) logs[name] = m.result();
    return logs;
  } finally {
    (lossSum as tf.Scalar | null)?.dispose();
  }
}

/**
 * Runs the model over batches in inference mode and concatenates the outputs along the batch
 * axis. Each item is an input tensor (or list/record of them) or a batch `{ x, ... }` /
 * `[x, ...]` whose other fields are ignored.
 *
 * @param model - the model.
 * @param data - an Iterable or AsyncIterable of inputs or batches.
 * @returns the predictions, owned by the caller.
 * @throws ConfigError when the data yields nothing.
 * @example
 * ```ts
 * const logits = await predict(model, [xBatch1, xBatch2]);
 * logits.dispose();
 * ```
 */
export async function predict(
  model: AnyModule,
  data: Iterable<TensorTree | BatchLike> | AsyncIterable<TensorTree | BatchLike>,
): Promise<tf.Tensor> {
  const { iterable, owned } = openEpoch('predict', 'data', data as DataSource, { epoch: 0, rng: rng(0).fold('data').fold(0) });
  const parts: tf.Tensor[] = [];
  let index = 0;
  try {
    for await (const raw of iterable as AsyncIterable<unknown>) {
      try {
        const isInputRecord =
          raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !(raw instanceof tf.Tensor) && !('x' in raw) && !('xs' in raw);
        const item = raw instanceof tf.Tensor || isInputRecord ? { x: raw } : raw;
        const batch = readBatch('predict', index, item, false);
        parts.push(tf.tidy(() => applyModel(model, batch.x, false)));
      } finally {
        if (owned) disposeBatch(raw);
      }
      index++;
    }
    if (parts.length === 0) throw new ConfigError('predict: data expected at least one batch, got none');
    return parts.length === 1 ? parts[0]!.clone() : tf.concat(parts, 0);
  } finally {
    tf.dispose(parts);
  }
}
