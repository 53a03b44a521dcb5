// Public exports of the attention layers; re-exported by ../index.ts.

// LayerNorm lives in ../normalization/ but is exported here for now (the normalization
// index belongs to another area owner); move this line to ../normalization/index.ts.
export { LayerNorm, layerNorm, layerNormOutputShape, resolveLayerNormAxes } from '../normalization/layer-norm.js';
export type { LayerNormConfig } from '../normalization/layer-norm.js';
