// Public exports of the normalization layers; re-exported by ../index.ts.
export { BatchNorm, normalize } from './batch-norm.js';
export type { BatchNormConfig } from './batch-norm.js';
export { GroupNorm, groupNorm } from './group-norm.js';
export type { GroupNormConfig, ResolvedGroupNormConfig } from './group-norm.js';
export { InstanceNorm } from './instance-norm.js';
export type { InstanceNormConfig } from './instance-norm.js';
export { LayerNorm, layerNorm, layerNormOutputShape, resolveLayerNormAxes } from './layer-norm.js';
export type { LayerNormConfig } from './layer-norm.js';
