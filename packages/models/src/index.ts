/**
 * The architecture zoo: feed-forward, CNNs, ResNet, U-Net, recurrent, transformers, GANs, autoencoders; decoding and transfer learning.
 *
 * @packageDocumentation
 */
// Decoding (issue 10, part B): greedy, beam search, sampling over any IncrementalDecoder.
export type { IncrementalDecoder, DecoderStep } from './decoding/incremental-decoder.js';
export { greedyDecode } from './decoding/greedy.js';
export type { GreedyDecodeOptions } from './decoding/greedy.js';
export { beamSearch } from './decoding/beam-search.js';
export type { BeamSearchOptions, BeamHypothesis } from './decoding/beam-search.js';
export { sampleDecode, samplingDistribution } from './decoding/sample.js';
export type { SampleDecodeOptions, SamplingDistribution } from './decoding/sample.js';

// Transformers (issue 10, part B): key/value cache, GPT blocks and the causal LM.
export { cachedSelfAttention, offsetCausalMask, projectMemory, attendToMemory } from './transformer/kv-cache.js';
export type { KeyValueCache, CachedAttentionResult } from './transformer/kv-cache.js';
export { GPTBlock, gptBlock } from './transformer/gpt-block.js';
export type { GPTBlockConfig, GPTBlockWeights, GPTBlockOptions, GPTBlockResult } from './transformer/gpt-block.js';
export { CausalLM, causalLM, causalLMParameterCount, resolveCausalLMConfig } from './transformer/causal-lm.js';
export type { CausalLMConfig, ResolvedCausalLMConfig, CausalLMState, CausalLMDecoderOptions } from './transformer/causal-lm.js';
export { TransformerClassifier, transformerClassifier, transformerClassifierParameterCount, resolveTransformerClassifierConfig } from './transformer/transformer-classifier.js';
export type { TransformerClassifierConfig, ResolvedTransformerClassifierConfig } from './transformer/transformer-classifier.js';
export { Seq2SeqTransformer, seq2seqTransformer, seq2seqTransformerParameterCount, resolveSeq2SeqTransformerConfig } from './transformer/seq2seq-transformer.js';
export type { Seq2SeqTransformerConfig, ResolvedSeq2SeqTransformerConfig, Seq2SeqInput, Seq2SeqTransformerState, Seq2SeqDecoderOptions, EncodedSource } from './transformer/seq2seq-transformer.js';

// Recurrent (issue 10, part B).
export { RNNClassifier, rnnClassifier, rnnClassifierParameterCount, resolveRNNClassifierConfig } from './recurrent/rnn-classifier.js';
export type { RNNClassifierConfig, ResolvedRNNClassifierConfig } from './recurrent/rnn-classifier.js';
export { Seq2SeqLSTM, seq2seqLSTM, seq2seqLSTMParameterCount, resolveSeq2SeqLSTMConfig } from './recurrent/seq2seq-lstm.js';
export type { Seq2SeqLSTMConfig, ResolvedSeq2SeqLSTMConfig, Seq2SeqLSTMInput, Seq2SeqLSTMState } from './recurrent/seq2seq-lstm.js';
