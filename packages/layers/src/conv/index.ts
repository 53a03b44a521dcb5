// Public exports of the conv layers; re-exported by ../index.ts.
export type { ConvPadding, Size2D, Sides2D, Conv2DOptions, DepthwiseConv2DConfig } from './types.js';
export { Conv2D, conv2d, conv2dOutputShape } from './conv2d.js';
export type { Conv2DConfig } from './conv2d.js';
export { Conv1D, conv1d, conv1dOutputShape } from './conv1d.js';
export type { Conv1DConfig, Conv1DOptions, Conv1DPadding } from './conv1d.js';
export { DepthwiseConv2D, depthwiseConv2d, depthwiseConv2dOutputShape } from './depthwise-conv2d.js';
export { SeparableConv2D, separableConv2d } from './separable-conv2d.js';
export type { SeparableConv2DConfig } from './separable-conv2d.js';
export { Conv2DTranspose, conv2dTranspose, conv2dTransposeOutputShape } from './conv2d-transpose.js';
export type { Conv2DTransposeConfig, Conv2DTransposeOptions } from './conv2d-transpose.js';
export { MaxPool2D, AvgPool2D, pool2d, pool2dOutputShape } from './pool2d.js';
export type { Pool2DConfig, Pool2DOptions, PoolMode } from './pool2d.js';
export { MaxPool1D, AvgPool1D, pool1d, pool1dOutputShape } from './pool1d.js';
export type { Pool1DConfig, Pool1DOptions } from './pool1d.js';
export {
  GlobalAvgPool1D,
  GlobalMaxPool1D,
  GlobalAvgPool2D,
  GlobalMaxPool2D,
  globalPool1d,
  globalPool2d,
  globalPoolOutputShape,
} from './global-pool.js';
export type { GlobalPoolConfig, GlobalPoolOptions } from './global-pool.js';
export { UpSampling2D, upSampling2d, upSampling2dOutputShape } from './up-sampling2d.js';
export type { UpSampling2DConfig, UpSampling2DOptions, Interpolation } from './up-sampling2d.js';
export { ZeroPadding2D, zeroPadding2d, zeroPadding2dOutputShape } from './zero-padding2d.js';
export type { ZeroPadding2DConfig } from './zero-padding2d.js';
export { Cropping2D, cropping2d, cropping2dOutputShape } from './cropping2d.js';
export type { Cropping2DConfig } from './cropping2d.js';
