import type { tf } from '@tensorloom/core';

/**
 * What {@link IncrementalDecoder.step} returns.
 *
 * @typeParam S - the decoder state's type.
 * @example
 * ```ts
 * const { logits, state }: DecoderStep<CausalLMState> = decoder.step(decoder.init([0]), [[1, 2]]);
 * ```
 */
export type DecoderStep<S> = {
  /** The next token's logits `[rows, vocabSize]`, owned by the caller. */
  readonly logits: tf.Tensor2D;
  /** The state after the fed tokens. */
  readonly state: S;
};

/**
 * What the decoding functions ({@link greedyDecode}, {@link beamSearch}, {@link sampleDecode})
 * drive: a model that takes tokens a few at a time and returns the next token's logits.
 *
 * A state holds one row per hypothesis. Every method that takes a state consumes it (its
 * tensors are disposed or moved into the result); the caller disposes the last state with
 * {@link IncrementalDecoder.dispose}. A decoder with a key/value cache keeps the earlier
 * positions' keys and values in the state and computes each new position only; one without
 * keeps the tokens and recomputes the whole prefix on every step. Both give the same logits.
 *
 * @typeParam S - the state's type.
 * @example
 * ```ts
 * const decoder = lm.decoder();                  // cached
 * let state = decoder.init([0, 0]);              // two rows
 * const first = decoder.step(state, [[5, 7], [5, 9]]);  // logits [2, vocab] after each prompt
 * state = first.state;
 * first.logits.dispose();
 * decoder.dispose(state);
 * ```
 */
export interface IncrementalDecoder<S> {
  /** The number of logits per row. */
  readonly vocabSize: number;
  /**
   * Sequence rows this decoder is bound to: an encoder–decoder's source batch, or `null`
   * for a language model (any number of rows).
   */
  readonly sourceRows: number | null;
  /** An empty state of `rows.length` rows; entry `i` names the source row row `i` decodes (ignored by a language model). */
  init(rows: readonly number[]): S;
  /**
   * Feeds `tokens` (one equal-length list per row, at least one token) and returns the logits
   * `[rows, vocabSize]` of the position after the last one, with the new state.
   */
  step(state: S, tokens: readonly (readonly number[])[]): DecoderStep<S>;
  /** A state whose row `i` is row `rows[i]` of `state` (rows may repeat: beam search). */
  select(state: S, rows: readonly number[]): S;
  /** Releases a state's tensors. */
  dispose(state: S): void;
}
