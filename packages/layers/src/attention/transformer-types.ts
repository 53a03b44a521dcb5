// The configuration, options and weight types that both transformer layers and their shared
// internals use. It imports nothing from this folder except multi-head attention's types, so
// transformer-encoder-layer.ts, transformer-decoder-layer.ts and internal/transformer-shared.ts
// all import downwards from here.
import type { Rng, tf } from '@tensorloom/core';
import type { ActivationFn, ActivationName } from '../core/activations.js';
import type { ModuleConfig } from '../module/module.js';

/**
 * Configuration shared by {@link TransformerEncoderLayer} and {@link TransformerDecoderLayer}
 * (PyTorch's `nn.TransformerEncoderLayer` arguments; `dModel` comes from the input).
 *
 * @example
 * ```ts
 * const config: TransformerLayerConfig = { numHeads: 4, dimFeedforward: 256, dropout: 0.1, normFirst: true };
 * ```
 *
 * @group Attention
 */
export interface TransformerLayerConfig extends ModuleConfig {
  /** Attention heads; the input features `dModel` must be a multiple of it. Required. */
  numHeads: number;
  /** Hidden size of the position-wise feed-forward network. Required, a positive integer. */
  dimFeedforward: number;
  /** Dropout rate in training (attention weights, each sublayer output, the FFN hidden layer), in [0, 1). Default `0.1`, as PyTorch. */
  dropout?: number;
  /** Activation of the FFN hidden layer: `'relu'`, `'gelu'` (exact, erf) or another name or function. Default `'relu'`. */
  activation?: ActivationName | ActivationFn;
  /**
   * Pre-norm (`x + f(LN(x))`, Xiong et al. 2020, https://arxiv.org/abs/2002.04745) instead of
   * the original post-norm (`LN(x + f(x))`). Default `false`, as the paper and PyTorch.
   */
  normFirst?: boolean;
  /** Epsilon of the layer norms. Default `1e-5`, as PyTorch. */
  layerNormEps?: number;
}

/**
 * A layer norm's weights (`null` when absent).
 *
 * @example
 * ```ts
 * const w: LayerNormWeights = { gamma: norm.gamma, beta: norm.beta };
 * ```
 *
 * @group Attention
 */
export interface LayerNormWeights {
  /** Scale `[dModel]`, or `null`. */
  gamma: tf.Tensor | null;
  /** Offset `[dModel]`, or `null`. */
  beta: tf.Tensor | null;
}

/**
 * Options of {@link transformerEncoderLayer} (and, with the decoder's masks, of
 * {@link transformerDecoderLayer}).
 *
 * @example
 * ```ts
 * const options: TransformerLayerOptions = { normFirst: true, dropoutRate: 0.1, rng: rng(1) };
 * ```
 *
 * @group Attention
 */
export interface TransformerLayerOptions {
  /** Pre-norm instead of post-norm. Default `false`. */
  normFirst?: boolean;
  /** Layer norm epsilon. Default `1e-5`. */
  layerNormEps?: number;
  /** FFN activation. Default `'relu'`. */
  activation?: ActivationName | ActivationFn;
  /** Dropout rate; applied only when `rng` is given. Default `0`. */
  dropoutRate?: number;
  /** The dropout source; `null` is inference. Default `null`. */
  rng?: Rng | null;
  /** Names the caller in error messages. Default: the function's name. */
  unit?: string;
}
