import { ConfigError } from '@tensorloom/core';

/**
 * Whether smaller (`'min'`) or larger (`'max'`) is better for a monitored value; `'auto'`
 * maximises accuracy-like names (accuracy, auc, f1, precision, recall, iou, dice, r2) and
 * minimises the rest, as Keras.
 *
 * @example
 * ```ts
 * const mode: Mode = 'max';
 * ```
 */
export type Mode = 'min' | 'max' | 'auto';

/** @internal Resolves `'auto'`: accuracy-like names are maximised, everything else minimised (as Keras). */
export function resolveMode(unit: string, monitor: string, mode: Mode | undefined): 'min' | 'max' {
  const m = mode ?? 'auto';
  if (!['min', 'max', 'auto'].includes(m)) throw new ConfigError(`${unit}: mode expected 'min', 'max' or 'auto', got '${String(m)}'`);
  if (m !== 'auto') return m;
  return /acc|auc|f1|precision|recall|iou|dice|r2|score|kappa|matthews/i.test(monitor) ? 'max' : 'min';
}

/** @internal Checks a monitored name: a non-empty string. */
export function checkMonitor(unit: string, monitor: unknown): string {
  if (typeof monitor !== 'string' || monitor.length === 0) {
    throw new ConfigError(`${unit}: monitor expected a log name such as 'val.loss', got ${String(monitor)}`);
  }
  return monitor;
}

/** @internal Reads the monitored value from epoch logs, failing with the names there are. */
export function monitored(unit: string, monitor: string, logs: Record<string, number>): number {
  const v = logs[monitor];
  if (v === undefined) {
    throw new ConfigError(`${unit}: monitor expected one of the logged values (${Object.keys(logs).join(', ')}), got '${monitor}'`, {
      help: "validation values are 'val.<name>' and only exist on epochs that validate",
    });
  }
  return v;
}
