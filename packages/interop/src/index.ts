/**
 * PyTorch state dicts, tfjs-layers models and ONNX export: weights and models in and out.
 *
 * @packageDocumentation
 */
export {};
