// Pieces shared by the transformer encoder and decoder layers. Not exported from the package.
import { ConfigError, ShapeError, assert, formatShape } from '@tensorloom/core';
import type { Rng, tf } from '@tensorloom/core';
import { getActivation } from '../../core/activations.js';
import { dense } from '../../core/dense.js';
import type { Shape } from '../../module/module.js';
import { layerNorm } from '../../normalization/layer-norm.js';
import { checkRate, dropout } from '../../regularization/dropout.js';
import type { ProjectionWeights } from '../multi-head-attention.js';
import type { LayerNormWeights, TransformerLayerConfig, TransformerLayerOptions } from '../transformer-types.js';

/** The building blocks both layers share: norm, dropout and the position-wise FFN. */
export function transformerBlocks(options: TransformerLayerOptions, streams: number): {
  norm: (x: tf.Tensor, w: LayerNormWeights) => tf.Tensor;
  drop: (x: tf.Tensor, stream: number) => tf.Tensor;
  ffn: (x: tf.Tensor, w1: ProjectionWeights, w2: ProjectionWeights, stream: number) => tf.Tensor;
  rngs: (Rng | null)[];
} {
  const eps = options.layerNormEps ?? 1e-5;
  const rate = options.dropoutRate ?? 0;
  const rngs = options.rng && rate > 0 ? options.rng.split(streams) : new Array<Rng | null>(streams).fill(null);
  const activation = getActivation(options.activation ?? 'relu', options.unit);
  const drop = (x: tf.Tensor, stream: number): tf.Tensor => {
    const r = rngs[stream] ?? null;
    return r === null ? x : dropout(x, rate, r);
  };
  return {
    norm: (x, w) => layerNorm(x, w.gamma, w.beta, [x.rank - 1], eps),
    drop,
    // FFN(x) = W2·dropout(act(W1·x + b1)) + b2, as PyTorch's _ff_block (then dropout outside).
    ffn: (x, w1, w2, stream) => dense(drop(dense(x, w1.kernel, w1.bias, activation), stream), w2.kernel, w2.bias),
    rngs,
  };
}

/** Resolves and checks a transformer layer's configuration; `unit` names it. */
export function resolveTransformerConfig(unit: string, config: TransformerLayerConfig): Required<Omit<TransformerLayerConfig, 'name'>> {
  if (!Number.isInteger(config.numHeads) || config.numHeads <= 0) {
    throw new ConfigError(`${unit}: numHeads expected a positive integer, got ${config.numHeads}`);
  }
  if (!Number.isInteger(config.dimFeedforward) || config.dimFeedforward <= 0) {
    throw new ConfigError(`${unit}: dimFeedforward expected a positive integer, got ${config.dimFeedforward}`);
  }
  const dropoutRate = config.dropout ?? 0.1;
  checkRate(unit, dropoutRate);
  const layerNormEps = config.layerNormEps ?? 1e-5;
  if (!(layerNormEps > 0) || !Number.isFinite(layerNormEps)) {
    throw new ConfigError(`${unit}: layerNormEps expected a positive number, got ${layerNormEps}`);
  }
  const activation = config.activation ?? 'relu';
  getActivation(activation, unit);
  return { numHeads: config.numHeads, dimFeedforward: config.dimFeedforward, dropout: dropoutRate, activation, normFirst: config.normFirst ?? false, layerNormEps };
}

/** Checks a built input shape `[batch, time, dModel]` and returns `dModel`. */
export function transformerModelDim(unit: string, arg: string, shape: Shape | undefined, numHeads: number): number {
  const d = shape?.[2];
  assert(
    shape !== undefined && shape.length === 3 && typeof d === 'number',
    () => new ShapeError(`${unit}: ${arg} expected rank 3 [batch, time, dModel] with known dModel, got ${shape === undefined ? 'nothing' : formatShape(shape)}`),
  );
  if (d % numHeads !== 0) {
    throw new ShapeError(`${unit}: ${arg} features expected a multiple of numHeads ${numHeads}, got ${d}`, {
      help: 'each head attends over dModel / numHeads features; change numHeads or project the input first',
    });
  }
  return d;
}

