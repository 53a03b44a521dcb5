import { ConfigError } from '@tensorloom/core';
import type { Callback, Logs } from './callback.js';
import type { Sink } from './sink.js';
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- for the {@link} in the docs
import type { historyFromJsonl } from '../report/report.js';

function checkSink(unit: string, sink: unknown): Sink {
  if (typeof sink !== 'function') throw new ConfigError(`${unit}: sink expected a function (fileSink(path) from /node), got ${typeof sink}`);
  return sink as Sink;
}

function csvValue(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? '' : String(v);
}

/**
 * Options of {@link csvLogger}.
 *
 * @example
 * ```ts
 * const o: CsvLoggerOptions = { sink: fileSink('runs/mnist/log.csv') };
 * ```
 */
export interface CsvLoggerOptions {
  /** Where the rows go. */
  sink: Sink;
  /** The column separator. Default `','`. */
  separator?: string;
}

/**
 * Writes one CSV row per epoch (`epoch` then every logged value; the header comes from the
 * first epoch, later new names are left out), as Keras' CSVLogger.
 *
 * @param options - the sink and separator.
 * @returns the callback.
 * @example
 * ```ts
 * const rows: string[] = [];
 * callbacks.csvLogger({ sink: (c) => { rows.push(String(c)); } });
 * ```
 */
export function csvLogger(options: CsvLoggerOptions): Callback {
  const sink = checkSink('csvLogger', options?.sink);
  const sep = options.separator ?? ',';
  let columns: string[] | null = null;
  return {
    onTrainBegin() {
      columns = null;
    },
    async onEpochEnd(_ctx, epoch, logs) {
      if (columns === null) {
        columns = Object.keys(logs);
        await sink(`${['epoch', ...columns].join(sep)}\n`);
      }
      await sink(`${[String(epoch), ...columns.map((c) => csvValue(logs[c]))].join(sep)}\n`);
    },
  };
}

/**
 * Options of {@link jsonlLogger}.
 *
 * @example
 * ```ts
 * const o: JsonlLoggerOptions = { sink: fileSink('runs/mnist/log.jsonl'), steps: true };
 * ```
 */
export interface JsonlLoggerOptions {
  /** Where the lines go. */
  sink: Sink;
  /** Also write one line per step (reads the loss every step). Default `true`. */
  steps?: boolean;
}

function jsonLine(obj: Record<string, unknown>): string {
  return `${JSON.stringify(obj, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}\n`;
}

/**
 * Writes a JSON line per step (`{"type":"step","step":12,"epoch":0,"loss":…,"lr":…}`) and per
 * epoch (`{"type":"epoch","epoch":0,"loss":…,"val.loss":…}`); non-finite numbers are written
 * as strings (`"NaN"`). {@link historyFromJsonl} reads it back for a report.
 *
 * @param options - the sink; whether to log steps.
 * @returns the callback.
 * @example
 * ```ts
 * callbacks.jsonlLogger({ sink: fileSink('runs/log.jsonl') });
 * ```
 */
export function jsonlLogger(options: JsonlLoggerOptions): Callback {
  const sink = checkSink('jsonlLogger', options?.sink);
  const steps = options.steps ?? true;
  return {
    needsBatchLogs: steps,
    async onBatchEnd(ctx, batch, logs: Logs) {
      if (!steps) return;
      await sink(jsonLine({ type: 'step', step: ctx.globalStep - 1, epoch: ctx.epoch, batch, ...logs }));
    },
    async onEpochEnd(ctx, epoch, logs) {
      await sink(jsonLine({ type: 'epoch', epoch, step: ctx.globalStep, ...logs }));
    },
  };
}
