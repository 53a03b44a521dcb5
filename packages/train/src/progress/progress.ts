import { ConfigError } from '@tensorloom/core';
import type { Callback, Logs, TrainContext } from '../callbacks/callback.js';

/**
 * Options of {@link progress}.
 *
 * @example
 * ```ts
 * progress({ mode: 'steps', every: 50, write: (line) => log.push(line) });
 * ```
 */
export interface ProgressOptions {
  /**
   * `'bar'`: a Keras-style bar redrawn in place; `'epoch'`: one line per epoch; `'steps'`: a
   * line every `every` steps; `'auto'`: the bar on a TTY, else one line per epoch. Default `'auto'`.
   */
  mode?: 'auto' | 'bar' | 'epoch' | 'steps';
  /** For `'steps'`: print every this many steps. Default 100. */
  every?: number;
  /** Where text goes. Default: `process.stdout.write` when there is one, else `console.log` per line. */
  write?: (text: string) => void;
  /** Whether the output is a terminal (for `'auto'`). Default: `process.stdout.isTTY` when there is one. */
  isTTY?: boolean;
  /** The clock in milliseconds. Default `performance.now`. */
  now?: () => number;
  /** Redraws per second of the bar at most. Default 20. */
  maxRedrawsPerSecond?: number;
}

/**
 * What one progress line shows.
 *
 * @example
 * ```ts
 * const s: ProgressState = { epoch: 0, epochs: 3, step: 10, total: 100, elapsedMs: 1200, msPerStep: 110, samplesPerSecond: 580, logs: { loss: 0.5 } };
 * ```
 */
export interface ProgressState {
  /** 0-based epoch. */
  epoch: number;
  /** Epoch count. */
  epochs: number;
  /** Steps done in the epoch. */
  step: number;
  /** Steps in the epoch when known. */
  total: number | null;
  /** Time since the epoch began. */
  elapsedMs: number;
  /** Mean time per step, not counting the first (which compiles kernels), or `null` before the second. */
  msPerStep: number | null;
  /** Samples per second over the same steps, or `null`. */
  samplesPerSecond: number | null;
  /** The values to show (`loss`, metrics); shown at 4 decimals. */
  logs: Logs;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

const HIDDEN = new Set(['lr', 'size']);

function values(logs: Logs): string {
  return Object.entries(logs)
    .filter(([k, v]) => !HIDDEN.has(k) && typeof v === 'number')
    .map(([k, v]) => ` - ${k}: ${Number.isFinite(v) ? v.toFixed(4) : String(v)}`)
    .join('');
}

/**
 * One progress line, Keras style: `Epoch 2/5 37/100 [=====>....] 3s ETA 5s 42ms/step 1523
 * samples/s - loss: 0.1234`. The ETA and rates skip the first step.
 *
 * @param state - what to show.
 * @param width - the bar's width in characters. Default 20.
 * @returns the line without a newline.
 * @example
 * ```ts
 * formatProgress({ epoch: 0, epochs: 1, step: 5, total: 10, elapsedMs: 500, msPerStep: 100, samplesPerSecond: 320, logs: { loss: 1 } });
 * // 'Epoch 1/1 5/10 [=========>..........] 1s ETA 1s 100ms/step 320 samples/s - loss: 1.0000'
 * ```
 */
export function formatProgress(state: ProgressState, width = 20): string {
  const head = `Epoch ${state.epoch + 1}/${state.epochs}`;
  let bar = '';
  let eta = '';
  if (state.total !== null && state.total > 0) {
    const done = Math.min(state.step, state.total) / state.total;
    const filled = Math.floor(done * width);
    bar = ` [${'='.repeat(Math.max(0, filled - (done < 1 ? 1 : 0)))}${done < 1 ? '>' : ''}${'.'.repeat(width - filled)}]`;
    if (state.step < state.total && state.msPerStep !== null) eta = ` ETA ${duration((state.total - state.step) * state.msPerStep)}`;
  }
  const count = state.total !== null ? `${state.step}/${state.total}` : `${state.step}`;
  const rate = state.msPerStep === null ? '' : ` ${Math.round(state.msPerStep)}ms/step`;
  const sps = state.samplesPerSecond === null ? '' : ` ${Math.round(state.samplesPerSecond)} samples/s`;
  return `${head} ${count}${bar} ${duration(state.elapsedMs)}${eta}${rate}${sps}${values(state.logs)}`;
}

interface ProcessLike {
  stdout?: { write?: (s: string) => unknown; isTTY?: boolean };
}

/**
 * A progress callback: a bar redrawn in place at most 20 times a second on a terminal, or
 * plain lines (one per epoch, or every N steps) elsewhere. It runs in browsers too (text goes
 * to `console.log` there). `fit({ verbose: 1 | 2 })` adds one for you.
 *
 * The bar reads the loss every step (one device read); the per-epoch lines read nothing extra.
 *
 * @param options - mode, sink and clock.
 * @returns the callback.
 * @throws ConfigError for a bad option.
 * @example
 * ```ts
 * await fit(model, data, { ...options, callbacks: [progress({ mode: 'steps', every: 20 })] });
 * ```
 */
export function progress(options: ProgressOptions = {}): Callback {
  const mode0 = options.mode ?? 'auto';
  if (!['auto', 'bar', 'epoch', 'steps'].includes(mode0)) {
    throw new ConfigError(`progress: mode expected 'auto', 'bar', 'epoch' or 'steps', got '${String(mode0)}'`);
  }
  const every = options.every ?? 100;
  if (!Number.isInteger(every) || every < 1) throw new ConfigError(`progress: every expected an integer >= 1, got ${String(every)}`);
  const maxRate = options.maxRedrawsPerSecond ?? 20;
  if (!(maxRate > 0)) throw new ConfigError(`progress: maxRedrawsPerSecond expected a number > 0, got ${String(maxRate)}`);
  const proc = (globalThis as { process?: ProcessLike }).process;
  const stdoutWrite = proc?.stdout?.write;
  const write =
    options.write ??
    (stdoutWrite !== undefined ? (s: string) => void stdoutWrite.call(proc!.stdout, s) : (s: string) => console.log(s.replace(/^\r|\n$/g, '')));
  const isTTY = options.isTTY ?? proc?.stdout?.isTTY === true;
  const mode = mode0 === 'auto' ? (isTTY ? 'bar' : 'epoch') : mode0;
  const now = options.now ?? (() => performance.now());
  const minGap = 1000 / maxRate;

  let epochStart = 0;
  let firstStepEnd: number | null = null;
  let samplesAfterFirst = 0;
  let stepsAfterFirst = 0;
  let lastDraw = -Infinity;
  let lastLogs: Logs = {};
  let drawn = false;

  const state = (ctx: TrainContext, step: number, logs: Logs): ProgressState => {
    const t = now();
    const since = firstStepEnd === null ? 0 : t - firstStepEnd;
    return {
      epoch: ctx.epoch,
      epochs: ctx.epochs,
      step,
      total: ctx.stepsPerEpoch,
      elapsedMs: t - epochStart,
      msPerStep: stepsAfterFirst > 0 ? since / stepsAfterFirst : null,
      samplesPerSecond: stepsAfterFirst > 0 && since > 0 ? (samplesAfterFirst * 1000) / since : null,
      logs,
    };
  };

  return {
    needsBatchLogs: mode !== 'epoch',
    onEpochBegin() {
      epochStart = now();
      firstStepEnd = null;
      samplesAfterFirst = 0;
      stepsAfterFirst = 0;
      lastDraw = -Infinity;
      drawn = false;
    },
    onBatchEnd(ctx, batch, logs) {
      if (firstStepEnd === null) firstStepEnd = now();
      else {
        stepsAfterFirst++;
        samplesAfterFirst += logs['size'] ?? 0;
      }
      lastLogs = logs;
      const step = batch + 1;
      if (mode === 'bar') {
        const t = now();
        if (t - lastDraw >= minGap || step === ctx.stepsPerEpoch) {
          lastDraw = t;
          write(`\r${formatProgress(state(ctx, step, logs))}\u001b[K`);
          drawn = true;
        }
      } else if (mode === 'steps' && step % every === 0) {
        write(`${formatProgress(state(ctx, step, logs))}\n`);
      }
    },
    onEpochEnd(ctx, _epoch, logs) {
      const line = formatProgress(state(ctx, ctx.batch, { ...lastLogs, ...logs }));
      write(mode === 'bar' ? `\r${line}\u001b[K\n` : `${line}\n`);
      drawn = false;
    },
    onTrainEnd() {
      if (drawn) write('\n');
    },
  };
}
