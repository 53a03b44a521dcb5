// Public exports of the attention layers; re-exported by ../index.ts.

export { MultiAxisDense, multiAxisDense, multiAxisDenseOutputShape } from './multi-axis-dense.js';
export type { MultiAxisDenseConfig } from './multi-axis-dense.js';
export { scaledDotProductAttention, causalMask, maskToFloat } from './scaled-dot-product-attention.js';
export type { ScaledDotProductAttentionOptions, AttentionResult } from './scaled-dot-product-attention.js';
export { MultiHeadAttention, multiHeadAttention, multiHeadAttentionOutputShape } from './multi-head-attention.js';
export type {
  MultiHeadAttentionConfig,
  MultiHeadAttentionInput,
  MultiHeadAttentionApplyOptions,
  MultiHeadAttentionOptions,
  MultiHeadAttentionWeights,
  ProjectionWeights,
} from './multi-head-attention.js';
export {
  SinusoidalPositionalEncoding,
  sinusoidalPositionalEncoding,
  sinusoidalPositionalEncodingOutputShape,
} from './sinusoidal-positional-encoding.js';
export type { SinusoidalPositionalEncodingConfig } from './sinusoidal-positional-encoding.js';
export { PositionalEmbedding, positionalEmbedding, positionalEmbeddingOutputShape } from './positional-embedding.js';
export type { PositionalEmbeddingConfig } from './positional-embedding.js';
export { TransformerEncoderLayer, transformerEncoderLayer, transformerLayerOutputShape } from './transformer-encoder-layer.js';
export type {
  TransformerLayerConfig,
  TransformerLayerOptions,
  TransformerEncoderLayerOptions,
  TransformerEncoderLayerWeights,
  LayerNormWeights,
} from './transformer-encoder-layer.js';
export { TransformerDecoderLayer, transformerDecoderLayer } from './transformer-decoder-layer.js';
export type {
  TransformerDecoderInput,
  TransformerDecoderApplyOptions,
  TransformerDecoderLayerOptions,
  TransformerDecoderLayerWeights,
} from './transformer-decoder-layer.js';
