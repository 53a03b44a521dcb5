/**
 * The messages between the page (main.ts) and the training worker (worker.ts). Every
 * message has a `type`; a request that expects one answer carries an `id` the answer repeats.
 */

/** The architectures the playground trains. */
export type Architecture = 'mlp' | 'lenet5' | 'resnet';

/** What the visitor chose before pressing Train. */
export interface TrainConfig {
  architecture: Architecture;
  /** Passes over the 4,000 training digits. */
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** The seed of the initial weights and the data order. */
  seed: number;
}

/** Page → worker. */
export type ToWorker =
  | { type: 'train'; config: TrainConfig }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** A 28×28 drawing, row-major, values in [0, 1] (1 = ink). */
  | { type: 'predict'; id: number; pixels: Float32Array }
  | { type: 'save'; id: number }
  /** A file written by `save`. */
  | { type: 'load'; id: number; file: Uint8Array };

/** Where training is. */
export type TrainState = 'idle' | 'training' | 'paused' | 'done';

/** Worker → page. */
export type FromWorker =
  | { type: 'ready'; backend: string; threads: boolean; simd: boolean; crossOriginIsolated: boolean; train: number; test: number }
  | { type: 'state'; state: TrainState; reason?: string }
  /** After every step: its loss and the throughput over the last few steps. */
  | { type: 'step'; step: number; epoch: number; loss: number; samplesPerSecond: number }
  /** After every epoch: training loss and accuracy, and the same on the test subset. */
  | { type: 'epoch'; epoch: number; step: number; loss: number; accuracy: number; testLoss: number; testAccuracy: number }
  /** `matrix[t][p]`: test digits of class t predicted p. */
  | { type: 'confusion'; matrix: number[][]; accuracy: number }
  /** Softmax probabilities of the ten digits. */
  | { type: 'prediction'; id: number; probabilities: number[] }
  | { type: 'saved'; id: number; file: Uint8Array; name: string }
  | { type: 'loaded'; id: number; config: TrainConfig }
  | { type: 'error'; id?: number; message: string };
