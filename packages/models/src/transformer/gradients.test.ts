// Gradients of every sequence model against central finite differences (tiny configs, a few
// sampled entries of every parameter).
import { describe, expect, it } from 'vitest';
import { rng, tf } from '@tensorloom/core';
import { causalLM, rnnClassifier, seq2seqLSTM, seq2seqTransformer, transformerClassifier } from '../index.js';
import { checkParameterGradients, projectedSum, randomizeParameters } from './internal/gradcheck.js';

const ids = (rows: number[][]): tf.Tensor2D => tf.tensor2d(rows, undefined, 'int32');

describe('sequence model gradients equal central finite differences', () => {
  it('causalLM (tied embedding, learned positions)', () => {
    const lm = causalLM({ vocabSize: 7, contextLength: 6, dModel: 4, numLayers: 1, numHeads: 2, dimFeedforward: 6, dropout: 0 }).build([null, null], rng(1));
    const x = ids([[1, 5, 2, 6]]);
    randomizeParameters(lm.trainableParameters(), 7);
    expect(checkParameterGradients(() => projectedSum(lm.apply(x)), lm.trainableParameters())).toEqual([]);
    x.dispose();
    lm.dispose();
  });

  it('transformerClassifier (mean pooling over a padded batch)', () => {
    const model = transformerClassifier({ vocabSize: 7, numClasses: 3, maxLength: 5, dModel: 4, numLayers: 1, numHeads: 2, dimFeedforward: 6, dropout: 0, pooling: 'mean' }).build([null, null], rng(2));
    const x = ids([[1, 5, 2, 0], [3, 4, 0, 0]]);
    randomizeParameters(model.trainableParameters(), 7);
    expect(checkParameterGradients(() => projectedSum(model.apply(x)), model.trainableParameters())).toEqual([]);
    x.dispose();
    model.dispose();
  });

  it('rnnClassifier (bidirectional GRU, padded)', () => {
    const model = rnnClassifier({ vocabSize: 7, numClasses: 3, embeddingDim: 3, units: 3, cell: 'gru', bidirectional: true }).build([null, null], rng(3));
    const x = ids([[1, 5, 2, 0], [3, 4, 6, 2]]);
    randomizeParameters(model.trainableParameters(), 7);
    expect(checkParameterGradients(() => projectedSum(model.apply(x)), model.trainableParameters())).toEqual([]);
    x.dispose();
    model.dispose();
  });

  it.each(['bahdanau', 'luong'] as const)('seq2seqLSTM (%s attention)', (attention) => {
    const model = seq2seqLSTM({ sourceVocabSize: 7, targetVocabSize: 6, embeddingDim: 3, units: 4, attentionDim: 3, attention }).build({ source: [null, null], target: [null, null] }, rng(4));
    const source = ids([[1, 5, 2], [3, 4, 0]]);
    const target = ids([[1, 3], [1, 2]]);
    randomizeParameters(model.trainableParameters(), 7);
    expect(checkParameterGradients(() => projectedSum(model.apply({ source, target })), model.trainableParameters())).toEqual([]);
    tf.dispose([source, target]);
    model.dispose();
  });

  it('seq2seqTransformer (post-norm, tied output; GELU, as ReLU kinks break finite differences)', () => {
    const model = seq2seqTransformer({ sourceVocabSize: 7, targetVocabSize: 6, maxLength: 5, dModel: 4, numHeads: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 6, dropout: 0, activation: 'gelu' })
      .build({ source: [null, null], target: [null, null] }, rng(5));
    const source = ids([[1, 5, 2], [3, 4, 0]]);
    const target = ids([[1, 3], [1, 2]]);
    randomizeParameters(model.trainableParameters(), 7);
    expect(checkParameterGradients(() => projectedSum(model.apply({ source, target })), model.trainableParameters())).toEqual([]);
    tf.dispose([source, target]);
    model.dispose();
  });
});
