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
export { exportOnnx, registerOnnxConverter } from './onnx/export-onnx.js';
export type { ExportOnnxOptions, OnnxGraphValue, OnnxGraphInput } from './onnx/export-onnx.js';
export { fromTfjsLayers, toTfjsLayers, loadTfjsLayersWeights, TFJS_SHARED_LAYERS } from './tfjs-layers/tfjs-layers.js';
export type { FromTfjsLayersOptions, ToTfjsLayersOptions } from './tfjs-layers/tfjs-layers.js';
export { LayerGraph, Average, Maximum, Minimum } from './tfjs-layers/layer-graph.js';
export type { GraphRef, GraphTensor, GraphNode, GraphCall, GraphInput, LayerGraphConfig } from './tfjs-layers/layer-graph.js';
export { toPyTorchStateDict, fromPyTorchStateDict, writePyTorchSafetensors, readPyTorchSafetensors } from './pytorch/state-dict.js';
export type { PyTorchOptions } from './pytorch/state-dict.js';
