// Public exports of the conv layers; re-exported by ../index.ts.
export type { ConvPadding, Size2D, Sides2D } from './types.js';
export { Conv2D, conv2d, conv2dOutputShape } from './conv2d.js';
export type { Conv2DConfig, Conv2DOptions } from './conv2d.js';
