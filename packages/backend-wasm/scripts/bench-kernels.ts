// Times the kernels this package registers on wasm against tfjs-backend-cpu (and, where it
// replaces one, against tfjs-backend-wasm's own), on LeNet-size shapes (batch 64, conv1
// 28×28×1 → 5×5×6, conv2 12×12×6 → 5×5×16) and, for slicing, LSTM(128)-size shapes (28
// steps, batch 64). Not a test: numbers depend on the machine.
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
const lstm = { projected: normal([28, 64, 128]), gates: normal([64, 512]) };

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
  // Slicing at the shapes of an LSTM(128) over 28 steps, batch 64: a [T, B, U] input
  // projection cut into time steps, a [B, 4U] pre-activation cut into gates.
  { label: 'one time step of [28,64,128]', kernel: 'Slice', inputs: { x: lstm.projected }, attrs: { begin: [3, 0, 0], size: [1, 64, 128] }, replaced: true },
  { label: 'one gate of [64,512] (columns 128–255)', kernel: 'Slice', inputs: { x: lstm.gates }, attrs: { begin: [0, 128], size: [64, 128] }, replaced: true },
  { label: 'split [28,64,128] into 6+6+6+6+4 steps', kernel: 'SplitV', inputs: { x: lstm.projected }, attrs: { numOrSizeSplits: [6, 6, 6, 6, 4], axis: 0 }, replaced: true },
  { label: 'split [64,512] into 4 gates', kernel: 'SplitV', inputs: { x: lstm.gates }, attrs: { numOrSizeSplits: 4, axis: 1 }, replaced: true },
  { label: 'unstack [28,64,128] into 28 steps', kernel: 'Unpack', inputs: { value: lstm.projected }, attrs: { axis: 0 }, replaced: true },
  { label: 'unstack [64,28,28] along axis 1 (image rows)', kernel: 'Unpack', inputs: { value: normal([64, 28, 28]) }, attrs: { axis: 1 }, replaced: true },
];

function tensors(c: Case): tf.NamedTensorMap {
  const made = Object.entries(c.inputs).map(([k, d]) => [k, tf.tensor(d.values, d.shape, d.values instanceof Int32Array ? 'int32' : 'float32')] as const);
  // Einsum takes its operands as an array.
  if (c.kernel === 'Einsum') return made.map(([, t]) => t) as unknown as tf.NamedTensorMap;
  return Object.fromEntries(made);
}

/** A kernel's result: one output or several (SplitV, Unpack). */
type Out = tf.TensorInfo | tf.TensorInfo[];

/**
 * Median milliseconds of `run` (whose outputs are read back, then disposed) over `n` runs,
 * or 10 × `n` when a run takes under a millisecond.
 */
function time(run: () => Out, dispose: (out: tf.TensorInfo) => void, reps: number): number {
  const t = performance.now();
  [run()].flat().forEach(dispose);
  const n = performance.now() - t < 1 ? 10 * reps : reps;
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const outs = [run()].flat();
    for (const out of outs) if (out instanceof tf.Tensor) out.dataSync();
    ms.push(performance.now() - t0);
    outs.forEach(dispose);
  }
  return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)] as number;
}

/** Milliseconds with two decimals, or two significant digits below 0.1 ms. */
const formatMs = (t: number): string => (t < 0.1 ? t.toPrecision(2) : t.toFixed(2));
/** A ratio with one decimal below 10 (cpu's contiguous slices are views: faster than a copy). */
const ratio = (r: number): string => (r < 10 ? r.toFixed(1) : r.toFixed(0));

const rows: string[] = ['| case | kernel | cpu ms | tfjs wasm ms | ours (wasm) ms | cpu / ours |', '|---|---|---:|---:|---:|---:|'];
for (const c of cases) {
  await tf.setBackend('cpu');
  const cpuInputs = tensors(c);
  // cpu's naive convolution gradients take seconds: fewer repetitions there.
  const cpuMs = time(() => tf.engine().runKernel(c.kernel, cpuInputs, c.attrs as tf.NamedAttrMap) as Out, (t) => (t as tf.Tensor).dispose(), Math.min(reps, 3));
  tf.dispose(Object.values(cpuInputs));

  await tf.setBackend('wasm');
  const backend = tf.backend();
  const inputs = tensors(c);
  const ours = time(() => tf.engine().runKernel(c.kernel, inputs, c.attrs as tf.NamedAttrMap) as Out, (t) => (t as tf.Tensor).dispose(), reps);
  let theirs = '—';
  if (c.replaced) {
    const config = original(c.kernel);
    config.setupFunc?.(backend);
    const run = () => {
      const out = config.kernelFunc({ inputs, backend, attrs: c.attrs as tf.NamedAttrMap }) as Out;
      for (const info of [out].flat()) backend.readSync(info.dataId); // as dataSync does for ours
      return out;
    };
    const free = (info: tf.TensorInfo) => backend.disposeData(info.dataId);
    theirs = formatMs(time(run, free, reps));
  }
  tf.dispose(Object.values(inputs));
  rows.push(`| ${c.label} | ${c.kernel} | ${formatMs(cpuMs)} | ${theirs} | ${formatMs(ours)} | ${ratio(cpuMs / ours)}× |`);
  console.error(`done: ${c.label}`);
}
console.log(rows.join('\n'));

// Slicing kernels this package leaves to tfjs-backend-wasm, next to ours moving the same
// bytes: Concat and Pack (the gradients of SplitV and Unpack) read heap views already;
// StridedSlice's simple path calls tfjs's whole-copy slice, but no layer uses it and
// tfjs-core has no gradient for it.
{
  await tf.setBackend('wasm');
  const projected = tf.tensor(lstm.projected.values, lstm.projected.shape);
  const steps = tf.unstack(projected);
  const gates = tf.tensor(lstm.gates.values, lstm.gates.shape);
  const quarters = tf.split(gates, 4, 1);
  const op = (f: () => tf.Tensor | tf.Tensor[]) => formatMs(time(() => f() as Out, (t) => (t as tf.Tensor).dispose(), reps));
  const left = [
    '| left to tfjs-backend-wasm | tfjs wasm ms | ours, same bytes | ours ms |',
    '|---|---:|---|---:|',
    `| Pack 28 × [64,128] (stack) | ${op(() => tf.stack(steps))} | Unpack [28,64,128] | ${op(() => tf.unstack(projected))} |`,
    `| Concat 4 × [64,128] along axis 1 | ${op(() => tf.concat(quarters, 1))} | SplitV [64,512] into 4 along axis 1 | ${op(() => tf.split(gates, 4, 1))} |`,
    `| StridedSlice [28,64,128] → one step | ${op(() => tf.stridedSlice(projected, [3, 0, 0], [4, 64, 128], [1, 1, 1]))} | Slice [28,64,128] → one step | ${op(() => tf.slice(projected, [3, 0, 0], [1, 64, 128]))} |`,
  ];
  tf.dispose([projected, gates, ...steps, ...quarters]);
  console.log(`\n${left.join('\n')}`);
}

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
