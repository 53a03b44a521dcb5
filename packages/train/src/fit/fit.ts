import { ConfigError, rng as makeRng, tf } from '@tensorloom/core';
import type { Metric } from '@tensorloom/metrics';
import type { Callback, Logs, TrainContext } from '../callbacks/callback.js';
import { callbackStates, restore, snapshot } from '../checkpoint/state.js';
import type { RunParts } from '../checkpoint/state.js';
import type { OptimizerState } from '../optimizers/optimizer.js';
import type { CheckpointStore } from '../checkpoint/store.js';
import { checkCheckpointName } from '../checkpoint/store.js';
import type { WeightsEma } from '../ema/ema.js';
import type { Loss } from '../losses/loss.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { progress } from '../progress/progress.js';
import { trainStep } from '../step/train-step.js';
import type { ClipOptions } from '../step/train-step.js';
import type { AnyModule } from '../step/value-and-grads.js';
import { BatchSignature, checkIterable, disposeBatch, openEpoch, readBatch } from './batch.js';
import type { Batch, BatchShapes, DataSource } from './batch.js';
import { applyModel, batchLoss, evaluateWith } from './evaluate.js';
import { History } from './history.js';
import type { HistoryJSON } from './history.js';
import type { FitStep, FitStepOutput } from './step.js';
import { TrainingError } from './training-error.js';
import { checkFirstBatch } from './first-batch.js';

/**
 * Options of {@link fit}.
 *
 * @example
 * ```ts
 * const options: FitOptions = {
 *   loss: losses.sparseCategoricalCrossentropy({ fromLogits: true }),
 *   optimizer: optimizers.adamW({ learningRate: 1e-3 }),
 *   epochs: 5, metrics: { accuracy: accuracy() }, validation: testBatches, seed: 1,
 * };
 * ```
 */
export interface FitOptions {
  /** The loss of the default step. Required unless `step` is given. */
  loss?: Loss;
  /** The optimizer of the default step. Required unless `step` is given. */
  optimizer?: Optimizer;
  /** A custom step (GAN, VAE, ...) instead of the default one-loss-one-optimizer step. */
  step?: FitStep;
  /** The epoch to stop before (an integer ≥ 1). Default 1. */
  epochs?: number;
  /** The epoch to start at (for a run continued by hand). Default 0. */
  initialEpoch?: number;
  /** Batches per epoch; the data is re-opened each epoch and cut after this many. Default: all of it. */
  stepsPerEpoch?: number;
  /** Validation data, evaluated after every `validationFreq` epochs (in inference mode). */
  validation?: DataSource;
  /** Validate every this many epochs. Default 1. */
  validationFreq?: number;
  /** Streaming metrics by name, reset every epoch; validation uses clones (`val.<name>`). */
  metrics?: Record<string, Metric<number>>;
  /** A weight per class (by class id) multiplied into each sample's weight. Default none. */
  classWeight?: Readonly<Record<number, number>> | readonly number[];
  /** Callbacks, called in order. */
  callbacks?: Callback[];
  /** 0: silent; 1: a progress bar on a TTY (one line per epoch elsewhere); 2: one line per epoch. Default 0. */
  verbose?: 0 | 1 | 2;
  /** The seed of fit's own randomness (data order through a function source, custom steps). Default 0. */
  seed?: number;
  /** Stop with a `TrainingError` when the loss is NaN or infinite (reads the loss each step). Default `true`. */
  terminateOnNaN?: boolean;
  /** Gradient clipping of the default step. */
  clip?: ClipOptions;
  /** Gradient accumulation of the default step (see {@link trainStep}). Default 1. */
  accumulate?: number;
  /** A moving average of the weights updated after every step; validation runs on it. */
  ema?: WeightsEma;
  /**
   * Resume from the latest checkpoint in this store (written by `callbacks.checkpoint`):
   * weights, optimizer, EMA and RNG state, the data position (mid-epoch) and the history. An
   * empty store starts from scratch.
   */
  resumeFrom?: CheckpointStore;
  /**
   * Whether every batch must have the first one's per-sample shape (`'fixed'`), or only its
   * rank and dtype (`'varying'`: length-bucketed sequences, several image sizes). Default
   * `'fixed'`, which catches a pipeline that changed shape by mistake. Validation data is
   * checked the same way.
   */
  batchShapes?: BatchShapes;
}

const KNOWN = new Set([
  'loss', 'optimizer', 'step', 'epochs', 'initialEpoch', 'stepsPerEpoch', 'validation', 'validationFreq', 'metrics',
  'classWeight', 'callbacks', 'verbose', 'seed', 'terminateOnNaN', 'clip', 'accumulate', 'ema', 'resumeFrom', 'batchShapes',
]);

function show(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (typeof v === 'function') return 'a function';
  try {
    return JSON.stringify(v) ?? typeof v;
  } catch {
    return typeof v;
  }
}

function positiveInt(option: string, v: unknown, min = 1): void {
  if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= min)) {
    throw new ConfigError(`fit: ${option} expected an integer >= ${min}, got ${show(v)}`);
  }
}

/** @internal Checks every option before anything runs. */
export function checkFitOptions(options: FitOptions): void {
  if (options === null || typeof options !== 'object') throw new ConfigError(`fit: options expected an object, got ${show(options)}`);
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new ConfigError(`fit: option '${key}' expected one of ${[...KNOWN].join(', ')}, got an unknown option`);
  }
  if (options.step === undefined) {
    if (typeof options.loss !== 'function') {
      throw new ConfigError(`fit: loss expected a Loss (losses.meanSquaredError(), ...), got ${show(options.loss)}`, {
        help: 'or pass a custom step: { step }',
      });
    }
    if (options.optimizer === undefined || options.optimizer === null || typeof options.optimizer.apply !== 'function') {
      throw new ConfigError(`fit: optimizer expected an Optimizer (optimizers.adam(...), ...), got ${show(options.optimizer)}`);
    }
  } else if (typeof options.step.run !== 'function' || typeof options.step.optimizers !== 'object') {
    throw new ConfigError(`fit: step expected a FitStep { run, optimizers }, got ${show(options.step)}`);
  }
  positiveInt('epochs', options.epochs);
  positiveInt('initialEpoch', options.initialEpoch, 0);
  if ((options.initialEpoch ?? 0) >= (options.epochs ?? 1)) {
    throw new ConfigError(`fit: initialEpoch expected less than epochs (${options.epochs ?? 1}), got ${options.initialEpoch}`);
  }
  positiveInt('stepsPerEpoch', options.stepsPerEpoch);
  positiveInt('validationFreq', options.validationFreq);
  positiveInt('accumulate', options.accumulate);
  if (options.verbose !== undefined && ![0, 1, 2].includes(options.verbose)) {
    throw new ConfigError(`fit: verbose expected 0, 1 or 2, got ${show(options.verbose)}`);
  }
  if (options.batchShapes !== undefined && options.batchShapes !== 'fixed' && options.batchShapes !== 'varying') {
    throw new ConfigError(`fit: batchShapes expected 'fixed' or 'varying', got ${show(options.batchShapes)}`);
  }
  if (options.seed !== undefined && !Number.isInteger(options.seed)) throw new ConfigError(`fit: seed expected an integer, got ${show(options.seed)}`);
  for (const [name, m] of Object.entries(options.metrics ?? {})) {
    if (m === null || typeof m !== 'object' || typeof m.update !== 'function' || typeof m.result !== 'function' || typeof m.clone !== 'function') {
      throw new ConfigError(`fit: metrics.${name} expected a metric object (accuracy(), ...), got ${show(m)}`, {
        help: 'call the factory: { accuracy: accuracy() }, not { accuracy }',
      });
    }
  }
  if (options.classWeight !== undefined) {
    for (const [k, w] of Object.entries(options.classWeight)) {
      if (!(Number.isInteger(Number(k)) && Number(k) >= 0) || typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
        throw new ConfigError(`fit: classWeight[${k}] expected a finite weight >= 0 for a class id >= 0, got ${show(w)}`);
      }
    }
  }
  for (const [i, c] of (options.callbacks ?? []).entries()) {
    if (c === null || typeof c !== 'object') throw new ConfigError(`fit: callbacks[${i}] expected a callback object, got ${show(c)}`);
  }
  if (options.resumeFrom !== undefined && (typeof options.resumeFrom !== 'object' || typeof options.resumeFrom.list !== 'function')) {
    throw new ConfigError(`fit: resumeFrom expected a CheckpointStore (memoryStore(), fileStore(dir)), got ${show(options.resumeFrom)}`);
  }
}

interface DefaultStepOutput extends FitStepOutput {
  gradSums: tf.Tensor1D | null;
}

function classWeightTensor(classWeight: FitOptions['classWeight']): tf.Tensor1D | null {
  if (classWeight === undefined) return null;
  const entries = Object.entries(classWeight).map(([k, w]) => [Number(k), w as number] as const);
  const n = Math.max(...entries.map(([k]) => k)) + 1;
  const values = new Float32Array(n).fill(1);
  for (const [k, w] of entries) values[k] = w;
  return tf.tensor1d(values);
}

/** @internal The per-sample weight of a batch: its sampleWeight times the class weight of its label. */
export function sampleWeightFor(batch: Batch, yPred: tf.Tensor, classWeights: tf.Tensor1D | null): tf.Tensor | null {
  if (classWeights === null) return batch.sampleWeight;
  const y = batch.y as tf.Tensor;
  const labels =
    y.rank === yPred.rank && y.shape[y.rank - 1]! > 1 ? tf.argMax(y, -1) : tf.cast(y.rank > 1 ? tf.reshape(y, [y.shape[0]!, -1]).slice([0, 0], [-1, 1]).reshape([-1]) : y, 'int32');
  const flat = labels.rank > 1 ? tf.reshape(labels, [labels.shape[0]!, -1]).slice([0, 0], [-1, 1]).reshape([-1]) : labels;
  const w = tf.gather(classWeights, tf.clipByValue(flat, 0, classWeights.shape[0] - 1));
  return batch.sampleWeight === null ? w : tf.mul(w, batch.sampleWeight);
}

function defaultStep(
  model: AnyModule,
  options: FitOptions,
  wantPred: boolean,
  classWeights: tf.Tensor1D | null,
  trackFinite: boolean,
): FitStep & { run(batch: Batch): DefaultStepOutput; readonly parameterPaths: readonly string[] } {
  const loss = options.loss!;
  let stash: tf.Tensor | null = null;
  const inner = trainStep<Batch>({
    model,
    optimizer: options.optimizer!,
    clip: options.clip,
    accumulate: options.accumulate,
    ema: options.ema,
    trackFinite,
    loss: (b) => {
      const pred = applyModel(model, b.x, true);
      if (wantPred) stash = tf.keep(pred);
      return batchLoss(loss, b, pred, sampleWeightFor(b, pred, classWeights));
    },
  });
  return {
    optimizers: { optimizer: options.optimizer! },
    run: (batch) => {
      const out = inner(batch);
      const yPred = stash ?? undefined;
      stash = null;
      return { loss: out.loss, yPred, gradSums: out.gradSums };
    },
    get parameterPaths() {
      return inner.parameterPaths;
    },
    getState: () => inner.getState(),
    setState: (s) => inner.setState(s),
    dispose: () => inner.dispose(),
  };
}

/** @internal The checkpoint of a store a resume starts from: the one with the highest step. */
export async function latestCheckpoint(store: CheckpointStore): Promise<string | null> {
  const names = await store.list();
  let best: string | null = null;
  let bestStep = -1;
  for (const n of names) {
    const m = /(\d+)$/.exec(n);
    const s = m === null ? -1 : Number(m[1]);
    if (s >= bestStep) {
      best = n;
      bestStep = s;
    }
  }
  return best;
}

/**
 * Trains a model: for each epoch, every batch of `data` goes through one step (the default
 * {@link trainStep} of `loss` and `optimizer`, or `options.step`), then validation, then the
 * callbacks. Returns the {@link History}.
 *
 * - Options are checked before anything runs; the first batch is checked against the model
 *   and the loss (labels in range, shapes) before the first step, later batches against the
 *   first; errors name the option or the batch.
 * - The model runs with `training: true` in the step and `false` in validation.
 * - The loss is read back from the device at most once per step, and only when something
 *   needs the number (`verbose: 1`, `terminateOnNaN`, a callback with `needsBatchLogs`);
 *   otherwise it is summed on the device and read once per epoch.
 * - With `resumeFrom`, a run killed at any step continues from its latest checkpoint and ends
 *   with the same weights, bit for bit, as one that was never interrupted (same seed, same
 *   backend, a data source that is a function of the epoch or has `iterate({ epoch })`).
 *
 * @param model - the model to train (built).
 * @param data - the training batches (see {@link DataSource}).
 * @param options - loss, optimizer, epochs, callbacks, ...
 * @returns the history of per-epoch (and, when read, per-step) values.
 * @throws ConfigError for a bad option or batch; TrainingError when the loss goes non-finite.
 * @example
 * ```ts
 * const history = await fit(model, batches, {
 *   loss: losses.sparseCategoricalCrossentropy({ fromLogits: true }),
 *   optimizer: optimizers.adam({ learningRate: 1e-3 }),
 *   epochs: 3, metrics: { accuracy: accuracy() }, validation: valBatches, verbose: 1,
 * });
 * console.log(history.get('val.accuracy'));
 * ```
 */
export async function fit(model: AnyModule, data: DataSource, options: FitOptions): Promise<History> {
  checkFitOptions(options);
  if (!model.built) {
    throw new ConfigError(`fit ${model.label}: model expected to be built, got an unbuilt model`, {
      help: 'call model.build(inputShape, rng(seed)) first, so its initial weights come from your seed',
    });
  }
  if (typeof data !== 'function') checkIterable('fit', 'data', data); // without opening it: a Dataset would start its epoch
  const epochs = options.epochs ?? 1;
  const seed = options.seed ?? 0;
  const baseRng = makeRng(seed);
  const dataRng = baseRng.fold('data');
  const stepRng = baseRng.fold('step');
  const terminateOnNaN = options.terminateOnNaN ?? true;
  const verbose = options.verbose ?? 0;
  const metrics = Object.entries(options.metrics ?? {});
  const valMetrics = Object.fromEntries(metrics.map(([name, m]) => [name, m.clone()]));
  const classWeights = classWeightTensor(options.classWeight);
  const given = options.callbacks ?? [];
  // Callbacks that write checkpoints run last, so what they save includes the others' work.
  const callbacks: Callback[] = [...given.filter((c) => c.runsLast !== true), ...given.filter((c) => c.runsLast === true)];
  if (verbose > 0) callbacks.push(progress({ mode: verbose === 1 ? 'auto' : 'epoch' }));
  // A stateful callback's key is its name and its place among the given callbacks, which a
  // resumed run with the same options repeats.
  const statefulCallbacks = new Map<string, Callback>();
  given.forEach((c, i) => {
    if (c.stateName !== undefined && c.getState !== undefined && c.setState !== undefined) statefulCallbacks.set(`${i}.${c.stateName}`, c);
  });
  const readEveryStep = terminateOnNaN || callbacks.some((c) => c.needsBatchLogs === true);

  const builtIn = options.step === undefined ? defaultStep(model, options, metrics.length > 0, classWeights, terminateOnNaN) : null;
  const step: FitStep = builtIn ?? options.step!;
  const optimizers = step.optimizers;
  const mainOptimizer = Object.values(optimizers)[0] ?? null;
  const parts: RunParts = {
    model,
    modules: { ...(step.modules ?? {}) },
    optimizers: { ...optimizers },
    ema: options.ema ?? null,
    stepState: step.getState !== undefined && step.setState !== undefined ? { getState: () => step.getState!(), setState: (s) => step.setState!(s) } : null,
    callbacks: Object.fromEntries([...statefulCallbacks].map(([key, c]) => [key, { getState: () => c.getState!() }])),
  };
  let restoredCallbackStates: Record<string, OptimizerState> = {};

  let history = new History();
  let epoch = options.initialEpoch ?? 0;
  let batchInEpoch = 0;
  let globalStep = 0;
  let epochDone = false;
  let stopped = false;
  let stopReason: string | null = null;
  let lossSum = 0;
  let lossCount = 0;
  let deviceLossSum: tf.Scalar | null = null;
  const valueSums: Record<string, number> = {};
  let lastFinite: number | null = null;
  let lastGradSums: tf.Tensor1D | null = null;
  let prevGradSums: tf.Tensor1D | null = null;
  let stepsPerEpoch: number | null = options.stepsPerEpoch ?? (Array.isArray(data) ? data.length : sizeOf(data));
  let resumeSkip = 0;

  const readDeviceSum = (): void => {
    if (deviceLossSum !== null) {
      lossSum += deviceLossSum.dataSync()[0]!;
      deviceLossSum.dispose();
      deviceLossSum = null;
    }
  };

  const nanError = (value: number, gradSource: string): TrainingError => {
    let culprit = 'none of the gradients was non-finite; the loss itself was (check the inputs and the loss)';
    if (builtIn !== null) {
      const paths = builtIn.parameterPaths;
      for (const sums of [prevGradSums, lastGradSums]) {
        if (sums === null || sums.isDisposed) continue;
        const v = sums.dataSync();
        const i = v.findIndex((s) => !Number.isFinite(s));
        if (i >= 0) {
          culprit = `the first non-finite gradient was of '${paths[i]}'`;
          break;
        }
      }
    } else {
      culprit = 'the gradients are not tracked for a custom step';
    }
    return new TrainingError(
      `fit: loss expected a finite number, got ${value} at epoch ${epoch}, step ${globalStep} (batch ${batchInEpoch} of the epoch); ` +
        `last finite loss ${lastFinite === null ? 'none' : lastFinite.toFixed(6)}; ${culprit}${gradSource}`,
      { help: 'lower the learning rate, clip gradients (clip: { globalNorm: 1 }), or check the data for NaN' },
    );
  };

  const ctx: TrainContext = {
    model,
    optimizer: mainOptimizer,
    optimizers,
    epochs,
    get stepsPerEpoch() {
      return stepsPerEpoch;
    },
    get epoch() {
      return epoch;
    },
    get batch() {
      return batchInEpoch;
    },
    get globalStep() {
      return globalStep;
    },
    get history() {
      return history;
    },
    get stopped() {
      return stopped;
    },
    get stopReason() {
      return stopReason;
    },
    stop(reason?: string) {
      stopped = true;
      stopReason = reason ?? 'stopped by a callback';
    },
    async save(store: CheckpointStore, name: string) {
      checkCheckpointName('checkpoint', name);
      if (terminateOnNaN && lastGradSums !== null && !lastGradSums.isDisposed) {
        const v = lastGradSums.dataSync();
        if (v.some((s) => !Number.isFinite(s))) throw nanError(Number.NaN, ' (found before writing a checkpoint)');
      }
      readDeviceSum();
      const meta = {
        position: epochDone ? { epoch: epoch + 1, batch: 0 } : { epoch, batch: batchInEpoch },
        globalStep,
        seed,
        rng: baseRng.getState(),
        epochAccumulators: epochDone ? { lossSum: 0, lossCount: 0, values: {} } : { lossSum, lossCount, values: { ...valueSums } },
        lastFinite,
        history: history.toJSON(),
        config: { epochs, stepsPerEpoch: options.stepsPerEpoch ?? null, initialEpoch: options.initialEpoch ?? 0, accumulate: options.accumulate ?? 1, clip: options.clip ?? null, optimizers: Object.keys(optimizers), callbacks: callbacks.length },
      };
      const files = snapshot(parts, meta);
      await store.write(name, files);
    },
  };

  try {
    if (options.resumeFrom !== undefined) {
      const name = await latestCheckpoint(options.resumeFrom);
      if (name !== null) {
        const files = await options.resumeFrom.read(name);
        const source = `${options.resumeFrom.location}/${name}`;
        const json = restore(parts, files, source);
        const position = json['position'] as { epoch: number; batch: number };
        if (json['seed'] !== seed) {
          throw new ConfigError(`fit: seed expected ${String(json['seed'])} as in the checkpoint '${name}', got ${seed}`, {
            help: 'resume with the seed of the interrupted run, or it cannot repeat it',
          });
        }
        epoch = position.epoch;
        resumeSkip = position.batch;
        globalStep = json['globalStep'] as number;
        const acc = json['epochAccumulators'] as { lossSum: number; lossCount: number; values: Record<string, number> };
        lossSum = acc.lossSum;
        lossCount = acc.lossCount;
        Object.assign(valueSums, acc.values);
        lastFinite = (json['lastFinite'] as number | null) ?? null;
        history = History.fromJSON(json['history'] as HistoryJSON);
        restoredCallbackStates = callbackStates(files, json, source);
      }
    }

    for (const c of callbacks) await c.onTrainBegin?.(ctx);
    for (const [key, c] of statefulCallbacks) {
      const state = restoredCallbackStates[key];
      if (state !== undefined) c.setState!(state);
    }
    tf.dispose(Object.values(restoredCallbackStates).flatMap((st) => Object.values(st.tensors)));
    restoredCallbackStates = {};
    const signature = new BatchSignature('fit', options.batchShapes);
    let firstChecked = false;
    let lastLogs: Logs = {};

    for (; epoch < epochs && !stopped; epoch++) {
      epochDone = false;
      const skip = resumeSkip;
      resumeSkip = 0;
      if (skip === 0) {
        lossSum = 0;
        lossCount = 0;
        for (const k of Object.keys(valueSums)) delete valueSums[k];
      }
      batchInEpoch = skip;
      for (const [, m] of metrics) m.reset();
      let metricBatches = 0;
      for (const c of callbacks) await c.onEpochBegin?.(ctx, epoch);
      const { iterable, owned } = openEpoch('fit', 'data', data, { epoch, rng: dataRng.fold(epoch) });
      let index = 0;
      let seen = 0;
      for await (const raw of iterable as AsyncIterable<unknown>) {
        if (index < skip) {
          if (owned) disposeBatch(raw);
          index++;
          seen++;
          continue;
        }
        if (options.stepsPerEpoch !== undefined && index >= options.stepsPerEpoch) {
          if (owned) disposeBatch(raw);
          break;
        }
        seen++;
        let out: FitStepOutput | null = null;
        try {
          const batch = readBatch('fit', index, raw, options.step === undefined);
          signature.check(index, batch);
          if (!firstChecked) {
            checkFirstBatch('fit', index, model, batch, options.loss);
            firstChecked = true;
          }
          for (const c of callbacks) await c.onBatchBegin?.(ctx, index);
          const lr = mainOptimizer?.currentLearningRate() ?? Number.NaN;
          out = step.run(batch, { epoch, batch: index, globalStep, rng: stepRng.fold(globalStep) });
          if (builtIn !== null) {
            prevGradSums?.dispose();
            prevGradSums = lastGradSums;
            lastGradSums = (out as DefaultStepOutput).gradSums;
          }
          if (out.yPred !== undefined && metrics.length > 0) metricBatches++;
          for (const [, m] of metrics) {
            if (out.yPred === undefined) break;
            if (batch.sampleWeight === null) m.update(batch.y as tf.Tensor, out.yPred);
            else m.update(batch.y as tf.Tensor, out.yPred, batch.sampleWeight);
          }
          const logs: Logs = { lr, size: batch.size };
          const names = Object.keys(out.values ?? {});
          if (readEveryStep) {
            let all: ArrayLike<number>;
            if (names.length === 0) {
              all = out.loss.dataSync();
            } else {
              const stacked = tf.stack([out.loss, ...names.map((n) => out!.values![n]!)]);
              all = stacked.dataSync();
              stacked.dispose();
            }
            const value = all[0]!;
            if (terminateOnNaN && !Number.isFinite(value)) throw nanError(value, '');
            if (Number.isFinite(value)) lastFinite = value;
            logs['loss'] = value;
            lossSum += value * batch.size;
            names.forEach((n, i) => {
              logs[n] = all[i + 1]!;
              valueSums[n] = (valueSums[n] ?? 0) + all[i + 1]! * batch.size;
            });
            history.addStep(globalStep, epoch, logs);
          } else {
            const l = out.loss;
            const next = tf.tidy(() => (deviceLossSum === null ? tf.mul(l, batch.size) : tf.add(deviceLossSum, tf.mul(l, batch.size)))) as tf.Scalar;
            deviceLossSum?.dispose();
            deviceLossSum = next;
          }
          lossCount += batch.size;
          globalStep++;
          batchInEpoch = index + 1;
          for (const c of callbacks) await c.onBatchEnd?.(ctx, index, logs);
        } finally {
          if (out !== null) {
            out.loss.dispose();
            tf.dispose(Object.values(out.values ?? {}));
            out.yPred?.dispose();
          }
          if (owned) disposeBatch(raw);
        }
        index++;
        if (stopped) break;
      }
      if (seen === 0) {
        throw new TrainingError(`fit: data expected at least one batch in epoch ${epoch}, got none`, {
          help: 'a generator object can be iterated once; pass an array, a Dataset, or a function of the epoch',
        });
      }
      if (stepsPerEpoch === null && !stopped) stepsPerEpoch = index;
      readDeviceSum();
      const epochLogs: Logs = { loss: lossCount === 0 ? Number.NaN : lossSum / lossCount };
      for (const [n, s] of Object.entries(valueSums)) epochLogs[n] = s / lossCount;
      // A resumed epoch whose batches were all done before the checkpoint has no metric state.
      for (const [name, m] of metrics) epochLogs[name] = metricBatches === 0 ? Number.NaN : m.result();
      epochLogs['lr'] = mainOptimizer?.currentLearningRate() ?? Number.NaN;
      const validate = options.validation !== undefined && (epoch + 1 - (options.initialEpoch ?? 0)) % (options.validationFreq ?? 1) === 0;
      if (validate) {
        const swapped = swapIn(model, mainOptimizer, options.ema ?? null);
        try {
          const val = await evaluateWith('fit: validation', model, options.validation!, {
            loss: options.loss,
            metrics: valMetrics,
            epoch,
            batchShapes: options.batchShapes,
          });
          for (const [k, v] of Object.entries(val)) epochLogs[`val.${k}`] = v;
        } finally {
          swapped();
        }
      }
      history.addEpoch(epoch, epochLogs);
      lastLogs = epochLogs;
      epochDone = true;
      for (const c of callbacks) await c.onEpochEnd?.(ctx, epoch, epochLogs);
      if (stopped) {
        epoch++;
        break;
      }
    }
    if (epoch > 0) epoch--;
    for (const c of callbacks) await c.onTrainEnd?.(ctx, lastLogs);
    return history;
  } finally {
    tf.dispose(Object.values(restoredCallbackStates).flatMap((st) => Object.values(st.tensors)));
    (deviceLossSum as tf.Scalar | null)?.dispose();
    (lastGradSums as tf.Tensor | null)?.dispose();
    (prevGradSums as tf.Tensor | null)?.dispose();
    classWeights?.dispose();
    builtIn?.dispose?.();
  }
}

function sizeOf(data: DataSource): number | null {
  const size = (data as { size?: unknown }).size;
  return typeof size === 'number' && Number.isFinite(size) ? size : null;
}

/** Swaps evaluation weights in (EMA, or the optimizer's own, e.g. Schedule-Free); returns the undo. */
function swapIn(model: AnyModule, optimizer: Optimizer | null, ema: WeightsEma | null): () => void {
  const params = model.trainableParameters();
  if (ema !== null) {
    ema.swap(params);
    return () => ema.swap(params);
  }
  if (optimizer?.swapToEvalWeights !== undefined && optimizer.swapToTrainWeights !== undefined) {
    optimizer.swapToEvalWeights(params);
    return () => optimizer.swapToTrainWeights!(params);
  }
  return () => undefined;
}

