// Shared by the tests: run the same computation on cpu (the reference) and on native.
import { type Rng, tf, useBackend } from '@tensorloom/core';
import { expect } from 'vitest';
import '../src/index.js';
import { sessionCount } from '../src/internal/graph.js';
import { setTuning } from '../src/internal/kernel.js';

/** What a computation returns: one tensor or several. */
export type Outputs = tf.Tensor | tf.Tensor[];

/** Runs `make` under tidy on `backend` and reads its outputs back as float64 arrays. */
export async function runOn(backend: 'cpu' | 'wasm' | 'native', make: () => Outputs): Promise<Float64Array[]> {
  await useBackend(backend);
  const out = tf.tidy(make);
  const list = Array.isArray(out) ? out : [out];
  const values = list.map((t) => Float64Array.from(t.dataSync()));
  tf.dispose(list);
  return values;
}

/**
 * The outputs of `make` on cpu and on native with every float32 call of a heavy kernel sent
 * to ONNX Runtime (tuning `'ort'`), and how many new ONNX Runtime sessions it made.
 */
export async function onCpuAndNative(make: () => Outputs): Promise<{ cpu: Float64Array[]; native: Float64Array[]; sessions: number }> {
  const cpu = await runOn('cpu', make);
  const before = sessionCount();
  const previous = setTuning('ort');
  try {
    const native = await runOn('native', make);
    return { cpu, native, sessions: sessionCount() - before };
  } finally {
    setTuning(previous);
  }
}

/**
 * Asserts max |actual − expected| ≤ rtol · max |expected| for each output: relative to the
 * output's scale, since float32 sums that cancel to ~0 have no meaningful per-element
 * relative error.
 */
export function expectClose(actual: Float64Array[], expected: Float64Array[], rtol: number, label: string): void {
  expect(actual.length, `${label}: number of outputs`).toBe(expected.length);
  expected.forEach((want, k) => {
    const got = actual[k] as Float64Array;
    expect(got.length, `${label}: output ${k} size`).toBe(want.length);
    let scale = 0;
    let worst = 0;
    for (let i = 0; i < want.length; i++) {
      scale = Math.max(scale, Math.abs(want[i] as number));
      worst = Math.max(worst, Math.abs((got[i] as number) - (want[i] as number)));
    }
    expect(Number.isFinite(worst), `${label}: output ${k} finite`).toBe(true);
    expect(worst, `${label}: output ${k} max error (scale ${scale})`).toBeLessThanOrEqual(rtol * Math.max(scale, 1e-6));
  });
}

/** Standard-normal float32 values of `shape`, the same on every backend. */
export function data(r: Rng, shape: readonly number[]): { values: Float32Array; shape: number[] } {
  const size = shape.reduce((a, b) => a * b, 1);
  return { values: r.fill(size, () => r.normal()), shape: [...shape] };
}

/** A tensor on the current backend from {@link data}. */
export function tensor(d: { values: Float32Array; shape: number[] }): tf.Tensor {
  return tf.tensor(d.values, d.shape, 'float32');
}

/** The shared wasm backend's count of live data ids (tensors plus kernel intermediates). */
export function wasmDataIds(): number {
  return (tf.findBackend('wasm') as unknown as { numDataIds(): number }).numDataIds();
}
