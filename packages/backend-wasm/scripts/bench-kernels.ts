// Times the kernels this package registers on wasm against tfjs-backend-cpu (and, where it
// replaces one, against tfjs-backend-wasm's own), on LeNet-size shapes: batch 64, conv1
// 28×28×1 → 5×5×6, conv2 12×12×6 → 5×5×16. Not a test: numbers depend on the machine.
//
//   node --import tsx packages/backend-wasm/scripts/bench-kernels.ts [reps]
import { rng, tf } from '@tensorloom/core';
import '../src/index.js';
import { original } from '../src/internal/wasm.js';

const reps = Number(process.argv[2] ?? 10);
const r = rng(1);
const normal = (shape: number[]) => ({ shape, values: r.fill(shape.reduce((a, b) => a * b, 1), () => r.normal()) });
type Data = ReturnType<typeof normal>;

interface Case {
  label: string;
  kernel: string;
  inputs: Record<string, Data | { shape: number[]; values: Int32Array }>;
  attrs: Record<string, unknown>;
  /** Time tfjs-backend-wasm's own kernel too (this package replaced it). */
  replaced?: boolean;
}

const conv1 = { x: normal([64, 28, 28, 1]), dy: normal([64, 24, 24, 6]), filter: normal([5, 5, 1, 6]) };
const conv2 = { x: normal([64, 12, 12, 6]), dy: normal([64, 8, 8, 16]), filter: normal([5, 5, 6, 16]) };
const dw = { x: normal([64, 12, 12, 16]), dy1: normal([64, 12, 12, 16]), dy2: normal([64, 12, 12, 32]), f1: normal([3, 3, 16, 1]), f2: normal([3, 3, 16, 2]) };
const conv = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC' };
const same = { strides: [1, 1], pad: 'same', dilations: [1, 1] };

const cases: Case[] = [
  { label: 'conv1 filter grad [64,28,28,1] 5×5→6', kernel: 'Conv2DBackpropFilter', inputs: { x: conv1.x, dy: conv1.dy }, attrs: { ...conv, filterShape: [5, 5, 1, 6] } },
  { label: 'conv2 filter grad [64,12,12,6] 5×5→16', kernel: 'Conv2DBackpropFilter', inputs: { x: conv2.x, dy: conv2.dy }, attrs: { ...conv, filterShape: [5, 5, 6, 16] } },
  { label: 'conv2 input grad [64,12,12,6] 5×5→16', kernel: 'Conv2DBackpropInput', inputs: { dy: conv2.dy, filter: conv2.filter }, attrs: { ...conv, inputShape: [64, 12, 12, 6] }, replaced: true },
  {
    label: 'conv input grad, stride 2 [64,24,24,6] 3×3→16',
    kernel: 'Conv2DBackpropInput',
    inputs: { dy: normal([64, 12, 12, 16]), filter: normal([3, 3, 6, 16]) },
    attrs: { strides: [2, 2], pad: 'same', dataFormat: 'NHWC', inputShape: [64, 24, 24, 6] },
    replaced: true,
  },
  { label: 'depthwise filter grad [64,12,12,16] 3×3 ×1', kernel: 'DepthwiseConv2dNativeBackpropFilter', inputs: { x: dw.x, dy: dw.dy1 }, attrs: { ...same, filterShape: [3, 3, 16, 1] } },
  { label: 'depthwise filter grad [64,12,12,16] 3×3 ×2', kernel: 'DepthwiseConv2dNativeBackpropFilter', inputs: { x: dw.x, dy: dw.dy2 }, attrs: { ...same, filterShape: [3, 3, 16, 2] } },
  { label: 'depthwise input grad [64,12,12,16] 3×3 ×1', kernel: 'DepthwiseConv2dNativeBackpropInput', inputs: { dy: dw.dy1, filter: dw.f1 }, attrs: { ...same, inputShape: [64, 12, 12, 16] } },
  { label: 'depthwise input grad [64,12,12,16] 3×3 ×2', kernel: 'DepthwiseConv2dNativeBackpropInput', inputs: { dy: dw.dy2, filter: dw.f2 }, attrs: { ...same, inputShape: [64, 12, 12, 16] } },
  {
    // cpu builds a mask per segment: its time grows with rows × vocabulary, so a small one.
    label: 'embedding grad: 64×20 rows of 32 into 500',
    kernel: 'UnsortedSegmentSum',
    inputs: { x: normal([1280, 32]), segmentIds: { shape: [1280], values: Int32Array.from({ length: 1280 }, () => r.int(500)) } },
    attrs: { numSegments: 500 },
  },
  {
    label: 'max pool grad [64,24,24,6] 2×2/2',
    kernel: 'MaxPoolGrad',
    inputs: { dy: normal([64, 12, 12, 6]), input: normal([64, 24, 24, 6]), output: normal([64, 12, 12, 6]) },
    attrs: { filterSize: [2, 2], strides: [2, 2], pad: 'valid' },
    replaced: true,
  },
  {
    label: 'avg pool grad [64,24,24,6] 2×2/2',
    kernel: 'AvgPoolGrad',
    inputs: { dy: normal([64, 12, 12, 6]), input: normal([64, 24, 24, 6]) },
    attrs: { filterSize: [2, 2], strides: [2, 2], pad: 'valid' },
    replaced: true,
  },
  {
    label: 'nearest upsampling grad [64,12,12,16] → 24×24',
    kernel: 'ResizeNearestNeighborGrad',
    inputs: { images: normal([64, 12, 12, 16]), dy: normal([64, 24, 24, 16]) },
    attrs: { alignCorners: false, halfPixelCenters: false },
    replaced: true,
  },
  {
    label: 'bilinear upsampling grad [64,12,12,16] → 24×24',
    kernel: 'ResizeBilinearGrad',
    inputs: { images: normal([64, 12, 12, 16]), dy: normal([64, 24, 24, 16]) },
    attrs: { alignCorners: false, halfPixelCenters: false },
    replaced: true,
  },
  { label: 'dense dW = xᵀ·dy [64,784]ᵀ·[64,256]', kernel: 'BatchMatMul', inputs: { a: normal([1, 64, 784]), b: normal([1, 64, 256]) }, attrs: { transposeA: true, transposeB: false }, replaced: true },
  { label: 'dense dx = dy·Wᵀ [64,256]·[784,256]ᵀ', kernel: 'BatchMatMul', inputs: { a: normal([1, 64, 256]), b: normal([1, 784, 256]) }, attrs: { transposeA: false, transposeB: true }, replaced: true },
  { label: "einsum 'bqhd,bkhd->bhqk' [64,16,4,16]", kernel: 'Einsum', inputs: { 0: normal([64, 16, 4, 16]), 1: normal([64, 16, 4, 16]) }, attrs: { equation: 'bqhd,bkhd->bhqk' } },
];

function tensors(c: Case): tf.NamedTensorMap {
  const made = Object.entries(c.inputs).map(([k, d]) => [k, tf.tensor(d.values, d.shape, d.values instanceof Int32Array ? 'int32' : 'float32')] as const);
  // Einsum takes its operands as an array.
  if (c.kernel === 'Einsum') return made.map(([, t]) => t) as unknown as tf.NamedTensorMap;
  return Object.fromEntries(made);
}

/** Median milliseconds of `run` (whose result is read back, then disposed) over `reps` runs. */
function time(run: () => tf.TensorInfo | tf.Tensor, dispose: (out: tf.TensorInfo | tf.Tensor) => void, n: number): number {
  dispose(run());
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const out = run();
    if (out instanceof tf.Tensor) out.dataSync();
    ms.push(performance.now() - t0);
    dispose(out);
  }
  return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)] as number;
}

const rows: string[] = ['| case | kernel | cpu ms | tfjs wasm ms | ours (wasm) ms | cpu / ours |', '|---|---|---:|---:|---:|---:|'];
for (const c of cases) {
  await tf.setBackend('cpu');
  const cpuInputs = tensors(c);
  // cpu's naive convolution gradients take seconds: fewer repetitions there.
  const cpuMs = time(() => tf.engine().runKernel(c.kernel, cpuInputs, c.attrs as tf.NamedAttrMap) as tf.Tensor, (t) => (t as tf.Tensor).dispose(), Math.min(reps, 3));
  tf.dispose(Object.values(cpuInputs));

  await tf.setBackend('wasm');
  const backend = tf.backend();
  const inputs = tensors(c);
  const ours = time(() => tf.engine().runKernel(c.kernel, inputs, c.attrs as tf.NamedAttrMap) as tf.Tensor, (t) => (t as tf.Tensor).dispose(), reps);
  let theirs = '—';
  if (c.replaced) {
    const config = original(c.kernel);
    config.setupFunc?.(backend);
    const run = () => {
      const info = config.kernelFunc({ inputs, backend, attrs: c.attrs as tf.NamedAttrMap }) as tf.TensorInfo;
      backend.readSync(info.dataId); // as dataSync does for ours
      return info;
    };
    const free = (info: tf.TensorInfo | tf.Tensor) => backend.disposeData((info as tf.TensorInfo).dataId);
    theirs = time(run, free, reps).toFixed(2);
  }
  tf.dispose(Object.values(inputs));
  rows.push(`| ${c.label} | ${c.kernel} | ${cpuMs.toFixed(1)} | ${theirs} | ${ours.toFixed(2)} | ${(cpuMs / ours).toFixed(0)}× |`);
  console.error(`done: ${c.label}`);
}
console.log(rows.join('\n'));

// A whole LeNet-5 training step (forward, gradients, SGD update), batch 64 on 28×28×1:
// conv 5×5×6 → max pool 2 → conv 5×5×16 → max pool 2 → dense 120 → dense 84 → dense 10.
async function lenetStep(backend: 'cpu' | 'wasm', steps: number): Promise<number> {
  await tf.setBackend(backend);
  const w = rng(3);
  const params = [
    w.normalTensor([5, 5, 1, 6], 0, 0.2), w.normalTensor([5, 5, 6, 16], 0, 0.1),
    w.normalTensor([256, 120], 0, 0.05), w.normalTensor([120, 84], 0, 0.1), w.normalTensor([84, 10], 0, 0.1),
  ].map((t) => tf.variable(t));
  const [c1, c2, d1, d2, d3] = params as [tf.Variable, tf.Variable, tf.Variable, tf.Variable, tf.Variable];
  const x = w.uniformTensor([64, 28, 28, 1]) as tf.Tensor4D;
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 10), 'int32'), 10);
  const loss = (): tf.Scalar => {
    const pool = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid');
    const h1 = pool(tf.relu(tf.conv2d(x, c1 as tf.Tensor4D, 1, 'valid'))); // (64, 12, 12, 6)
    const h2 = pool(tf.relu(tf.conv2d(h1, c2 as tf.Tensor4D, 1, 'valid'))); // (64, 4, 4, 16)
    const f = tf.relu(tf.matMul(tf.relu(tf.matMul(tf.reshape(h2, [64, 256]), d1)), d2));
    return tf.losses.softmaxCrossEntropy(y, tf.matMul(f, d3)) as tf.Scalar;
  };
  const step = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(loss);
      for (const v of params) v.assign(tf.sub(v, tf.mul(0.01, grads[v.name] as tf.Tensor)));
      value.dataSync();
    });
  step();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const ms = (performance.now() - t0) / steps;
  tf.dispose([...params, x, y]);
  return ms;
}

const cpuStep = await lenetStep('cpu', 2);
const wasmStep = await lenetStep('wasm', 10);
console.log(`\nLeNet-5 training step, batch 64: cpu ${cpuStep.toFixed(0)} ms (${(64000 / cpuStep).toFixed(0)} samples/s), ` +
  `wasm ${wasmStep.toFixed(1)} ms (${(64000 / wasmStep).toFixed(0)} samples/s), ${(cpuStep / wasmStep).toFixed(0)}× faster`);
