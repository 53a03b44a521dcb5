// BatchMatMul and _FusedMatMul on ONNX Runtime: one MatMul (Transpose nodes for transposed
// operands, Add for the bias, the activation) per cached session. Products under the
// crossover go to the light backend's kernel.
import { tf } from '@tensorloom/core';
import { runGraph } from '../internal/graph.js';
import {
  activationNode,
  choosePath,
  finishActivation,
  inGraph,
  type KernelArgs,
  nativeKernel,
  runLight,
  swapLastTwo,
  useOrt,
  wasmBackend,
} from '../internal/kernel.js';
import type { OnnxNode } from '../internal/onnx.js';

interface ProductAttrs {
  transposeA: boolean;
  transposeB: boolean;
  activation?: string;
  leakyreluAlpha?: number;
}

function product(kernelName: string, args: KernelArgs): tf.TensorInfo {
  const backend = wasmBackend(args);
  const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined> as {
    a: tf.TensorInfo;
    b: tf.TensorInfo;
    bias?: tf.TensorInfo;
    preluActivationWeights?: tf.TensorInfo;
  };
  const attrs = args.attrs as unknown as ProductAttrs;
  const activation = attrs.activation ?? 'linear';
  const rankA = a.shape.length;
  const rankB = b.shape.length;
  const m = attrs.transposeA ? (a.shape[rankA - 1] as number) : (a.shape[rankA - 2] as number);
  const k = attrs.transposeA ? (a.shape[rankA - 2] as number) : (a.shape[rankA - 1] as number);
  const n = attrs.transposeB ? (b.shape[rankB - 2] as number) : (b.shape[rankB - 1] as number);
  const batchShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const flops = 2 * tf.util.sizeFromShape(batchShape) * m * n * k;
  if (!useOrt(flops, a, b, bias, preluActivationWeights) || rankA < 2 || rankB < 2) return runLight(kernelName, args);

  const outShape = [...batchShape, m, n];
  const alpha = attrs.leakyreluAlpha ?? 0.2;
  const key = `MatMul|${a.shape}|${b.shape}|${attrs.transposeA}|${attrs.transposeB}|${bias?.shape ?? '-'}|${activation}|${alpha}`;
  const build = () => {
    const nodes: OnnxNode[] = [];
    let left = 'x0';
    let right = 'x1';
    if (attrs.transposeA) {
      nodes.push({ op: 'Transpose', inputs: ['x0'], outputs: ['at'], attrs: { perm: swapLastTwo(rankA) } });
      left = 'at';
    }
    if (attrs.transposeB) {
      nodes.push({ op: 'Transpose', inputs: ['x1'], outputs: ['bt'], attrs: { perm: swapLastTwo(rankB) } });
      right = 'bt';
    }
    let last = 'p';
    nodes.push({ op: 'MatMul', inputs: [left, right], outputs: [last] });
    if (bias !== undefined) {
      nodes.push({ op: 'Add', inputs: [last, 'x2'], outputs: ['q'] });
      last = 'q';
    }
    const act = activationNode(activation, last, 'y0', alpha);
    if (act !== null) nodes.push(act);
    else nodes.push({ op: 'Identity', inputs: [last], outputs: ['y0'] });
    const inputs = [
      { name: 'x0', shape: a.shape },
      { name: 'x1', shape: b.shape },
    ];
    if (bias !== undefined) inputs.push({ name: 'x2', shape: bias.shape });
    return { inputs, outputs: [{ name: 'y0', shape: outShape }], nodes };
  };
  const feeds = bias === undefined ? [{ info: a }, { info: b }] : [{ info: a }, { info: b }, { info: bias }];
  return choosePath(
    key,
    () => {
      const [out] = runGraph(backend, key, build, feeds, [outShape]);
      return inGraph(activation) ? (out as tf.TensorInfo) : finishActivation(backend, out as tf.TensorInfo, activation, preluActivationWeights);
    },
    () => runLight(kernelName, args),
  );
}

/** BatchMatMul on ONNX Runtime above the crossover, the wasm kernel below it. */
export const batchMatMulConfig = nativeKernel(tf.BatchMatMul, (args) => product(tf.BatchMatMul, args), { light: true });

/** _FusedMatMul (product, bias, activation) on ONNX Runtime above the crossover. */
export const fusedMatMulConfig = nativeKernel(tf._FusedMatMul, (args) => product(tf._FusedMatMul, args), { light: true });
