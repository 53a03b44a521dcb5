// Public exports of the normalization layers; re-exported by ../index.ts.
// (LayerNorm is exported from ../attention/index.ts, beside the transformer that uses it.)
export { BatchNorm, normalize } from './batch-norm.js';
export type { BatchNormConfig } from './batch-norm.js';
export { GroupNorm, groupNorm } from './group-norm.js';
export type { GroupNormConfig, ResolvedGroupNormConfig } from './group-norm.js';
export { InstanceNorm } from './instance-norm.js';
export type { InstanceNormConfig } from './instance-norm.js';
