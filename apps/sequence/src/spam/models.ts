// The two spam classifiers, both from @tensorloom/models, over token ids (pad id 0 is masked).
import type { Rng } from '@tensorloom/core';
import { rnnClassifier, transformerClassifier } from '@tensorloom/models';
import type { RNNClassifier, TransformerClassifier } from '@tensorloom/models';

/** Models the `--model` flag accepts. */
export const SPAM_MODELS = ['lstm', 'transformer'] as const;
/** A `--model` value. */
export type SpamModelName = (typeof SPAM_MODELS)[number];

/** What a run folder records to rebuild its classifier. */
export interface SpamModelSpec {
  model: SpamModelName;
  vocabSize: number;
  maxLen: number;
}

/** A spam classifier: ids `[b, maxLen]` → logits `[b, 2]` (ham, spam). */
export type SpamClassifier = RNNClassifier | TransformerClassifier;

/**
 * - `lstm`: Embedding(64) → bidirectional LSTM(64) → Dense(2), padding masked (Hochreiter &
 *   Schmidhuber 1997);
 * - `transformer`: a 2-layer BERT-style encoder, d_model 64, 4 heads, feed-forward 128,
 *   learned positions, mean pooling over the real tokens (Devlin et al. 2018).
 */
export function buildSpamModel(spec: SpamModelSpec, rng: Rng): SpamClassifier {
  const model =
    spec.model === 'lstm'
      ? rnnClassifier({ vocabSize: spec.vocabSize, numClasses: 2, embeddingDim: 64, units: 64, bidirectional: true, dropout: 0.2 })
      : transformerClassifier({
          vocabSize: spec.vocabSize, numClasses: 2, maxLength: spec.maxLen, dModel: 64, numLayers: 2, numHeads: 4,
          dimFeedforward: 128, dropout: 0.1, pooling: 'mean',
        });
  return model.build([null, spec.maxLen], rng);
}
