// Does wasm have every kernel that training Tensorloom's layers calls, and are its
// gradients right? Each scenario (test/scenarios.ts) is a training computation of one
// layer family, loss, optimizer or metric. On cpu, tf.profile records the kernels its
// forward pass, gradient and update call; wasm must have all of them and give the same
// loss and gradients (where cpu's gradient is right), and its gradients must agree with
// finite differences of its own loss along a random direction.
import { rng, tf } from '@tensorloom/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, expectNoWasmLeaks } from '../test/helpers.js';
import { inputData, type Scenario, scenarios } from '../test/scenarios.js';
import { wasmTrainingKernels } from './index.js';

type Inputs = Record<string, ReturnType<typeof inputData> & { shape: number[] }>;

function inputsOf(s: Scenario, index: number): Inputs {
  const r = rng(1000 + index);
  return Object.fromEntries(Object.entries(s.inputs).map(([k, kind]) => [k, { ...inputData(r, kind), shape: kind.shape }]));
}

/** The loss and its gradients with respect to `s.wrt`, on the current backend. */
function run(s: Scenario, inputs: Inputs): tf.Tensor[] {
  const t = Object.fromEntries(Object.entries(inputs).map(([k, d]) => [k, tf.tensor(d.values, d.shape, d.dtype)]));
  if (s.wrt.length === 0) return [s.loss(t)];
  const lossOf = (...xs: tf.Tensor[]) => s.loss({ ...t, ...Object.fromEntries(s.wrt.map((n, i) => [n, xs[i] as tf.Tensor])) });
  const { value, grads } = tf.valueAndGrads(lossOf)(s.wrt.map((n) => t[n] as tf.Tensor));
  return [value, ...grads];
}

function read(outs: tf.Tensor[]): Float64Array[] {
  return outs.map((o) => Float64Array.from(o.dataSync()));
}

const kernelsOnCpu = new Set<string>();
const reference = new Map<string, Float64Array[]>();

beforeAll(async () => {
  await tf.setBackend('cpu');
  for (const [i, s] of scenarios.entries()) {
    const inputs = inputsOf(s, i);
    const profile = await tf.profile(() => {
      const outs = tf.tidy(() => run(s, inputs));
      reference.set(s.name, read(outs));
      tf.dispose(outs);
    });
    // kernelNames also holds the scopes of custom gradients ('fusedMatMul__op'): keep kernels.
    for (const name of profile.kernelNames) if (tf.getKernel(name, 'cpu') !== undefined) kernelsOnCpu.add(name);
  }
});

describe('kernels training needs on wasm', () => {
  it('wasm has every kernel the training scenarios call on cpu', () => {
    const onWasm = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    const missing = [...kernelsOnCpu].filter((k) => !onWasm.has(k)).sort();
    expect(kernelsOnCpu.size).toBeGreaterThan(60);
    expect(missing).toEqual([]);
  });

  it('without this package, wasm would lack exactly the kernels it adds for training', () => {
    const ours = new Set(wasmTrainingKernels);
    // tfjs-backend-wasm has these
    const replaced = ['Conv2DBackpropInput', 'BatchMatMul', '_FusedMatMul', 'Slice', 'SplitV', 'Unpack', 'MaxPoolGrad', 'AvgPoolGrad', 'ResizeNearestNeighborGrad', 'ResizeBilinearGrad'];
    const tfjsOnly = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName).filter((k) => !ours.has(k) || replaced.includes(k)));
    const lacking = [...kernelsOnCpu].filter((k) => !tfjsOnly.has(k)).sort();
    expect(lacking).toEqual([
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'UnsortedSegmentSum',
    ]);
  });

  it.each(scenarios.map((s, i) => [s.name, s, i] as const))('%s: loss and gradients on wasm match cpu', async (_name, s, i) => {
    await tf.setBackend('wasm');
    const outs = tf.tidy(() => run(s, inputsOf(s, i)));
    const values = read(outs);
    tf.dispose(outs);
    const expected = reference.get(s.name) as Float64Array[];
    // Where cpu's gradient is wrong, the finite-difference test below is the reference.
    const compared = s.cpuGradientWrong === undefined ? values.length : 1;
    expectClose(values.slice(0, compared), expected.slice(0, compared), 1e-4, s.name);
  });

  const differentiable = scenarios.map((s, i) => [s.name, s, i] as const).filter(([, s]) => s.wrt.length > 0);
  it.each(differentiable)('%s: gradients on wasm match central differences', async (_name, s, i) => {
    // (L(x + h·v) − L(x − h·v)) / 2h = Σ ⟨∂L/∂x, v⟩ + O(h²) for a random direction v per
    // input. Measured on these scenarios, float32 rounding and the kinks of relu and max
    // leave at most 3.5e-4·|g|·|v| (attention, whose loss is ~7e3); the wrong pool
    // gradients tfjs-backend-wasm had left 5e-3 (1-D max pool) and 5e-2 ('same' average).
    await tf.setBackend('wasm');
    const inputs = inputsOf(s, i);
    const r = rng(2000 + i);
    const directions = Object.fromEntries(s.wrt.map((n) => [n, r.fill((inputs[n] as { values: Float32Array }).values.length, () => r.normal())]));
    const h = 3e-3;
    const lossAt = (sign: number): number => {
      const moved: Inputs = { ...inputs };
      for (const n of s.wrt) {
        const d = inputs[n] as Inputs[string];
        const v = directions[n] as Float32Array;
        moved[n] = { ...d, values: (d.values as Float32Array).map((x, k) => x + sign * h * (v[k] as number)) };
      }
      return tf.tidy(() => s.loss(Object.fromEntries(Object.entries(moved).map(([k, d]) => [k, tf.tensor(d.values, d.shape, d.dtype)]))).dataSync()[0] as number);
    };
    const numeric = (lossAt(1) - lossAt(-1)) / (2 * h);
    const outs = tf.tidy(() => run(s, inputs));
    const grads = read(outs).slice(1);
    tf.dispose(outs);
    let analytic = 0;
    let scale = 0;
    s.wrt.forEach((n, k) => {
      const g = grads[k] as Float64Array;
      const v = directions[n] as Float32Array;
      let gg = 0;
      let vv = 0;
      for (let j = 0; j < g.length; j++) {
        analytic += (g[j] as number) * (v[j] as number);
        gg += (g[j] as number) ** 2;
        vv += (v[j] as number) ** 2;
      }
      scale += Math.sqrt(gg * vv);
    });
    expect(Math.abs(numeric - analytic), `numeric ${numeric}, analytic ${analytic}, scale ${scale}`).toBeLessThanOrEqual(1e-3 * scale);
  });

  it('training steps leave no tensors and no wasm memory behind', async () => {
    await tf.setBackend('wasm');
    const step = () => {
      for (const [i, s] of scenarios.entries()) tf.dispose(tf.tidy(() => run(s, inputsOf(s, i))));
    };
    await expectNoWasmLeaks(step, 'training scenarios');
  });
});
