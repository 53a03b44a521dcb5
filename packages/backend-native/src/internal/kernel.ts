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
 * Below this many floating-point operations a heavy kernel always runs the light backend's
 * kernel: a call into ONNX Runtime costs ~20–40 µs before any arithmetic, and the wasm
 * kernel finishes a 96×96×96 MatMul (1.8 MFLOP) in less (see the README's crossover table).
 */
const DEFAULT_CROSSOVER = 1_000_000;
const crossover = { flops: DEFAULT_CROSSOVER };

/** The current crossover in FLOPs. */
export function crossoverFlops(): number {
  return crossover.flops;
}

/** Sets the crossover; returns the previous one. */
export function setCrossoverFlops(flops: number): number {
  const previous = crossover.flops;
  crossover.flops = flops;
  return previous;
}

/**
 * How a call above the crossover chooses its path. `'auto'`: each kernel signature is timed
 * on both paths on its first calls and keeps the faster (ONNX Runtime beats wasm's XNNPACK
 * on some convolution shapes and loses on others, and the MatMul crossover moves with the
 * machine's load). `'fixed'`: above the crossover always ONNX Runtime, so the path is a
 * function of the shapes alone and two processes compute the same bits. `'ort'` and
 * `'light'` force one path everywhere (tests, benchmarks).
 */
export type Tuning = 'auto' | 'fixed' | 'ort' | 'light';
let tuning: Tuning = 'auto';

/** Sets how calls choose their path; returns the previous setting. */
export function setTuning(mode: Tuning): Tuning {
  const previous = tuning;
  tuning = mode;
  return previous;
}

/** Whether a call of `flops` on these inputs may go to ONNX Runtime at all. */
export function useOrt(flops: number, ...infos: (tf.TensorInfo | undefined)[]): boolean {
  if (tuning === 'light') return false;
  if ((tuning === 'auto' || tuning === 'fixed') && flops < crossover.flops) return false;
  return infos.every((info) => info === undefined || (info.dtype === 'float32' && tf.util.sizeFromShape(info.shape) > 0));
}

interface Timings {
  ort: number[];
  light: number[];
  choice?: 'ort' | 'light';
}
const timings = new Map<string, Timings>();
const TRIALS = 2;

/** The path each timed signature settled on, by signature (for reports). */
export function tunedChoices(): Map<string, 'ort' | 'light' | 'undecided'> {
  return new Map([...timings].map(([key, t]) => [key, t.choice ?? 'undecided']));
}

/** Forgets every timing, so that signatures are timed again. */
export function resetTimings(): void {
  timings.clear();
}

/**
 * Runs the call of signature `key` on ONNX Runtime (`ort`) or on the light kernel
 * (`light`). Under `'auto'` tuning the first call runs `ort` untimed (it makes the
 * session), the next 2 × TRIALS alternate and are timed, and the faster path's best time
 * decides every later call. Both paths compute the same values within float32 rounding.
 */
export function choosePath(key: string, ort: () => tf.TensorInfo, light: () => tf.TensorInfo): tf.TensorInfo {
  if (tuning === 'ort' || tuning === 'fixed') return ort();
  let t = timings.get(key);
  if (t === undefined) {
    t = { ort: [], light: [] };
    timings.set(key, t);
    return ort();
  }
  if (t.choice !== undefined) return t.choice === 'ort' ? ort() : light();
  const runOrt = t.ort.length <= t.light.length;
  const start = performance.now();
  const out = runOrt ? ort() : light();
  (runOrt ? t.ort : t.light).push(performance.now() - start);
  if (t.ort.length >= TRIALS && t.light.length >= TRIALS) t.choice = Math.min(...t.ort) <= Math.min(...t.light) ? 'ort' : 'light';
  return out;
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

/**
 * The config of a `'native'` kernel that runs `run`. A kernel that may hand a call to the light
 * backend's kernel (`light: true`, the heavy kernels below the crossover) also runs that
 * kernel's setup; the fused kernels, which wasm does not have, take none.
 */
export function nativeKernel(
  kernelName: string,
  run: (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[],
  options: { light: boolean },
): tf.KernelConfig {
  const config: tf.KernelConfig = { kernelName, backendName: 'native', kernelFunc: run as unknown as tf.KernelFunc };
  if (options.light) config.setupFunc = setupLight(kernelName);
  return config;
}
