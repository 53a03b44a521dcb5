/// <reference lib="webworker" />
/**
 * The 2-D lab's worker: a small network on a toy problem, trained full-batch with Adam
 * (`trainStep` of `@tensorloom/train`), posting the decision surface and every hidden unit's
 * response over the plane every few steps.
 */
import { rng, tf, useBackend } from '@tensorloom/core';
import { setWasmPaths } from '@tensorloom/backend-wasm';
import { Dense, Dropout, Sequential, l1l2 } from '@tensorloom/layers';
import { losses, optimizers, trainStep } from '@tensorloom/train';
import type { FromLab, LabConfig, ToLab } from '../messages.js';
import { toyData } from './toy-data.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: FromLab, transfer: Transferable[] = []) => scope.postMessage(m, transfer);
const GRID = 40;
const TRAIN = 200;
const TEST = 200;
const STEPS_PER_FRAME = 5;
const MAX_STEPS = 3000;

let runId = 0;
const backend = (async () => {
  const here = import.meta.url;
  setWasmPaths(new URL('../tfjs-wasm/', here).href);
  await useBackend('wasm');
})();

/** The grid's cell centres, `[GRID², 2]`, row 0 at y = 1. */
function gridPoints(): tf.Tensor2D {
  const xy = new Float32Array(GRID * GRID * 2);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      xy[2 * (r * GRID + c)] = -1 + (2 * (c + 0.5)) / GRID;
      xy[2 * (r * GRID + c) + 1] = 1 - (2 * (r + 0.5)) / GRID;
    }
  }
  return tf.tensor2d(xy, [GRID * GRID, 2]);
}

async function run(config: LabConfig, id: number): Promise<void> {
  await backend;
  const random = rng(config.seed);
  const [dataRng, buildRng] = random.split(2) as [ReturnType<typeof rng>, ReturnType<typeof rng>];
  const all = toyData(config.data, TRAIN + TEST, config.noise, dataRng);
  post({ type: 'data', xy: all.xy.slice(), labels: all.labels.slice(), trainCount: TRAIN });
  const regularizer = config.l1 === 0 && config.l2 === 0 ? null : l1l2({ l1: config.l1, l2: config.l2 });
  const hidden: Dense[] = [];
  const layers: (Dense | Dropout)[] = [];
  config.hidden.forEach((units, i) => {
    const dense = new Dense({ units, activation: config.activation, kernelRegularizer: regularizer, name: `fc${i + 1}` });
    hidden.push(dense);
    layers.push(dense);
    if (config.dropout > 0) layers.push(new Dropout({ rate: config.dropout, name: `dropout${i + 1}` }));
  });
  layers.push(new Dense({ units: 2, kernelRegularizer: regularizer, name: 'output' }));
  const model = new Sequential(layers, { name: 'lab' }).build([null, 2], buildRng);
  const xTrain = tf.tensor2d(all.xy.subarray(0, 2 * TRAIN), [TRAIN, 2]);
  const yTrain = tf.tensor1d(all.labels.subarray(0, TRAIN), 'int32');
  const xTest = tf.tensor2d(all.xy.subarray(2 * TRAIN), [TEST, 2]);
  const yTest = tf.tensor1d(all.labels.subarray(TRAIN), 'int32');
  const grid = gridPoints();
  const ce = losses.sparseCategoricalCrossentropy({ fromLogits: true });
  const step = trainStep<null>({
    model,
    optimizer: optimizers.adam({ learningRate: config.learningRate }),
    loss: () => ce(yTrain, model.apply(xTrain, { training: true }) as tf.Tensor) as tf.Scalar,
  });
  try {
    for (let s = 0; s < MAX_STEPS && id === runId; s += STEPS_PER_FRAME) {
      for (let k = 0; k < STEPS_PER_FRAME; k++) step(null).loss.dispose();
      const frame = tf.tidy(() => {
        const trainLoss = ce(yTrain, model.apply(xTrain) as tf.Tensor).dataSync()[0]!;
        const testLoss = ce(yTest, model.apply(xTest) as tf.Tensor).dataSync()[0]!;
        const units: Float32Array[] = [];
        let h: tf.Tensor = grid;
        for (const layer of layers) {
          h = layer.apply(h) as tf.Tensor;
          if (hidden.includes(layer as Dense)) units.push(tf.transpose(h).dataSync() as Float32Array); // (units, cells)
        }
        const p = tf.softmax(h).slice([0, 1], [-1, 1]).dataSync() as Float32Array;
        return { trainLoss, testLoss, grid: p, units };
      });
      post(
        { type: 'frame', step: s + STEPS_PER_FRAME, size: GRID, widths: config.hidden, ...frame },
        [frame.grid.buffer, ...frame.units.map((u) => u.buffer)],
      );
      await new Promise((r) => setTimeout(r, 0)); // let a stop or a new start in
    }
  } finally {
    step.dispose();
    tf.dispose([xTrain, yTrain, xTest, yTest, grid]);
    model.dispose();
  }
  if (id === runId) post({ type: 'stopped' });
}

scope.onmessage = (event: MessageEvent<ToLab>) => {
  const m = event.data;
  runId += 1;
  if (m.type === 'start') {
    run(m.config, runId).catch((e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
  } else {
    post({ type: 'stopped' });
  }
};
