// Kernel throughput per backend: GFLOP/s of MatMul (plain and with a transposed operand),
// Conv2D forward and both gradients at LeNet-5 and ResNet-20 shapes, the per-call cost of a
// tiny op, and the MatMul size where ONNX Runtime overtakes the wasm kernel (the crossover).
import { performance } from 'node:perf_hooks';
import { tf, useBackend } from '@tensorloom/core';
import '@tensorloom/backend-native';
// Not public: forcing one path per call (tools run from the sources, the same module instance).
import { setTuning } from '../../../packages/backend-native/src/internal/kernel.js';

/** One measured kernel on one backend. */
export interface KernelResult {
  kernel: string;
  shape: string;
  backend: string;
  gflops: number;
  /** Median milliseconds per call. */
  ms: number;
}

interface KernelCase {
  kernel: string;
  shape: string;
  flops: number;
  /** Makes the inputs (on the current backend) and returns one call. */
  setup(): { call: () => tf.Tensor; dispose: () => void };
  /** Backends this case is too slow on to time in a run of a few minutes. */
  skip?: string[];
}

const randn = (shape: number[]) => tf.randomNormal(shape, 0, 1, 'float32', 7);

function matMulCase(n: number, transposeB: boolean): KernelCase {
  return {
    kernel: transposeB ? 'MatMul a·bᵀ' : 'MatMul',
    shape: `${n}×${n}×${n}`,
    flops: 2 * n ** 3,
    setup: () => {
      const a = randn([n, n]);
      const b = randn([n, n]);
      return { call: () => tf.matMul(a, b, false, transposeB), dispose: () => tf.dispose([a, b]) };
    },
    skip: n > 256 ? ['cpu'] : [],
  };
}

interface ConvShape {
  label: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
  pad: 'same' | 'valid';
}

const CONV_SHAPES: ConvShape[] = [
  { label: 'LeNet conv1', x: [64, 28, 28, 1], filter: [5, 5, 1, 6], stride: 1, pad: 'same' },
  { label: 'LeNet conv2', x: [64, 14, 14, 6], filter: [5, 5, 6, 16], stride: 1, pad: 'valid' },
  { label: 'ResNet stage 1', x: [64, 32, 32, 16], filter: [3, 3, 16, 16], stride: 1, pad: 'same' },
  { label: 'ResNet stage 3', x: [64, 8, 8, 64], filter: [3, 3, 64, 64], stride: 1, pad: 'same' },
];

function convCases(c: ConvShape): KernelCase[] {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.stride, 1, c.pad);
  const flops = 2 * tf.util.sizeFromShape(info.outShape) * c.filter[0] * c.filter[1] * c.filter[2];
  const shape = `${c.label}: x [${c.x}], filter [${c.filter}]`;
  const attrs = { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
  const run = (name: string, inputs: tf.NamedTensorMap, extra: object) =>
    tf.engine().runKernel(name, inputs, { ...attrs, ...extra } as unknown as tf.NamedAttrMap) as tf.Tensor;
  const slowOnCpu = c.label.startsWith('ResNet') ? ['cpu'] : [];
  return [
    {
      kernel: 'Conv2D',
      shape,
      flops,
      skip: slowOnCpu,
      setup: () => {
        const x = randn(c.x);
        const w = randn(c.filter);
        return { call: () => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad), dispose: () => tf.dispose([x, w]) };
      },
    },
    {
      kernel: 'Conv2DBackpropInput',
      shape,
      flops,
      skip: slowOnCpu,
      setup: () => {
        const dy = randn(info.outShape);
        const w = randn(c.filter);
        return { call: () => run('Conv2DBackpropInput', { dy, filter: w }, { inputShape: c.x }), dispose: () => tf.dispose([dy, w]) };
      },
    },
    {
      kernel: 'Conv2DBackpropFilter',
      shape,
      flops,
      skip: ['cpu'],
      setup: () => {
        const x = randn(c.x);
        const dy = randn(info.outShape);
        return { call: () => run('Conv2DBackpropFilter', { x, dy }, { filterShape: c.filter }), dispose: () => tf.dispose([x, dy]) };
      },
    },
  ];
}

/** Median ms per call of `call`, over `repeats` timings of enough calls to fill ~`budgetMs`. */
function timeCalls(call: () => tf.Tensor, budgetMs: number): number {
  // Warm-up: sessions and kernel setup; on native also the per-signature timing (the first
  // call and two trials of each path), so the timed calls all take the path it settled on.
  // With one warm-up call the slower path's trials fell inside the timing: MatMul 1024 on
  // native read 31.7 GFLOP/s in a --quick run where the settled path gives 148-181.
  const warmups = tf.getBackend() === 'native' ? 6 : 1;
  for (let i = 0; i < warmups; i++) call().dispose();
  const t0 = performance.now();
  call().dispose();
  const once = Math.max(performance.now() - t0, 1e-3);
  const calls = Math.max(1, Math.min(2000, Math.round(budgetMs / once)));
  const start = performance.now();
  for (let i = 0; i < calls; i++) call().dispose();
  return (performance.now() - start) / calls;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Times every case on every backend, the backends interleaved, `repeats` times; medians. */
export async function measureKernels(options: { backends: string[]; repeats: number; budgetMs: number; quick: boolean }): Promise<KernelResult[]> {
  const cases: KernelCase[] = [];
  for (const n of options.quick ? [256, 1024] : [256, 512, 1024]) cases.push(matMulCase(n, false), matMulCase(n, true));
  for (const c of options.quick ? CONV_SHAPES.filter((_, i) => i % 2 === 1) : CONV_SHAPES) cases.push(...convCases(c));
  // The tiny op: the cost of one call, reported as calls per µs in the table (gflops field: 1e-3 / ms).
  cases.push({
    kernel: 'tiny op (Add [1]+[1]), µs per call',
    shape: '[1]',
    flops: 1,
    setup: () => {
      const a = tf.scalar(1);
      const b = tf.scalar(2);
      return { call: () => tf.add(a, b), dispose: () => tf.dispose([a, b]) };
    },
  });
  const results: KernelResult[] = [];
  for (const c of cases) {
    const times = new Map<string, number[]>();
    for (let r = 0; r < options.repeats; r++) {
      const order = r % 2 === 0 ? options.backends : [...options.backends].reverse();
      for (const backend of order) {
        if (c.skip?.includes(backend)) continue;
        await useBackend(backend as 'cpu');
        const { call, dispose } = c.setup();
        const ms = timeCalls(call, options.budgetMs);
        dispose();
        times.set(backend, [...(times.get(backend) ?? []), ms]);
      }
    }
    for (const backend of options.backends) {
      const t = times.get(backend);
      if (t === undefined) continue;
      const ms = median(t);
      results.push({ kernel: c.kernel, shape: c.shape, backend, ms, gflops: c.flops / (ms * 1e6) });
    }
  }
  return results;
}

/** One row of the crossover scan: ms per call of an n×n×n MatMul on wasm and on ONNX Runtime. */
export interface CrossoverRow {
  n: number;
  flops: number;
  wasmMs: number;
  ortMs: number;
}

/** Square MatMuls from 8 to 128 on the wasm kernel and forced through ONNX Runtime. */
export async function measureCrossover(budgetMs: number): Promise<CrossoverRow[]> {
  const rows: CrossoverRow[] = [];
  await useBackend('native');
  for (const n of [8, 16, 32, 48, 64, 96, 128]) {
    const a = randn([n, n]);
    const b = randn([n, n]);
    const call = () => tf.matMul(a, b);
    const previous = setTuning('light');
    const wasmMs = median([timeCalls(call, budgetMs), timeCalls(call, budgetMs), timeCalls(call, budgetMs)]);
    setTuning('ort');
    const ortMs = median([timeCalls(call, budgetMs), timeCalls(call, budgetMs), timeCalls(call, budgetMs)]);
    setTuning(previous);
    tf.dispose([a, b]);
    rows.push({ n, flops: 2 * n ** 3, wasmMs, ortMs });
  }
  return rows;
}
