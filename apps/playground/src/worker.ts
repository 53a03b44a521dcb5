/// <reference lib="webworker" />
/**
 * The training worker: owns the tfjs engine (wasm backend), the MNIST subset and the model,
 * and answers the page's messages (messages.ts). Training yields to the event loop after
 * every step, so pause, stop and predictions are answered while it runs.
 */
import { currentBackend, readSafetensors, tf, useBackend, writeSafetensors } from '@tensorloom/core';
import { setWasmPaths } from '@tensorloom/backend-wasm';
import { accuracy, confusionMatrix } from '@tensorloom/metrics';
import { fit, losses, optimizers } from '@tensorloom/train';
import type { BatchObject, EpochContext } from '@tensorloom/train';
import type { FromWorker, ToWorker, TrainConfig, TrainState } from './messages.js';
import { decodeSubset, PIXELS } from './mnist-subset.js';
import type { Digits, MnistSubset } from './mnist-subset.js';
import { buildModel, checkConfig } from './model.js';
import type { PlaygroundModel } from './model.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);

let data: MnistSubset | null = null;
let current: { built: PlaygroundModel; config: TrainConfig } | null = null;
let state: TrainState = 'idle';
let resumeTraining: (() => void) | null = null;
let stopRequested = false;

function setState(next: TrainState, reason?: string): void {
  state = next;
  post({ type: 'state', state: next, ...(reason === undefined ? {} : { reason }) });
}

/** `[n, 784]` floats in [0, 1] and `[n]` int32 labels of the digits at `indices`. */
function tensors(part: Digits, indices: ArrayLike<number>): { x: tf.Tensor2D; y: tf.Tensor1D } {
  const x = new Float32Array(indices.length * PIXELS);
  const y = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    y[i] = part.labels[j]!;
    for (let p = 0; p < PIXELS; p++) x[i * PIXELS + p] = part.pixels[j * PIXELS + p]! / 255;
  }
  return { x: tf.tensor2d(x, [indices.length, PIXELS]), y: tf.tensor1d(y, 'int32') };
}

function* batches(built: PlaygroundModel, part: Digits, order: ArrayLike<number>, batchSize: number): Generator<BatchObject> {
  for (let start = 0; start < order.length; start += batchSize) {
    const { x, y } = tensors(part, Array.prototype.slice.call(order, start, start + batchSize) as number[]);
    const input = tf.tidy(() => built.toInput(x));
    if (input !== x) x.dispose();
    yield { x: input, y };
  }
}

/** Probabilities `[n, 10]` of flat `[n, 784]` inputs, read back. */
function probabilities(built: PlaygroundModel, flat: Float32Array, n: number): Float32Array {
  return tf.tidy(() => {
    const logits = built.model.apply(built.toInput(tf.tensor2d(flat, [n, PIXELS])), { training: false }) as tf.Tensor;
    return tf.softmax(logits).dataSync() as Float32Array;
  });
}

function postConfusion(built: PlaygroundModel, test: Digits): void {
  const predicted: number[] = [];
  const chunk = 250;
  for (let start = 0; start < test.count; start += chunk) {
    const n = Math.min(chunk, test.count - start);
    const flat = new Float32Array(n * PIXELS);
    for (let i = 0; i < flat.length; i++) flat[i] = test.pixels[start * PIXELS + i]! / 255;
    const p = probabilities(built, flat, n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < 10; c++) if (p[i * 10 + c]! > p[i * 10 + best]!) best = c;
      predicted.push(best);
    }
  }
  const labels = Array.from(test.labels);
  const matrix = confusionMatrix.compute(labels, predicted, { numClasses: 10 });
  const correct = matrix.reduce((s, row, i) => s + row[i]!, 0);
  post({ type: 'confusion', matrix, accuracy: correct / test.count });
}

async function train(config: TrainConfig): Promise<void> {
  if (data === null) throw new Error('playground worker: data expected loaded, got none (the worker is still starting)');
  if (state === 'training' || state === 'paused') throw new Error(`playground worker: train expected no run in progress, got one ${state}`);
  current?.built.model.dispose();
  const built = buildModel(config.architecture, config.seed);
  current = { built, config };
  const { train: trainPart, test } = data;
  stopRequested = false;
  setState('training');
  let step = 0;
  let windowStart = performance.now();
  let windowSamples = 0;
  let samplesPerSecond = 0;
  await fit(built.model, (ctx: EpochContext) => batches(built, trainPart, ctx.rng.permutation(trainPart.count), config.batchSize), {
    loss: losses.sparseCategoricalCrossentropy({ fromLogits: true }),
    optimizer: optimizers.adam({ learningRate: config.learningRate }),
    epochs: config.epochs,
    seed: config.seed,
    metrics: { accuracy: accuracy() },
    validation: () => batches(built, test, Array.from({ length: test.count }, (_, i) => i), 250),
    callbacks: [
      {
        needsBatchLogs: true,
        onBatchBegin: async () => {
          if (state === 'paused') await new Promise<void>((resolve) => (resumeTraining = resolve));
        },
        onBatchEnd: async (ctx, _batch, logs) => {
          step += 1;
          windowSamples += logs.size ?? config.batchSize;
          const now = performance.now();
          if (now - windowStart >= 500) {
            samplesPerSecond = (windowSamples * 1000) / (now - windowStart);
            windowStart = now;
            windowSamples = 0;
          }
          // Until the first half-second window closes, the rate so far.
          const rate = samplesPerSecond > 0 ? samplesPerSecond : (windowSamples * 1000) / Math.max(now - windowStart, 1);
          post({ type: 'step', step, epoch: ctx.epoch, loss: logs.loss!, samplesPerSecond: rate });
          // A macrotask turn: lets pause, stop and predict messages in between steps.
          await new Promise((resolve) => setTimeout(resolve, 0));
          if (stopRequested) ctx.stop('stopped by the visitor');
        },
        onEpochEnd: (_ctx, epoch, logs) => {
          post({
            type: 'epoch', epoch, step, loss: logs.loss!, accuracy: logs.accuracy!,
            testLoss: logs['val.loss']!, testAccuracy: logs['val.accuracy']!,
          });
        },
      },
    ],
  });
  postConfusion(built, test);
  setState('done', stopRequested ? 'stopped' : 'finished');
}

function save(id: number): void {
  if (current === null) throw new Error('playground worker: save expected a trained model, got none (train or load one first)');
  const { built, config } = current;
  const file = writeSafetensors(built.model.state(), { format: 'tensorloom-playground', config: JSON.stringify(config) });
  post({ type: 'saved', id, file, name: `${config.architecture}.safetensors` }, [file.buffer]);
}

function load(id: number, file: Uint8Array): void {
  if (state === 'training' || state === 'paused') throw new Error(`playground worker: load expected no run in progress, got one ${state}`);
  const { tensors, metadata } = readSafetensors(file, { source: 'the chosen file' });
  try {
    const raw = metadata?.config;
    if (raw === undefined) throw new Error("playground: file metadata expected a 'config' entry, got none (not saved by the playground)");
    const config = checkConfig(JSON.parse(raw));
    const built = buildModel(config.architecture, config.seed);
    try {
      built.model.loadState(tensors);
    } catch (e) {
      built.model.dispose();
      throw e;
    }
    current?.built.model.dispose();
    current = { built, config };
    post({ type: 'loaded', id, config });
    if (data !== null) postConfusion(built, data.test);
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}

function predict(id: number, pixels: Float32Array): void {
  if (current === null) throw new Error('playground worker: predict expected a model, got none (train or load one first)');
  if (pixels.length !== PIXELS) throw new Error(`playground worker: pixels expected ${PIXELS} values, got ${pixels.length}`);
  post({ type: 'prediction', id, probabilities: Array.from(probabilities(current.built, pixels, 1)) });
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'train':
      return train(message.config);
    case 'pause':
      if (state === 'training') setState('paused');
      return;
    case 'resume':
      if (state === 'paused') {
        setState('training');
        resumeTraining?.();
        resumeTraining = null;
      }
      return;
    case 'stop':
      stopRequested = true;
      if (state === 'paused') {
        state = 'training';
        resumeTraining?.();
        resumeTraining = null;
      }
      return;
    case 'predict':
      return predict(message.id, message.pixels);
    case 'save':
      return save(message.id);
    case 'load':
      return load(message.id, message.file);
  }
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  handle(message).catch((e: unknown) => {
    if (message.type === 'train') setState('idle', 'failed');
    post({ type: 'error', ...('id' in message ? { id: message.id } : {}), message: e instanceof Error ? e.message : String(e) });
  });
};

async function start(): Promise<void> {
  // Both files sit one folder above the worker script in dev (/src/) and in dist (/assets/).
  // (A variable, not `import.meta.url` inline: Vite would try to bundle those URLs.)
  const here = import.meta.url;
  setWasmPaths(new URL('../tfjs-wasm/', here).href);
  const backend = await useBackend('wasm');
  const response = await fetch(new URL('../mnist-subset.bin', here));
  if (!response.ok) throw new Error(`playground worker: mnist-subset.bin expected HTTP 200, got ${response.status}`);
  data = decodeSubset(new Uint8Array(await response.arrayBuffer()));
  const threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  post({
    type: 'ready', backend: `${backend === currentBackend() ? backend : currentBackend()}`, threads, simd,
    crossOriginIsolated: scope.crossOriginIsolated, train: data.train.count, test: data.test.count,
  });
}

start().catch((e: unknown) => post({ type: 'error', message: `playground worker: start failed: ${e instanceof Error ? e.message : String(e)}` }));
