// Test helpers: random weights and state, and running an ONNX graph in onnxruntime-node.
import { rng as makeRng, tf } from '@tensorloom/core';
import type { Module } from '@tensorloom/layers';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

/**
 * Replaces every parameter and buffer of `model` with seeded random values (variances and
 * counts made positive), so tests do not compare against zeros and ones.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function randomizeState(model: Module<any, any>, seed: number, stddev = 0.5): void {
  const r = makeRng(seed);
  const values: Record<string, tf.Tensor> = {};
  for (const [name, v] of Object.entries(model.state())) {
    const noise = r.fold(name).normalTensor(v.shape, 0, stddev);
    values[name] = /variance|Variance|var$/.test(name) ? tf.add(tf.abs(noise), 0.5) : v.dtype === 'int32' ? tf.cast(tf.abs(noise), 'int32') : noise;
    if (values[name] !== noise) noise.dispose();
  }
  model.loadState(values);
  tf.dispose(Object.values(values));
}

/** Writes `bytes` as `<name>.onnx` into the folder TENSORLOOM_ONNX_DUMP names, if any (for scripts/check-onnx.py). */
export function dumpOnnx(name: string, bytes: Uint8Array): void {
  const dir = process.env.TENSORLOOM_ONNX_DUMP;
  if (dir === undefined || dir === '') return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name.replace(/[^A-Za-z0-9]+/g, '-')}.onnx`), bytes);
}

/** Runs an ONNX model on one input and returns its single output as a tfjs tensor. */
export async function runOnnx(bytes: Uint8Array, input: tf.Tensor, inputName = 'input'): Promise<tf.Tensor> {
  const session = await ort.InferenceSession.create(bytes);
  const data = input.dtype === 'int32' ? Int32Array.from(input.dataSync() as Int32Array) : Float32Array.from(input.dataSync() as Float32Array);
  const feeds = { [inputName]: new ort.Tensor(input.dtype === 'int32' ? 'int32' : 'float32', data, input.shape) };
  const result = await session.run(feeds);
  const out = result[session.outputNames[0]!]!;
  const t = tf.tensor(out.data as Float32Array, out.dims as number[]);
  await session.release();
  return t;
}

/** The largest |a - b| - rtol·|b| over all elements (≤ atol means close), and the shapes. */
export function maxExcess(actual: tf.Tensor, expected: tf.Tensor, rtol: number): number {
  const a = actual.dataSync();
  const e = expected.dataSync();
  let worst = 0;
  for (let i = 0; i < e.length; i++) worst = Math.max(worst, Math.abs(a[i]! - e[i]!) - rtol * Math.abs(e[i]!));
  return worst;
}
