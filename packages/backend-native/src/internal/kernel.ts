// What the heavy kernels share: the arguments tfjs passes, the light (wasm) kernels they
// fall back to, and the size below which the fallback is faster.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BackendError, tf } from '@tensorloom/core';
import type { OnnxNode } from './onnx.js';

/** A kernel's `inputs`, `backend` and `attrs`, as tfjs-core passes them. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

/** The backend a kernel receives: the wasm backend's instance, which 'native' shares. */
export function wasmBackend(args: KernelArgs): BackendWasm {
  return args.backend as BackendWasm;
}

/** The light backend whose kernels 'native' keeps. */
export const LIGHT = 'wasm';

/** The light backend's kernel registered under `kernelName`. */
export function lightKernel(kernelName: string): tf.KernelConfig {
  const config = tf.getKernel(kernelName, LIGHT);
  if (config === undefined) {
    throw new BackendError(`@tensorloom/backend-native: kernel '${kernelName}' expected registered for ${LIGHT}, got none`);
  }
  return config;
}

/** Runs the light backend's kernel (no engine, no tape): what small or unusual inputs get. */
export function runLight(kernelName: string, args: KernelArgs): tf.TensorInfo {
  return lightKernel(kernelName).kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}

/**
 * Below this many floating-point operations a heavy kernel runs the light backend's
 * kernel: a call into ONNX Runtime costs ~15–40 µs before any arithmetic (see the README's
 * crossover table), which the wasm kernel beats on small products and convolutions.
 */
const crossover = { flops: 2_000_000 };

/** The current crossover in FLOPs. */
export function crossoverFlops(): number {
  return crossover.flops;
}

/** Sets the crossover (0 sends every float32 call to ONNX Runtime); returns the previous one. */
export function setCrossoverFlops(flops: number): number {
  const previous = crossover.flops;
  crossover.flops = flops;
  return previous;
}

/** Whether a call of `flops` on these inputs should go to ONNX Runtime. */
export function useOrt(flops: number, ...infos: (tf.TensorInfo | undefined)[]): boolean {
  if (flops < crossover.flops) return false;
  return infos.every((info) => info === undefined || (info.dtype === 'float32' && tf.util.sizeFromShape(info.shape) > 0));
}

/** `perm` that swaps the last two axes of a rank-`rank` tensor. */
export function swapLastTwo(rank: number): number[] {
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/** The fused activations ONNX has as one operator (relu6 and prelu run on the light backend). */
export function activationNode(activation: string, input: string, output: string, leakyreluAlpha: number): OnnxNode | null {
  switch (activation) {
    case 'relu':
      return { op: 'Relu', inputs: [input], outputs: [output] };
    case 'sigmoid':
      return { op: 'Sigmoid', inputs: [input], outputs: [output] };
    case 'elu':
      return { op: 'Elu', inputs: [input], outputs: [output], attrs: { alpha: { float: 1 } } };
    case 'leakyrelu':
      return { op: 'LeakyRelu', inputs: [input], outputs: [output], attrs: { alpha: { float: leakyreluAlpha } } };
    default:
      return null;
  }
}

/**
 * Applies a fused activation that is not in the graph (relu6, prelu) with the light
 * backend's kernel, freeing `x`; linear and the graph's own activations pass through.
 */
export function finishActivation(
  backend: BackendWasm,
  x: tf.TensorInfo,
  activation: string,
  preluActivationWeights: tf.TensorInfo | undefined,
): tf.TensorInfo {
  let out: tf.TensorInfo;
  if (activation === 'relu6') out = runLight('Relu6', { inputs: { x }, backend });
  else if (activation === 'prelu') out = runLight('Prelu', { inputs: { x, alpha: preluActivationWeights as tf.TensorInfo }, backend });
  else return x;
  backend.disposeData(x.dataId);
  return out;
}

/** Whether the graph computes `activation` itself. */
export function inGraph(activation: string): boolean {
  return activation === 'linear' || activationNode(activation, '', '', 0) !== null;
}

/** A setup function that runs the light kernel's setup (its cwrap of the C++ function). */
export function setupLight(kernelName: string): tf.KernelSetupFunc {
  return (backend) => tf.getKernel(kernelName, LIGHT)?.setupFunc?.(backend);
}
