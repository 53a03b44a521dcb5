// Public exports of the embedding and recurrent layers; re-exported by ../index.ts.
export { Recurrent, recurrentOutputShape } from './recurrent.js';
export type {
  RecurrentApplyOptions,
  RecurrentConfig,
  RecurrentOutput,
  RecurrentParameters,
  RecurrentResult,
  RecurrentRunOptions,
  ResolvedRecurrentConfig,
} from './recurrent.js';
export { SimpleRNN, simpleRnn } from './simple-rnn.js';
export type { SimpleRNNConfig, SimpleRNNOptions } from './simple-rnn.js';
export { LSTM, lstm } from './lstm.js';
export type { LSTMConfig, LSTMOptions } from './lstm.js';
export { GRU, gru } from './gru.js';
export type { GRUConfig, GRUOptions } from './gru.js';
export { Embedding, embedding, embeddingMask, embeddingOutputShape } from './embedding.js';
export type { EmbeddingConfig } from './embedding.js';
export { Bidirectional, bidirectionalOutputShape, mergeDirections } from './bidirectional.js';
export type { BidirectionalConfig, BidirectionalOutput, MergeMode } from './bidirectional.js';
export { TimeDistributed, timeDistributed, timeDistributedOutputShape } from './time-distributed.js';
export type { TimeDistributedConfig } from './time-distributed.js';
