import { ConfigError, ShapeError, formatShape, tf } from '@tensorloom/core';
import { Bidirectional, Dense, Dropout, Embedding, GRU, LSTM, Module } from '@tensorloom/layers';
import type { ApplyOptions, Recurrent, Shape } from '@tensorloom/layers';

/**
 * Configuration of {@link RNNClassifier}.
 *
 * @example
 * ```ts
 * const config: RNNClassifierConfig = { vocabSize: 10000, numClasses: 2, cell: 'gru', bidirectional: true, numLayers: 2 };
 * ```
 */
export interface RNNClassifierConfig {
  /** The model's name. Default `'rnn_classifier'`. */
  name?: string;
  /** Vocabulary size (ids in [0, vocabSize), the pad id included). Required, a positive integer. */
  vocabSize: number;
  /** Output classes (logits). Required, a positive integer. */
  numClasses: number;
  /** Embedding size. Default `128`. */
  embeddingDim?: number;
  /** The recurrent cell. Default `'lstm'`. */
  cell?: 'lstm' | 'gru';
  /** Units of each recurrent layer (per direction). Default `128`. */
  units?: number;
  /** Stacked recurrent layers. Default `1`. */
  numLayers?: number;
  /** Run each layer in both directions and concatenate (Schuster & Paliwal 1997). Default `false`. */
  bidirectional?: boolean;
  /** Dropout in training between the recurrent layers and before the classifier, in [0, 1). Default `0`. */
  dropout?: number;
  /**
   * The padding id: steps holding it are masked (the recurrent state skips them), so padded
   * and unpadded sequences classify alike. `null`: no masking. Default `0`.
   */
  padId?: number | null;
  /** GRU only: the cuDNN/PyTorch form of the reset gate (see the layers' `GRU`). Default `false`. */
  resetAfter?: boolean;
}

/**
 * {@link RNNClassifierConfig} with every default applied.
 *
 * @example
 * ```ts
 * const { units, cell }: ResolvedRNNClassifierConfig = model.config;
 * ```
 */
export type ResolvedRNNClassifierConfig = Required<Omit<RNNClassifierConfig, 'name'>>;

/**
 * Resolves and checks an {@link RNNClassifierConfig}.
 *
 * @throws ConfigError naming the first bad field.
 * @example
 * ```ts
 * resolveRNNClassifierConfig({ vocabSize: 100, numClasses: 3 }).units; // 128
 * ```
 */
export function resolveRNNClassifierConfig(config: RNNClassifierConfig, unit = 'RNNClassifier'): ResolvedRNNClassifierConfig {
  const int = (key: string, value: number): number => {
    if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${unit}: ${key} expected a positive integer, got ${value}`);
    return value;
  };
  const cell = config.cell ?? 'lstm';
  if (cell !== 'lstm' && cell !== 'gru') throw new ConfigError(`${unit}: cell expected 'lstm' or 'gru', got '${String(cell)}'`);
  const rate = config.dropout ?? 0;
  if (!(rate >= 0 && rate < 1)) throw new ConfigError(`${unit}: dropout expected a rate in [0, 1), got ${rate}`);
  const vocabSize = int('vocabSize', config.vocabSize);
  const padId = config.padId === undefined ? 0 : config.padId;
  if (padId !== null && (!Number.isInteger(padId) || padId < 0 || padId >= vocabSize)) {
    throw new ConfigError(`${unit}: padId expected an integer in [0, ${vocabSize}) or null, got ${padId}`);
  }
  return {
    vocabSize,
    numClasses: int('numClasses', config.numClasses),
    embeddingDim: int('embeddingDim', config.embeddingDim ?? 128),
    cell,
    units: int('units', config.units ?? 128),
    numLayers: int('numLayers', config.numLayers ?? 1),
    bidirectional: config.bidirectional ?? false,
    dropout: rate,
    padId,
    resetAfter: config.resetAfter ?? false,
  };
}

/**
 * The parameter count of an {@link RNNClassifier} in closed form: `V·E` plus, per layer and
 * direction, `4·U·(F + U + 1)` (LSTM) or `3·U·(F + U + 1)` (GRU; `+3·U` with `resetAfter`),
 * `F` being `E` for the first layer and `U·directions` after it, plus `U·directions·C + C`.
 *
 * @param config - the model's configuration.
 * @returns the number of scalars.
 * @example
 * ```ts
 * rnnClassifierParameterCount({ vocabSize: 20000, numClasses: 2 }); // 2,691,842
 * ```
 */
export function rnnClassifierParameterCount(config: RNNClassifierConfig): number {
  const c = resolveRNNClassifierConfig(config);
  const dirs = c.bidirectional ? 2 : 1;
  const gates = c.cell === 'lstm' ? 4 : 3;
  let total = c.vocabSize * c.embeddingDim;
  for (let l = 0; l < c.numLayers; l++) {
    const f = l === 0 ? c.embeddingDim : c.units * dirs;
    const perDirection = gates * c.units * (f + c.units + 1) + (c.cell === 'gru' && c.resetAfter ? 3 * c.units : 0);
    total += dirs * perDirection;
  }
  return total + c.units * dirs * c.numClasses + c.numClasses;
}

/**
 * A recurrent sequence classifier: token embedding, `numLayers` stacked LSTM (Hochreiter &
 * Schmidhuber 1997, https://doi.org/10.1162/neco.1997.9.8.1735) or GRU (Cho et al. 2014,
 * https://arxiv.org/abs/1406.1078) layers, optionally bidirectional, and a dense layer on the
 * last layer's final state (both directions' final states, concatenated). Padding (`padId`)
 * is masked: a padded step leaves the states unchanged, so trailing (or leading) padding does
 * not change the logits.
 *
 * Input shape: int32 token ids `[batch, time]`. Output shape: logits `[batch, numClasses]`.
 *
 * Parameters: `embedding.embeddings` `[V, E]`; `rnn_<i>.{kernel,recurrentKernel,bias}` (or
 * `rnn_<i>.forward.*` and `rnn_<i>.backward.*` when bidirectional), `classifier.kernel`
 * `[U·directions, C]` and `classifier.bias`. The default config with `vocabSize: 20000,
 * numClasses: 2` (E = U = 128, one LSTM layer) has 2,691,842 parameters
 * ({@link rnnClassifierParameterCount}).
 *
 * @example
 * ```ts
 * const model = rnnClassifier({ vocabSize: 1000, numClasses: 2, embeddingDim: 32, units: 32, bidirectional: true }).build([null, 20], rng(1));
 * const logits = model.apply(tf.tensor2d([[5, 8, 13, 0, 0]], undefined, 'int32')); // [1, 2]; the zeros are padding
 * ```
 */
export class RNNClassifier extends Module {
  /** The configuration with defaults applied. */
  readonly config: ResolvedRNNClassifierConfig;
  /** The token embedding. */
  readonly embedding: Embedding;
  /** The recurrent layers, bottom first. */
  readonly rnns: readonly Module[];
  /** The classifier head. */
  readonly classifier: Dense;
  private readonly drop: Dropout | null;

  constructor(config: RNNClassifierConfig) {
    super({ name: config.name ?? 'rnn_classifier' });
    const c = resolveRNNClassifierConfig(config, `RNNClassifier '${this.name}'`);
    this.config = c;
    this.embedding = this.addModule('embedding', new Embedding({ name: 'embedding', inputDim: c.vocabSize, outputDim: c.embeddingDim, padId: c.padId }));
    this.rnns = Array.from({ length: c.numLayers }, (_, i) => {
      const name = `rnn_${i}`;
      const returnSequences = i < c.numLayers - 1;
      const make = (n: string): Recurrent =>
        c.cell === 'lstm' ? new LSTM({ name: n, units: c.units, returnSequences }) : new GRU({ name: n, units: c.units, returnSequences, resetAfter: c.resetAfter });
      return this.addModule(name, c.bidirectional ? new Bidirectional({ name, layer: make('forward'), backwardLayer: null }) : make(name)) as Module;
    });
    this.drop = c.dropout > 0 ? this.addModule('dropout', new Dropout({ name: 'dropout', rate: c.dropout })) : null;
    this.classifier = this.addModule('classifier', new Dense({ name: 'classifier', units: c.numClasses }));
  }

  protected override onBuild(_inputShape: Shape): void {
    const c = this.config;
    this.embedding.build([null, null]);
    let features = c.embeddingDim;
    for (const rnn of this.rnns) {
      rnn.build([null, null, features]);
      features = c.units * (c.bidirectional ? 2 : 1);
    }
    this.drop?.build([null, features]);
    this.classifier.build([null, features]);
  }

  override outputShape(inputShape: Shape): Shape {
    return [inputShape[0] ?? null, this.config.numClasses];
  }

  protected call(ids: tf.Tensor, options: ApplyOptions): tf.Tensor {
    if (ids.rank !== 2) throw new ShapeError(`${this.label}: input expected rank 2 [batch, time] of token ids, got shape ${formatShape(ids.shape)}`);
    return tf.tidy(() => {
      const mask = this.embedding.computeMask(ids, null);
      let h = this.embedding.apply(ids, options);
      const training = options.training ?? false;
      this.rnns.forEach((rnn, i) => {
        if (i > 0 && this.drop !== null) h = this.drop.apply(h, { training });
        h = rnn.apply(h, { training, mask }) as tf.Tensor;
      });
      if (this.drop !== null) h = this.drop.apply(h, { training });
      return this.classifier.apply(h);
    });
  }
}

/**
 * Creates an {@link RNNClassifier}.
 *
 * @param config - see {@link RNNClassifierConfig}.
 * @returns the unbuilt model.
 * @throws ConfigError naming a bad field.
 * @example
 * ```ts
 * const spam = rnnClassifier({ vocabSize: 5000, numClasses: 2, cell: 'gru' });
 * ```
 */
export function rnnClassifier(config: RNNClassifierConfig): RNNClassifier {
  return new RNNClassifier(config);
}
