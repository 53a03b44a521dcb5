import { DTypeError, ShapeError, ValueError, formatShape, tf } from '@tensorloom/core';
import type { NumericInput } from '../metric.js';

/** A flat, read-only view of an input: row-major values and the shape they came with. */
export interface Dense {
  values: ArrayLike<number>;
  shape: number[];
}

/** The number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function isTypedArray(x: unknown): x is ArrayLike<number> {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'string') return `string '${x}'`;
  return typeof x;
}

/**
 * Reads a tensor, number, nested array or typed array into flat values and a shape.
 * Tensors are read with `dataSync()`; nothing is allocated on the tfjs engine.
 */
export function toDense(unit: string, arg: string, x: NumericInput): Dense {
  if (x instanceof tf.Tensor) {
    if (x.isDisposed) throw new ShapeError(`${unit}: ${arg} expected a live tensor, got a disposed one`);
    if (x.dtype === 'string' || x.dtype === 'complex64') {
      throw new DTypeError(`${unit}: ${arg} dtype expected float32, int32 or bool, got ${x.dtype}`);
    }
    return { values: x.dataSync() as ArrayLike<number>, shape: x.shape.slice() };
  }
  if (typeof x === 'number') return { values: [x], shape: [] };
  if (typeof x === 'boolean') return { values: [x ? 1 : 0], shape: [] };
  if (isTypedArray(x)) return { values: x, shape: [x.length] };
  if (!Array.isArray(x)) {
    throw new ShapeError(`${unit}: ${arg} expected a tensor, number, array or typed array, got ${describe(x)}`);
  }
  // The shape is read along the first elements, then every element is checked against it.
  const shape: number[] = [];
  let probe: unknown = x;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  if (isTypedArray(probe)) shape.push(probe.length);
  const values = new Float64Array(sizeOf(shape));
  let k = 0;
  const path: number[] = []; // the index being read, copied into a message only on failure
  const walk = (node: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof node === 'number') values[k++] = node;
      else if (typeof node === 'boolean') values[k++] = node ? 1 : 0;
      else {
        throw new ShapeError(
          `${unit}: ${arg} expected a number at ${formatShape(path)}, got ${describe(node)}`,
        );
      }
      return;
    }
    const isArr = Array.isArray(node) || isTypedArray(node);
    const len = isArr ? (node as ArrayLike<unknown>).length : -1;
    if (len !== shape[depth]) {
      throw new ShapeError(
        `${unit}: ${arg} expected a rectangular array with ${shape[depth]} entries at ${formatShape(path)}, got ${isArr ? `${len} entries` : describe(node)}`,
        { help: `every row must have the same length; the first row fixed the shape ${formatShape(shape)}` },
      );
    }
    if (depth === shape.length - 1 && isTypedArray(node)) {
      for (let i = 0; i < len; i++) values[k++] = node[i];
      return;
    }
    path.push(0);
    for (let i = 0; i < len; i++) {
      path[depth] = i;
      walk((node as ArrayLike<unknown>)[i], depth + 1);
    }
    path.pop();
  };
  walk(x, 0);
  return { values, shape };
}

/**
 * Reads predictions (scores, probabilities, logits, class ids or regressed values) like
 * {@link toDense}, and rejects any NaN or ±Infinity among them with a `ValueError` that
 * names the position and the value. Every metric reads its yPred through here, so a
 * diverged model never gets a score (NaN used to lose every argmax and every threshold,
 * and so read as class 0).
 */
export function readPredictions(unit: string, yPred: NumericInput): Dense {
  const p = toDense(unit, 'yPred', yPred);
  const v = p.values;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) {
      throw new ValueError(`${unit}: yPred expected finite values, got ${v[i]} at ${formatShape(unravel(i, p.shape))}`, {
        help: 'a NaN or infinite prediction usually means the model diverged: check the loss and the learning rate',
      });
    }
  }
  return p;
}

/** The multi-index of flat (row-major) index `i` in `shape`. */
function unravel(i: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    index[a] = i % shape[a];
    i = Math.floor(i / shape[a]);
  }
  return index;
}

/** Drops trailing axes of size 1 (`[4, 1]` → `[4]`), keeping at least rank 0. */
export function squeezeTrailing(shape: readonly number[]): number[] {
  const out = shape.slice();
  while (out.length > 0 && out[out.length - 1] === 1) out.pop();
  return out;
}

/** True when two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** True when `prefix` is a prefix of `shape`. */
export function isPrefix(prefix: readonly number[], shape: readonly number[]): boolean {
  return prefix.length <= shape.length && prefix.every((d, i) => d === shape[i]);
}

/** True when every value is an integer. */
export function allIntegers(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isInteger(values[i])) return false;
  return true;
}
