/**
 * `@tensorloom/interop`: weights and models in and out of Tensorloom — ONNX export for
 * serving with ONNX Runtime, tfjs-layers models in and out, PyTorch state dicts in and out.
 * Node-only file helpers live under `@tensorloom/interop/node`.
 *
 * @example
 * ```ts
 * import { exportOnnx } from '@tensorloom/interop';
 * const bytes = exportOnnx(model, { inputShape: [null, 28, 28, 1] });
 * ```
 *
 * @packageDocumentation
 */
export { exportOnnx } from './onnx/export-onnx.js';
export type { ExportOnnxOptions } from './onnx/export-onnx.js';
export { fromTfjsLayers, toTfjsLayers, TFJS_SHARED_LAYERS } from './tfjs-layers/tfjs-layers.js';
export type { FromTfjsLayersOptions, ToTfjsLayersOptions } from './tfjs-layers/tfjs-layers.js';
export { toPyTorchStateDict, fromPyTorchStateDict, writePyTorchSafetensors, readPyTorchSafetensors } from './pytorch/state-dict.js';
export type { PyTorchOptions } from './pytorch/state-dict.js';
