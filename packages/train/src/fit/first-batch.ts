import { ConfigError, DTypeError, ShapeError, formatShape, tf } from '@tensorloom/core';
import type { Loss } from '../losses/loss.js';
import type { AnyModule } from '../step/value-and-grads.js';
import type { Batch } from './batch.js';

/**
 * @internal Checks the first batch against the model's output and the loss before the first
 * step: class-id labels of a sparse cross-entropy must be integers in [0, classes) (or the
 * loss's `ignoreIndex`), binary labels in [0, 1], and dense targets must have the output's
 * shape. Reads the labels back once.
 */
export function checkFirstBatch(unit: string, index: number, model: AnyModule, batch: Batch, loss: Loss | undefined): void {
  if (loss === undefined || !(batch.y instanceof tf.Tensor)) return;
  const where = `${unit}: batch ${index}: y`;
  const y = batch.y;
  const out = model.recordedOutputShape;
  const outShape = Array.isArray(out) && out.every((d) => d === null || typeof d === 'number') ? (out as (number | null)[]) : null;
  const name = loss.lossName;
  if (name === 'sparse_categorical_crossentropy') {
    if (y.dtype !== 'int32' && y.dtype !== 'float32') throw new DTypeError(`${where} expected int32 class ids, got dtype ${y.dtype}`);
    const classes = outShape === null ? null : outShape[outShape.length - 1];
    const ignore = (loss as unknown as { ignoreIndex?: number | null }).ignoreIndex ?? null;
    const values = y.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v === ignore) continue;
      if (!Number.isInteger(v) || v < 0 || (typeof classes === 'number' && v >= classes)) {
        throw new ConfigError(
          `${where} expected class ids in [0, ${classes ?? 'classes'}) for ${name}, got ${v} at position ${i}`,
          { help: `the model outputs ${classes ?? 'an unknown number of'} classes; labels must be 0-based ids below that` },
        );
      }
    }
    return;
  }
  if (name === 'binary_crossentropy' || name === 'binary_focal_crossentropy') {
    const values = y.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!(v >= 0 && v <= 1)) throw new ConfigError(`${where} expected targets in [0, 1] for ${name}, got ${v} at position ${i}`);
    }
  }
  if (outShape !== null && name !== 'sparse_categorical_crossentropy') {
    const want = outShape.slice(1);
    const got = y.shape.slice(1);
    const same = want.length === got.length && want.every((d, i) => d === null || d === got[i]);
    const squeezable = want.length === 1 && want[0] === 1 && got.length === 0;
    if (!same && !squeezable) {
      throw new ShapeError(`${where} expected shape ${formatShape([null, ...want])} like the model output for ${name}, got ${formatShape(y.shape)}`);
    }
  }
}
