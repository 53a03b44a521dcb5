// Config checks shared by the model factories. Not exported from the package.
import { ConfigError } from '@tensorloom/core';
import { getActivation } from '@tensorloom/layers';

/** The activation names of the layers package, probed once from `getActivation`. */
const ACTIVATION_NAMES: readonly string[] = [
  'linear', 'relu', 'relu6', 'leakyRelu', 'elu', 'selu', 'gelu', 'geluTanh',
  'sigmoid', 'hardSigmoid', 'tanh', 'softmax', 'logSoftmax', 'silu', 'swish', 'softplus', 'softsign',
].filter((name) => {
  try {
    getActivation(name as never);
    return true;
  } catch {
    return false;
  }
});

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : Array.isArray(value) ? `[${value.map(show).join(', ')}]` : String(value);
}

/** A positive integer, or a ConfigError `<unit>: <field> expected a positive integer, got <value>`. */
export function positiveInt(unit: string, field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${unit}: ${field} expected a positive integer, got ${show(value)}`);
  return value;
}

/** A non-negative integer. */
export function nonNegativeInt(unit: string, field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new ConfigError(`${unit}: ${field} expected a non-negative integer, got ${show(value)}`);
  return value;
}

/** A number in `[0, 1)`. */
export function rate(unit: string, field: string, value: number): number {
  if (!(value >= 0 && value < 1)) throw new ConfigError(`${unit}: ${field} expected a number in [0, 1), got ${show(value)}`);
  return value;
}

/** A finite number > 0. */
export function positive(unit: string, field: string, value: number): number {
  if (!(value > 0 && Number.isFinite(value))) throw new ConfigError(`${unit}: ${field} expected a finite number > 0, got ${show(value)}`);
  return value;
}

/** One of a fixed set of values. */
export function oneOf<T>(unit: string, field: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) throw new ConfigError(`${unit}: ${field} expected one of ${allowed.map(show).join(', ')}, got ${show(value)}`);
  return value;
}

/** A non-empty list of positive integers. */
export function positiveInts(unit: string, field: string, value: readonly number[], allowEmpty = false): number[] {
  if (!Array.isArray(value) || (!allowEmpty && value.length === 0) || value.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new ConfigError(`${unit}: ${field} expected a ${allowEmpty ? '' : 'non-empty '}list of positive integers, got ${show(value)}`);
  }
  return [...value];
}

/** A boolean. */
export function bool(unit: string, field: string, value: boolean): boolean {
  if (typeof value !== 'boolean') throw new ConfigError(`${unit}: ${field} expected true or false, got ${show(value)}`);
  return value;
}

/** An image shape `[height, width, channels]` of positive integers. */
export function imageShape(unit: string, field: string, value: readonly number[]): [number, number, number] {
  if (!Array.isArray(value) || value.length !== 3 || value.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new ConfigError(`${unit}: ${field} expected [height, width, channels] of positive integers, got ${show(value)}`);
  }
  return [value[0]!, value[1]!, value[2]!];
}

/** An activation name the layers package knows. */
export function activationName<T extends string>(unit: string, field: string, value: T): T {
  if (typeof value !== 'string' || !ACTIVATION_NAMES.includes(value)) {
    throw new ConfigError(`${unit}: ${field} expected one of ${ACTIVATION_NAMES.join(', ')}, got ${show(value)}`);
  }
  return value;
}
