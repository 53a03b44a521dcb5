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

/** The 2-D lab's settings. */
export interface LabConfig {
  data: 'xor' | 'circles' | 'moons' | 'spirals' | 'blobs';
  /** Standard deviation of the Gaussian noise on every coordinate. */
  noise: number;
  /** Widths of the hidden layers (none: logistic regression). */
  hidden: number[];
  activation: 'relu' | 'tanh' | 'sigmoid';
  learningRate: number;
  /** L1 and L2 factors on every kernel (0: none). */
  l1: number;
  l2: number;
  /** Dropout rate after each hidden layer (0: none). */
  dropout: number;
  seed: number;
}

/** Page → lab worker. */
export type ToLab = { type: 'start'; config: LabConfig } | { type: 'stop' };

/** Lab worker → page. */
export type FromLab =
  | { type: 'data'; xy: Float32Array; labels: Int32Array; trainCount: number }
  /**
   * Every few steps: the losses, `grid` (`size`² probabilities of class 1 over [-1, 1]²,
   * row 0 at y = 1) and, per hidden layer, each unit's activation over the same grid
   * (`units[l][u * size² + cell]`).
   */
  | { type: 'frame'; step: number; trainLoss: number; testLoss: number; size: number; grid: Float32Array; units: Float32Array[]; widths: number[] }
  | { type: 'stopped' }
  | { type: 'error'; message: string };
