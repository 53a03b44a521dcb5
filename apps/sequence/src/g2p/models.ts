// The two g2p models, both from @tensorloom/models: a transformer encoder–decoder and an LSTM
// encoder–decoder with attention, letters in, phonemes out (pad id 0 masked).
import type { Rng } from '@tensorloom/core';
import { seq2seqLSTM, seq2seqTransformer } from '@tensorloom/models';
import type { Seq2SeqLSTM, Seq2SeqTransformer } from '@tensorloom/models';
import { PAD, SOURCE_VOCAB, TARGET_VOCAB } from './data.js';

/** Models the `--model` flag accepts. */
export const G2P_MODELS = ['transformer', 'lstm'] as const;
/** A `--model` value. */
export type G2PModelName = (typeof G2P_MODELS)[number];

/** What a run folder records to rebuild its model. */
export interface G2PModelSpec {
  model: G2PModelName;
  /** Transformer: d_model; LSTM: units. */
  width: number;
  /** Transformer: encoder and decoder layers each (the LSTM has one of each). */
  layers: number;
}

/** A g2p model: `{ source: [b, S], target: [b, T] }` ids → logits `[b, T, 42]`. */
export type G2PModel = Seq2SeqTransformer | Seq2SeqLSTM;

/**
 * - `transformer`: Vaswani et al. 2017 with `layers` encoder and decoder layers of width
 *   `width`, 4 heads, feed-forward 4·width, sinusoidal positions, pre-norm (steadier at a
 *   high learning rate on small data), output tied to the target embedding, dropout 0.1;
 * - `lstm`: Luong et al. 2015 — an LSTM encoder and decoder of `width` units, embeddings of
 *   width/2, "general" attention with input feeding, dropout 0.1.
 */
export function buildG2PModel(spec: G2PModelSpec, rng: Rng): G2PModel {
  const model =
    spec.model === 'transformer'
      ? seq2seqTransformer({
          sourceVocabSize: SOURCE_VOCAB, targetVocabSize: TARGET_VOCAB, dModel: spec.width, numHeads: 4,
          numEncoderLayers: spec.layers, numDecoderLayers: spec.layers, dimFeedforward: 4 * spec.width,
          dropout: 0.1, normFirst: true, padId: PAD,
        })
      : seq2seqLSTM({
          sourceVocabSize: SOURCE_VOCAB, targetVocabSize: TARGET_VOCAB, embeddingDim: Math.max(8, Math.round(spec.width / 2)),
          units: spec.width, attention: 'luong', dropout: 0.1, padId: PAD,
        });
  return model.build({ source: [null, null], target: [null, null] }, rng);
}
