import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendError, useBackend } from '../index.js';
import { FusedGruSequence, FusedGruSequenceGrad, gruSequence, lstmSequence } from './recurrent.js';

// The contract's ops and their gradient wiring, with stand-in kernels on cpu: the forward
// writes h[b, t, u] = x[b, t, 0]; the backward sums dh over units into dx[·, ·, 0], returns
// the attributes it saw in dKernel and 7s for dh0, so each value shows where it came from.
interface CpuData {
  data: { get(id: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

const seen: tf.NamedAttrMap[] = [];

function standIns(): tf.KernelConfig[] {
  const read = (b: CpuData, info: tf.TensorInfo) => b.data.get(info.dataId).values;
  return [
    {
      kernelName: FusedGruSequence,
      backendName: 'cpu',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const b = backend as unknown as CpuData;
        const { x, recurrentKernel } = inputs as Record<string, tf.TensorInfo>;
        const [B, T, F] = x!.shape as [number, number, number];
        const U = recurrentKernel!.shape[0]!;
        const xs = read(b, x!);
        const h = new Float32Array(B * T * U).map((_, i) => xs[Math.floor(i / U) * F]!);
        const width = (attrs as { resetAfter: boolean }).resetAfter ? 4 * U : 3 * U;
        return [b.makeTensorInfo([B, T, U], 'float32', h), b.makeTensorInfo([B, T, width], 'float32', new Float32Array(B * T * width))];
      },
    },
    {
      kernelName: FusedGruSequenceGrad,
      backendName: 'cpu',
      kernelFunc: ({ inputs, backend, attrs }) => {
        seen.push({ ...attrs });
        const b = backend as unknown as CpuData;
        const { x, kernel, recurrentKernel, bias, h0, dh } = inputs as Record<string, tf.TensorInfo>;
        const [B, T, F] = x!.shape as [number, number, number];
        const U = recurrentKernel!.shape[0]!;
        const dhs = read(b, dh!);
        const dx = new Float32Array(B * T * F);
        for (let i = 0; i < B * T; i++) for (let u = 0; u < U; u++) dx[i * F] += dhs[i * U + u]!;
        const fill = (info: tf.TensorInfo, v: number) => b.makeTensorInfo([...info.shape], 'float32', new Float32Array(tf.util.sizeFromShape(info.shape)).fill(v));
        const a = attrs as { goBackwards: boolean; masked: boolean };
        return [
          b.makeTensorInfo([B, T, F], 'float32', dx),
          fill(kernel!, (a.goBackwards ? 1 : 0) + (a.masked ? 2 : 0)),
          fill(recurrentKernel!, 0),
          fill(bias!, 0),
          fill(h0!, 7),
        ];
      },
    },
  ];
}

describe('the fused recurrent contract', () => {
  afterEach(() => {
    for (const k of [FusedGruSequence, FusedGruSequenceGrad]) if (tf.getKernel(k, 'cpu')) tf.unregisterKernel(k, 'cpu');
    seen.length = 0;
  });

  it('refuses to run on a backend without the kernels, naming them', async () => {
    await useBackend('cpu');
    const x = tf.zeros([1, 2, 3]);
    expect(() => lstmSequence(x, tf.zeros([3, 8]), tf.zeros([2, 8]), tf.zeros([8]), tf.zeros([1, 2]), tf.zeros([1, 2]))).toThrow(BackendError);
    expect(() => gruSequence(x, tf.zeros([3, 6]), tf.zeros([2, 6]), tf.zeros([6]), tf.zeros([1, 2]))).toThrow(
      "gruSequence: kernels TensorloomFusedGruSequence, TensorloomFusedGruSequenceGrad expected registered for backend 'cpu', got none for TensorloomFusedGruSequence, TensorloomFusedGruSequenceGrad",
    );
  });

  it('differentiates through one backward kernel call, with the attributes and a zero mask gradient', async () => {
    await useBackend('cpu');
    standIns().forEach((k) => tf.registerKernel(k));
    const x = tf.tensor3d([1, 2, 3, 4], [1, 2, 2]);
    const kernel = tf.zeros([2, 9]);
    const recurrentKernel = tf.zeros([3, 9]);
    const bias = tf.zeros([2, 9]);
    const h0 = tf.zeros([1, 3]);
    const mask = tf.tensor2d([[1, 0]], [1, 2]);
    const f = (xs: tf.Tensor, k: tf.Tensor, h: tf.Tensor, m: tf.Tensor) =>
      tf.sum(tf.mul(gruSequence(xs, k, recurrentKernel, bias, h, { mask: m, goBackwards: true, resetAfter: true }), 3)) as tf.Scalar;
    const before = tf.memory().numTensors;
    const [dx, dk, dh0, dm] = tf.grads(f)([x, kernel, h0, mask]);
    expect(Array.from(gruSequence(x, kernel, recurrentKernel, bias, h0).dataSync())).toEqual([1, 1, 1, 3, 3, 3]);
    expect(Array.from(dx!.dataSync())).toEqual([9, 0, 9, 0]); // 3 per unit, 3 units, into feature 0
    expect(dk!.dataSync()[0]).toBe(3); // goBackwards (1) + masked (2)
    expect(Array.from(dh0!.dataSync())).toEqual([7, 7, 7]);
    expect(Array.from(dm!.dataSync())).toEqual([0, 0]);
    expect(seen).toEqual([{ goBackwards: true, masked: true, resetAfter: true }]);
    tf.dispose([dx!, dk!, dh0!, dm!]);
    expect(tf.memory().numTensors).toBe(before + 1); // the forward's output above, nothing kept by the tape
  });
});
