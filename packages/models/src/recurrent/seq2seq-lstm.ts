import { ConfigError, ShapeError, formatShape, tf } from '@tensorloom/core';
import { Dense, Embedding, LSTM, Module, dense, dropout, lstm } from '@tensorloom/layers';
import type { ApplyOptions, ShapeOf } from '@tensorloom/layers';
import type { IncrementalDecoder } from '../decoding/incremental-decoder.js';

/** The logit bias that hides a padded source position (weight exactly 0 after the softmax). */
const MASKED = -1e9;

/**
 * Configuration of {@link Seq2SeqLSTM}.
 *
 * @example
 * ```ts
 * const config: Seq2SeqLSTMConfig = { sourceVocabSize: 30, targetVocabSize: 45, attention: 'bahdanau', units: 128 };
 * ```
 */
export interface Seq2SeqLSTMConfig {
  /** The model's name. Default `'seq2seq_lstm'`. */
  name?: string;
  /** Source vocabulary size. Required, a positive integer. */
  sourceVocabSize: number;
  /** Target vocabulary size (logits). Required, a positive integer. */
  targetVocabSize: number;
  /** Embedding size of source and target tokens. Default `256`. */
  embeddingDim?: number;
  /** Units of the encoder and decoder LSTMs. Default `256`. */
  units?: number;
  /**
   * `'bahdanau'`: additive attention from the previous decoder state, context fed to the
   * LSTM (Bahdanau et al. 2014, https://arxiv.org/abs/1409.0473); `'luong'`: the "general"
   * multiplicative score from the new decoder state, attentional state `tanh(W_c[c; h])` fed
   * back as input (Luong et al. 2015, https://arxiv.org/abs/1508.04025). Default `'luong'`.
   */
  attention?: 'bahdanau' | 'luong';
  /** Size of the additive attention's hidden layer (Bahdanau only). Default `units`. */
  attentionDim?: number;
  /** Dropout in training on the embeddings and before the output layer, in [0, 1). Default `0`. */
  dropout?: number;
  /** Padding id of source and target: padded source positions are never attended to and are skipped by the encoder. `null`: none. Default `0`. */
  padId?: number | null;
}

/**
 * {@link Seq2SeqLSTMConfig} with every default applied.
 *
 * @example
 * ```ts
 * const { attention, units }: ResolvedSeq2SeqLSTMConfig = model.config;
 * ```
 */
export type ResolvedSeq2SeqLSTMConfig = Required<Omit<Seq2SeqLSTMConfig, 'name'>>;

/**
 * The inputs of {@link Seq2SeqLSTM}: source ids and the decoder's input ids (the target shifted
 * right behind a start token: teacher forcing).
 *
 * @example
 * ```ts
 * const input: Seq2SeqLSTMInput = { source, target: shifted };
 * ```
 */
export type Seq2SeqLSTMInput = {
  /** Source ids `[batch, S]`, int32. */
  readonly source: tf.Tensor;
  /** Decoder input ids `[batch, T]`, int32. */
  readonly target: tf.Tensor;
};

/**
 * Resolves and checks a {@link Seq2SeqLSTMConfig}.
 *
 * @throws ConfigError naming the first bad field.
 * @example
 * ```ts
 * resolveSeq2SeqLSTMConfig({ sourceVocabSize: 10, targetVocabSize: 10 }).attention; // 'luong'
 * ```
 */
export function resolveSeq2SeqLSTMConfig(config: Seq2SeqLSTMConfig, unit = 'Seq2SeqLSTM'): ResolvedSeq2SeqLSTMConfig {
  const int = (key: string, value: number): number => {
    if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${unit}: ${key} expected a positive integer, got ${value}`);
    return value;
  };
  const sourceVocabSize = int('sourceVocabSize', config.sourceVocabSize);
  const targetVocabSize = int('targetVocabSize', config.targetVocabSize);
  const units = int('units', config.units ?? 256);
  const attention = config.attention ?? 'luong';
  if (attention !== 'bahdanau' && attention !== 'luong') throw new ConfigError(`${unit}: attention expected 'bahdanau' or 'luong', got '${String(attention)}'`);
  const rate = config.dropout ?? 0;
  if (!(rate >= 0 && rate < 1)) throw new ConfigError(`${unit}: dropout expected a rate in [0, 1), got ${rate}`);
  const padId = config.padId === undefined ? 0 : config.padId;
  const vocab = Math.min(sourceVocabSize, targetVocabSize);
  if (padId !== null && (!Number.isInteger(padId) || padId < 0 || padId >= vocab)) {
    throw new ConfigError(`${unit}: padId expected an integer in [0, ${vocab}) (both vocabularies) or null, got ${padId}`);
  }
  return {
    sourceVocabSize,
    targetVocabSize,
    embeddingDim: int('embeddingDim', config.embeddingDim ?? 256),
    units,
    attention,
    attentionDim: int('attentionDim', config.attentionDim ?? units),
    dropout: rate,
    padId,
  };
}

/**
 * The parameter count of a {@link Seq2SeqLSTM} in closed form: embeddings `(Vs + Vt)·E`,
 * encoder LSTM `4·U·(E + U + 1)`, decoder LSTM `4·U·(E + U + U + 1)` (its input is the
 * embedding and a context or attentional vector), attention `2·U·A + A` (Bahdanau) or `U² + 2·U²`
 * (Luong: score and combine), output `2·U·Vt + Vt` (Bahdanau reads `[s; c]`) or `U·Vt + Vt`.
 *
 * @param config - the model's configuration.
 * @returns the number of scalars.
 * @example
 * ```ts
 * seq2seqLSTMParameterCount({ sourceVocabSize: 10000, targetVocabSize: 10000 }); // 9,199,376
 * ```
 */
export function seq2seqLSTMParameterCount(config: Seq2SeqLSTMConfig): number {
  const c = resolveSeq2SeqLSTMConfig(config);
  const { embeddingDim: e, units: u, attentionDim: a, targetVocabSize: vt } = c;
  const lstms = 4 * u * (e + u + 1) + 4 * u * (e + 2 * u + 1);
  const attention = c.attention === 'bahdanau' ? 2 * u * a + a : 3 * u * u;
  const output = c.attention === 'bahdanau' ? 2 * u * vt + vt : u * vt + vt;
  return (c.sourceVocabSize + vt) * e + lstms + attention + output;
}

/**
 * The state of a {@link Seq2SeqLSTM} decoder: per row, the encoder outputs and their
 * projection, the source mask, the decoder LSTM's `h` and `c` and (Luong) the last attentional vector.
 *
 * @example
 * ```ts
 * const state: Seq2SeqLSTMState = model.decoder(source).init([0]);
 * ```
 */
export type Seq2SeqLSTMState = {
  /** Encoder outputs `[rows, S, U]`. */
  readonly memory: tf.Tensor;
  /** The memory projected for the attention score `[rows, S, A or U]`. */
  readonly keys: tf.Tensor;
  /** Source mask `[rows, S]` as float 0/1 (all ones without `padId`). */
  readonly mask: tf.Tensor;
  /** Decoder hidden state `[rows, U]`. */
  readonly h: tf.Tensor;
  /** Decoder cell state `[rows, U]`. */
  readonly c: tf.Tensor;
  /** Luong's attentional vector `h̃` `[rows, U]` (zeros at the start); Bahdanau: the last context. */
  readonly feed: tf.Tensor;
};

/**
 * An encoder–decoder LSTM with attention (Sutskever et al. 2014,
 * https://arxiv.org/abs/1409.3215, with the attention of Bahdanau et al. 2014 or Luong et al.
 * 2015): an LSTM encodes the source (padding skipped), the decoder LSTM starts from the
 * encoder's final state and at every step attends over the encoder outputs (padded positions
 * get zero weight). Training feeds the shifted target (teacher forcing) through `apply`;
 * generation goes through {@link Seq2SeqLSTM.decoder} and the decoding functions, one step per token.
 *
 * Bahdanau: `e_j = vᵀ tanh(W_k h_j + W_q s_{t-1})`, `c_t = Σ softmax(e)_j h_j`,
 * `s_t = LSTM([E y_{t-1}; c_t], s_{t-1})`, logits `W_o [s_t; c_t] + b`.
 * Luong (general, input feeding): `s_t = LSTM([E y_{t-1}; h̃_{t-1}], s_{t-1})`,
 * `e_j = s_tᵀ W_a h_j`, `c_t = Σ softmax(e)_j h_j`, `h̃_t = tanh(W_c [c_t; s_t])`, logits `W_o h̃_t + b`.
 *
 * Input shape: `{ source: [batch, S], target: [batch, T] }` int32 ids.
 * Output shape: logits `[batch, T, targetVocabSize]`.
 *
 * Parameters: `source_embedding`, `target_embedding`, `encoder.*`, `decoder.*` (LSTMs),
 * `attention_query`/`attention_key`/`attention_v` (Bahdanau) or `attention_score`/`combine`
 * (Luong), `output.*`. The default config with 10,000-token vocabularies has 9,199,376
 * parameters with Luong attention ({@link seq2seqLSTMParameterCount}).
 *
 * @example
 * ```ts
 * const model = seq2seqLSTM({ sourceVocabSize: 20, targetVocabSize: 20, embeddingDim: 16, units: 32, attention: 'bahdanau' })
 *   .build({ source: [null, null], target: [null, null] }, rng(1));
 * const logits = model.apply({ source, target: shifted }); // [batch, T, 20]
 * const tokens = greedyDecode(model.decoder(source), { prompts: [[1]], maxLength: 10, endToken: 2 });
 * ```
 */
export class Seq2SeqLSTM extends Module<Seq2SeqLSTMInput, tf.Tensor> {
  /** The configuration with defaults applied. */
  readonly config: ResolvedSeq2SeqLSTMConfig;
  /** Source embedding. */
  readonly sourceEmbedding: Embedding;
  /** Target embedding. */
  readonly targetEmbedding: Embedding;
  /** The encoder LSTM. */
  readonly encoder: LSTM<true>;
  /** The decoder LSTM (its weights; it runs one step at a time). */
  readonly decoderLstm: LSTM;
  /** Attention projections: Bahdanau's query, key and `v`; Luong's score `W_a` and combine `W_c`. */
  readonly attentionLayers: Readonly<Record<string, Dense>>;
  /** The output layer. */
  readonly output: Dense;

  constructor(config: Seq2SeqLSTMConfig) {
    super({ name: config.name ?? 'seq2seq_lstm' });
    const c = resolveSeq2SeqLSTMConfig(config, `Seq2SeqLSTM '${this.name}'`);
    this.config = c;
    this.sourceEmbedding = this.addModule('source_embedding', new Embedding({ name: 'source_embedding', inputDim: c.sourceVocabSize, outputDim: c.embeddingDim, padId: c.padId }));
    this.targetEmbedding = this.addModule('target_embedding', new Embedding({ name: 'target_embedding', inputDim: c.targetVocabSize, outputDim: c.embeddingDim }));
    this.encoder = this.addModule('encoder', new LSTM({ name: 'encoder', units: c.units, returnSequences: true, returnState: true }));
    this.decoderLstm = this.addModule('decoder', new LSTM({ name: 'decoder', units: c.units }));
    const d = (name: string, units: number): Dense => this.addModule(name, new Dense({ name, units, useBias: false }));
    this.attentionLayers =
      c.attention === 'bahdanau'
        ? { query: d('attention_query', c.attentionDim), key: d('attention_key', c.attentionDim), v: d('attention_v', 1) }
        : { score: d('attention_score', c.units), combine: d('combine', c.units) };
    this.output = this.addModule('output', new Dense({ name: 'output', units: c.targetVocabSize }));
  }

  protected override onBuild(_inputShape: ShapeOf<Seq2SeqLSTMInput>): void {
    const c = this.config;
    const a = this.attentionLayers;
    this.sourceEmbedding.build([null, null]);
    this.targetEmbedding.build([null, null]);
    this.encoder.build([null, null, c.embeddingDim]);
    this.decoderLstm.build([null, 1, c.embeddingDim + c.units]);
    if (c.attention === 'bahdanau') {
      a.query!.build([null, c.units]);
      a.key!.build([null, null, c.units]);
      a.v!.build([null, null, c.attentionDim]);
      this.output.build([null, 2 * c.units]);
    } else {
      a.score!.build([null, null, c.units]);
      a.combine!.build([null, 2 * c.units]);
      this.output.build([null, c.units]);
    }
  }

  override outputShape(inputShape: ShapeOf<Seq2SeqLSTMInput>): [number | null, number | null, number] {
    return [inputShape.target[0] ?? null, inputShape.target[1] ?? null, this.config.targetVocabSize];
  }

  private checkIds(arg: string, ids: tf.Tensor): void {
    if (ids.rank !== 2) throw new ShapeError(`${this.label}: ${arg} expected rank 2 [batch, length] of token ids, got shape ${formatShape(ids.shape)}`);
  }

  /** Encodes source ids: the initial decoder state for those rows. */
  private start(source: tf.Tensor, training: boolean): Seq2SeqLSTMState {
    const c = this.config;
    return tf.tidy(() => {
      const maskBool = this.sourceEmbedding.computeMask(source, null);
      let x = this.sourceEmbedding.apply(source);
      if (training && c.dropout > 0) x = dropout(x, c.dropout, this.nextRng());
      const [memory, h, cell] = this.encoder.apply(x, { mask: maskBool }); // (B, S, U), (B, U), (B, U)
      const keys = c.attention === 'bahdanau' ? dense(memory!, this.attentionLayers.key!.kernel!, null) : dense(memory!, this.attentionLayers.score!.kernel!, null);
      const mask = maskBool === null ? tf.onesLike(source).toFloat() : tf.cast(maskBool, 'float32');
      return { memory: memory!, keys, mask, h: h!, c: cell!, feed: tf.zerosLike(h!) };
    });
  }

  /** Masked softmax over the source and the context `Σ α_j h_j`: `[B, U]`. */
  private context(scores: tf.Tensor, state: Seq2SeqLSTMState): tf.Tensor {
    return tf.tidy(() => {
      const masked = tf.add(scores, tf.mul(tf.sub(1, state.mask), MASKED)); // (B, S)
      const weights = tf.softmax(masked); // (B, S)
      return tf.sum(tf.mul(tf.expandDims(weights, 2), state.memory), 1); // (B, U)
    });
  }

  /** One decoder step from token ids `[B]`: the logits `[B, V]` and the next state (the old one is not disposed). */
  private stepOnce(tokens: tf.Tensor, state: Seq2SeqLSTMState, training: boolean): { logits: tf.Tensor; state: Seq2SeqLSTMState } {
    const c = this.config;
    const a = this.attentionLayers;
    const dec = this.decoderLstm;
    const params = { kernel: dec.kernel!, recurrentKernel: dec.recurrentKernel!, bias: dec.bias };
    return tf.tidy(() => {
      let y = this.targetEmbedding.apply(tokens); // (B, E); the layer checks the ids
      if (training && c.dropout > 0) y = dropout(y, c.dropout, this.nextRng());
      const run = (input: tf.Tensor): tf.Tensor[] => lstm(tf.expandDims(input, 1), params, { initialState: [state.h, state.c] }).states; // [h, c]
      if (c.attention === 'bahdanau') {
        const q = tf.expandDims(dense(state.h, a.query!.kernel!, null), 1); // (B, 1, A)
        const e = tf.squeeze(dense(tf.tanh(tf.add(state.keys, q)), a.v!.kernel!, null), [2]); // (B, S)
        const ctx = this.context(e, state); // (B, U)
        const [h, cell] = run(tf.concat([y, ctx], 1));
        let out = tf.concat([h!, ctx], 1); // (B, 2U)
        if (training && c.dropout > 0) out = dropout(out, c.dropout, this.nextRng());
        const logits = dense(out, this.output.kernel!, this.output.bias);
        return { logits, state: { ...state, h: h!, c: cell!, feed: ctx } };
      }
      const [h, cell] = run(tf.concat([y, state.feed], 1));
      const e = tf.sum(tf.mul(state.keys, tf.expandDims(h!, 1)), 2); // (B, S): s_tᵀ W_a h_j
      const ctx = this.context(e, state); // (B, U)
      const attentional = tf.tanh(dense(tf.concat([ctx, h!], 1), a.combine!.kernel!, null)); // (B, U)
      const out = training && c.dropout > 0 ? dropout(attentional, c.dropout, this.nextRng()) : attentional;
      const logits = dense(out, this.output.kernel!, this.output.bias);
      return { logits, state: { ...state, h: h!, c: cell!, feed: attentional } };
    });
  }

  protected call(input: Seq2SeqLSTMInput, options: ApplyOptions): tf.Tensor {
    this.checkIds('source', input.source);
    this.checkIds('target', input.target);
    if (input.source.shape[0] !== input.target.shape[0]) {
      throw new ShapeError(`${this.label}: target batch expected ${input.source.shape[0]} (the source's), got shape ${formatShape(input.target.shape)}`);
    }
    const training = options.training ?? false;
    return tf.tidy(() => {
      let state = this.start(input.source, training);
      const steps = tf.unstack(input.target, 1); // T × (B)
      const logits = steps.map((tokens) => {
        const r = this.stepOnce(tokens, state, training);
        state = r.state;
        return r.logits;
      });
      return tf.stack(logits, 1); // (B, T, V)
    });
  }

  /**
   * An {@link IncrementalDecoder} for `source` (`[batch, S]` ids; the caller keeps and
   * disposes it): `init(rows)` encodes the chosen rows; each step runs the decoder LSTM and
   * the attention once per fed token (the recurrent state is the cache).
   *
   * @example
   * ```ts
   * const [best] = beamSearch(model.decoder(source), { prompts: [[bos]], beamWidth: 3, maxLength: 12, endToken: eos })[0]!;
   * ```
   */
  decoder(source: tf.Tensor): IncrementalDecoder<Seq2SeqLSTMState> {
    if (!this.built) this.build({ source: [null, null], target: [null, null] });
    this.checkIds('source', source);
    const batch = source.shape[0]!;
    const release = (s: Seq2SeqLSTMState): void => tf.dispose([s.memory, s.keys, s.mask, s.h, s.c, s.feed]);
    return {
      vocabSize: this.config.targetVocabSize,
      sourceRows: batch,
      init: (rows) => {
        rows.forEach((r, i) => {
          if (!Number.isInteger(r) || r < 0 || r >= batch) throw new ShapeError(`${this.label}: decoder row ${i} expected a source row in [0, ${batch}), got ${r}`);
        });
        return tf.tidy(() => this.start(tf.gather(source, tf.tensor1d([...rows], 'int32')), false));
      },
      step: (state, tokens) => {
        let current = state;
        let logits: tf.Tensor | null = null;
        for (let t = 0; t < tokens[0]!.length; t++) {
          const ids = tf.tensor1d(tokens.map((r) => r[t]!), 'int32');
          const r = this.stepOnce(ids, current, false);
          ids.dispose();
          logits?.dispose();
          logits = r.logits;
          // The new state shares memory, keys and mask with the old one; release the rest.
          tf.dispose([current.h, current.c, current.feed]);
          current = r.state;
        }
        return { logits: logits as tf.Tensor2D, state: current };
      },
      select: (state, rows) => {
        const next = tf.tidy(() => {
          const index = tf.tensor1d([...rows], 'int32');
          const g = (t: tf.Tensor): tf.Tensor => tf.gather(t, index);
          return { memory: g(state.memory), keys: g(state.keys), mask: g(state.mask), h: g(state.h), c: g(state.c), feed: g(state.feed) };
        });
        release(state);
        return next;
      },
      dispose: release,
    };
  }
}

/**
 * Creates a {@link Seq2SeqLSTM}.
 *
 * @param config - see {@link Seq2SeqLSTMConfig}.
 * @returns the unbuilt model.
 * @throws ConfigError naming a bad field.
 * @example
 * ```ts
 * const model = seq2seqLSTM({ sourceVocabSize: 30, targetVocabSize: 45, attention: 'bahdanau' });
 * ```
 */
export function seq2seqLSTM(config: Seq2SeqLSTMConfig): Seq2SeqLSTM {
  return new Seq2SeqLSTM(config);
}
