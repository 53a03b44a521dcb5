import { ConfigError } from '@tensorloom/core';
import type { Callback, Logs } from './callback.js';
import type { Sink } from './sink.js';
import { encodeEvent, frameRecord } from './tfevents.js';

/**
 * Options of {@link tensorBoard}.
 *
 * @example
 * ```ts
 * const o: TensorBoardOptions = { sink: tensorBoardFile('runs/mnist/tb'), steps: true };
 * ```
 */
export interface TensorBoardOptions {
  /** Where the event records go: `tensorBoardFile(dir)` from `@tensorloom/train/node`. */
  sink: Sink;
  /** Also write per-step scalars (`step/loss`, `step/lr`; reads the loss each step). Default `true`. */
  steps?: boolean;
  /** The clock in seconds since the epoch, for `wall_time`. Default `Date.now() / 1000`. */
  now?: () => number;
}

/**
 * Writes scalars in TensorBoard's event-file format (TFRecord framing with masked CRC-32C,
 * `Event`/`Summary` protobufs): per epoch `epoch/<name>` (`epoch/loss`, `epoch/val.loss`,
 * metrics, `epoch/lr`) at the global step, and per step `step/<name>`. Point
 * `tensorboard --logdir` at the directory.
 *
 * @param options - the sink and whether to log steps.
 * @returns the callback.
 * @throws ConfigError when the sink is missing.
 * @example
 * ```ts
 * import { tensorBoardFile } from '@tensorloom/train/node';
 * callbacks.tensorBoard({ sink: tensorBoardFile('runs/mnist/tb') });
 * ```
 */
export function tensorBoard(options: TensorBoardOptions): Callback {
  if (typeof options?.sink !== 'function') {
    throw new ConfigError(`tensorBoard: sink expected a function (tensorBoardFile(dir) from /node), got ${typeof options?.sink}`);
  }
  const sink = options.sink;
  const steps = options.steps ?? true;
  const now = options.now ?? (() => Date.now() / 1000);
  let started = false;
  const write = async (step: number, logs: Logs, prefix: string): Promise<void> => {
    if (!started) {
      started = true;
      await sink(frameRecord(encodeEvent({ wallTime: now(), step: 0, fileVersion: 'brain.Event:2' })));
    }
    const scalars: Record<string, number> = {};
    for (const [k, v] of Object.entries(logs)) if (k !== 'size' && typeof v === 'number') scalars[`${prefix}/${k}`] = v;
    await sink(frameRecord(encodeEvent({ wallTime: now(), step, scalars })));
  };
  return {
    needsBatchLogs: steps,
    async onBatchEnd(ctx, _batch, logs) {
      if (steps) await write(ctx.globalStep, logs, 'step');
    },
    async onEpochEnd(ctx, _epoch, logs) {
      await write(ctx.globalStep, logs, 'epoch');
    },
  };
}
