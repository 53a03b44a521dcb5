// What Module.apply checks and converts before a module computes: the input's structure and
// dtypes. Imports nothing from module.ts (module.ts imports it).
import { DTypeError, ShapeError, tf } from '@tensorloom/core';

/**
 * How a module treats the dtype of the tensors it is applied to (see `Module.inputDtype`):
 * `'float32'` casts int32 and bool tensors to float32; `'any'` passes every real dtype
 * through. Both reject string and complex64 tensors.
 *
 * @group Modules
 */
export type InputDtypeRule = 'float32' | 'any';

function describe(x: unknown): string {
  if (x === undefined) return 'undefined';
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (ArrayBuffer.isView(x)) return `a ${x.constructor.name}`;
  if (typeof x === 'string') return `string '${x.length > 20 ? `${x.slice(0, 20)}…` : x}'`;
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return `${typeof x} ${String(x)}`;
  if (typeof x === 'object') return 'an object';
  return typeof x;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

function notATree(unit: string, got: string): ShapeError {
  return new ShapeError(`${unit}: input expected a tensor, a list or a record of tensors, got ${got}`, {
    help: 'wrap plain arrays in a tensor first, e.g. layer.apply(tf.tensor2d([[1, 2, 3]]))',
  });
}

function checkTensor(unit: string, arg: string, t: tf.Tensor): void {
  if (t.isDisposed) throw new ShapeError(`${unit}: ${arg} expected a live tensor, got a disposed one`);
  if (t.dtype === 'string' || t.dtype === 'complex64') {
    throw new DTypeError(`${unit}: ${arg} dtype expected float32, int32 or bool, got ${t.dtype}`);
  }
}

/**
 * Checks that `input` is a tensor, a list of tensors or a plain record of tensors, all live
 * and of a real dtype, and applies `rule`. Returns the input to compute on (the same object
 * when nothing was cast) and the tensors this created, which the caller disposes.
 *
 * @throws ShapeError naming `unit` for anything else (what came, and where in a list or
 *   record); DTypeError for a string or complex64 tensor.
 *
 * @group Modules
 */
export function prepareInput<I>(unit: string, input: I, rule: InputDtypeRule): { input: I; created: tf.Tensor[] } {
  const created: tf.Tensor[] = [];
  const convert = (t: tf.Tensor, arg: string): tf.Tensor => {
    checkTensor(unit, arg, t);
    if (rule === 'any' || t.dtype === 'float32') return t;
    const cast = tf.cast(t, 'float32');
    created.push(cast);
    return cast;
  };
  if (input instanceof tf.Tensor) return { input: convert(input, 'input') as I, created };
  if (Array.isArray(input)) {
    input.forEach((item: unknown, i) => {
      if (!(item instanceof tf.Tensor)) throw notATree(unit, `an array holding ${describe(item)} at [${i}]`);
    });
    const out = (input as tf.Tensor[]).map((t, i) => convert(t, `input[${i}]`));
    return { input: (created.length === 0 ? input : out) as I, created };
  }
  if (isRecord(input)) {
    const entries = Object.entries(input);
    // Optional members (a record's absent `key` or `mask`) may be null or undefined.
    for (const [key, item] of entries) {
      if (!(item instanceof tf.Tensor) && item !== null && item !== undefined) {
        throw notATree(unit, `a record holding ${describe(item)} at '${key}'`);
      }
    }
    const out = Object.fromEntries(
      entries.map(([key, t]) => [key, t instanceof tf.Tensor ? convert(t, `input.${key}`) : t]),
    );
    return { input: (created.length === 0 ? input : out) as I, created };
  }
  throw notATree(unit, describe(input));
}

/**
 * Disposes the tensors `prepareInput` created, except any that the module returned.
 *
 * @group Modules
 */
export function disposeCreated(created: readonly tf.Tensor[], output: unknown): void {
  if (created.length === 0) return;
  const returned = new Set<tf.Tensor>();
  const collect = (x: unknown): void => {
    if (x instanceof tf.Tensor) returned.add(x);
    else if (Array.isArray(x)) x.forEach(collect);
    else if (x !== null && typeof x === 'object') Object.values(x).forEach(collect);
  };
  collect(output);
  for (const t of created) if (!returned.has(t)) t.dispose();
}
