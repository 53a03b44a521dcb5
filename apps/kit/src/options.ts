// Option parsers shared by the commands: each turns a flag's text into a value or fails with
// one line naming the flag, what it takes and what it got (commander prints it; exit code 2).
import { InvalidArgumentError } from 'commander';

/** A whole number ≥ `min`. */
export function integer(min: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^[+-]?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
      throw new InvalidArgumentError(`expected a whole number ≥ ${min}.`);
    }
    return value;
  };
}

/** A finite number in (`low`, `high`] (or [`low`, `high`] with `closedLow`). */
export function number(low: number, high = Infinity, closedLow = false): (text: string) => number {
  return (text) => {
    const value = Number(text);
    const ok = text.trim() !== '' && Number.isFinite(value) && (closedLow ? value >= low : value > low) && value <= high;
    if (!ok) {
      const range = `${closedLow ? '[' : '('}${low}, ${high === Infinity ? '∞)' : `${high}]`}`;
      throw new InvalidArgumentError(`expected a number in ${range}.`);
    }
    return value;
  };
}

/** One of a fixed list of words. */
export function choice<T extends string>(values: readonly T[]): (text: string) => T {
  return (text) => {
    if (!(values as readonly string[]).includes(text)) throw new InvalidArgumentError(`expected one of ${values.join(', ')}.`);
    return text as T;
  };
}
