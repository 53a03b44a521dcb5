// The fused whole-sequence LSTM of core's contract (FusedLstmSequence and its gradient), each
// one ONNX graph per signature (shapes, goBackwards, masked) run as one cached session:
//
// - forward: the input projection of every step as one MatMul over [batch, time], then the
//   recurrence unrolled (per step one [batch, units]·[units, 4·units] MatMul and the gate
//   arithmetic), emitting h and c after every step and the gate activations;
// - backward: the recurrence unrolled backwards with only the per-step work left in it (the
//   gate gradients and one MatMul by the transposed recurrent kernel); the derivatives of the
//   activations, and the input, kernel, recurrent-kernel and bias gradients, are batched over
//   the whole sequence.
//
// One call per direction replaces the hundreds of small wasm kernels a step of the general
// path costs. There is no light fallback: wasm has no such kernel, and the layer takes its
// general path on every backend without one.
import { FusedLstmSequence, FusedLstmSequenceGrad, type tf } from '@tensorloom/core';
import { runGraph } from '../internal/graph.js';
import { type KernelArgs, nativeKernel, wasmBackend } from '../internal/kernel.js';
import { dims, type Dims, GraphBuilder, inputGradients, maskColumns, rows, signature, timeIndex, transposedProduct } from './recurrent-graph.js';

interface Attrs {
  goBackwards: boolean;
  masked: boolean;
}

function attrsOf(args: KernelArgs): Attrs {
  const a = args.attrs as unknown as Partial<Attrs>;
  return { goBackwards: a.goBackwards === true, masked: a.masked === true };
}

/** Inputs x0…x6: x, kernel, recurrentKernel, bias, h0, c0, mask. Outputs y0 h, y1 c, y2 gates. */
function forwardGraph(d: Dims, attrs: Attrs) {
  const { batch: B, time: T, features: F, units: U } = d;
  const g = new GraphBuilder();
  const projected = g.op('Add', [g.op('MatMul', ['x0', 'x1']), 'x3']); // (B, T, 4U)
  const xp = g.steps(projected, B, T, 4 * U); // T × (B, 4U), time order
  const valid = attrs.masked ? maskColumns(g, 'x6', T, 'bool') : null;
  let h = 'x4';
  let c = 'x5';
  const hs: string[] = [];
  const cs: string[] = [];
  const gates: string[] = [];
  for (let k = 0; k < T; k++) {
    const t = timeIndex(k, T, attrs.goBackwards);
    const z = g.op('Add', [xp[t]!, g.op('MatMul', [h, 'x2'])]); // (B, 4U)
    const [zi, zf, zc, zo] = g.split(z, 1, [U, U, U, U]);
    const i = g.op('Sigmoid', [zi!]);
    const f = g.op('Sigmoid', [zf!]);
    const cc = g.op('Tanh', [zc!]);
    const o = g.op('Sigmoid', [zo!]);
    gates.push(g.op('Concat', [i, f, cc, o], { axis: 1 }));
    let cNext = g.op('Add', [g.op('Mul', [f, c]), g.op('Mul', [i, cc])]);
    let hNext = g.op('Mul', [o, g.op('Tanh', [cNext])]);
    if (valid !== null) {
      cNext = g.op('Where', [valid[t]!, cNext, c]);
      hNext = g.op('Where', [valid[t]!, hNext, h]);
    }
    hs.push(hNext);
    cs.push(cNext);
    h = hNext;
    c = cNext;
  }
  g.stack(hs, B, U, 'y0');
  g.stack(cs, B, U, 'y1');
  g.stack(gates, B, 4 * U, 'y2');
  return g.graph(
    [
      { name: 'x0', shape: [B, T, F] },
      { name: 'x1', shape: [F, 4 * U] },
      { name: 'x2', shape: [U, 4 * U] },
      { name: 'x3', shape: [4 * U] },
      { name: 'x4', shape: [B, U] },
      { name: 'x5', shape: [B, U] },
      { name: 'x6', shape: [B, T] },
    ],
    [
      { name: 'y0', shape: [B, T, U] },
      { name: 'y1', shape: [B, T, U] },
      { name: 'y2', shape: [B, T, 4 * U] },
    ],
  );
}

/**
 * Inputs x0…x11: x, kernel, recurrentKernel, bias, h0, c0, mask, h, c, gates, dh, dc.
 * Outputs y0…y5: dx, dKernel, dRecurrentKernel, dBias, dh0, dc0.
 */
function backwardGraph(d: Dims, attrs: Attrs) {
  const { batch: B, time: T, features: F, units: U } = d;
  const g = new GraphBuilder();
  const recurrentT = g.op('Transpose', ['x2'], { perm: [1, 0] }); // (4U, U)
  const hs = g.steps('x7', B, T, U); // processing order
  const cs = g.steps('x8', B, T, U);
  const gateSteps = g.steps('x9', B, T, 4 * U);
  const dhs = g.steps('x10', B, T, U);
  const dcs = g.steps('x11', B, T, U);
  // Batched over the sequence: tanh(c) and its derivative; the activations' derivatives
  // σ' = a(1 − a) for i, f, o and 1 − a² for the candidate.
  const tanhC = g.op('Tanh', ['x8']); // (B, T, U)
  const tanhCs = g.steps(tanhC, B, T, U);
  const dTanhCs = g.steps(g.oneMinus(g.op('Mul', [tanhC, tanhC])), B, T, U);
  const [ai, af, ac, ao] = g.split('x9', 2, [U, U, U, U]); // 4 × (B, T, U)
  const sigmoidDerivative = (a: string) => g.op('Mul', [a, g.oneMinus(a)]);
  const derivative = g.op(
    'Concat',
    [sigmoidDerivative(ai!), sigmoidDerivative(af!), g.oneMinus(g.op('Mul', [ac!, ac!])), sigmoidDerivative(ao!)],
    { axis: 2 },
  ); // (B, T, 4U)
  const derivatives = g.steps(derivative, B, T, 4 * U);
  const keep = attrs.masked ? maskColumns(g, 'x6', T, 'float') : null; // time order, (B, 1)

  const dz: string[] = new Array<string>(T);
  let dhCarry: string | null = null;
  let dcCarry: string | null = null;
  for (let k = T - 1; k >= 0; k--) {
    const t = timeIndex(k, T, attrs.goBackwards);
    let dh = dhCarry === null ? dhs[k]! : g.op('Add', [dhs[k]!, dhCarry]);
    let dcIn = dcCarry === null ? dcs[k]! : g.op('Add', [dcs[k]!, dcCarry]);
    let dhPass: string | null = null;
    let dcPass: string | null = null;
    if (keep !== null) {
      // A masked step passed the states through: its gradients go straight to the previous step.
      const dhStep = g.op('Mul', [dh, keep[t]!]);
      const dcStep = g.op('Mul', [dcIn, keep[t]!]);
      dhPass = g.op('Sub', [dh, dhStep]);
      dcPass = g.op('Sub', [dcIn, dcStep]);
      dh = dhStep;
      dcIn = dcStep;
    }
    const [i, f, cc, o] = g.split(gateSteps[k]!, 1, [U, U, U, U]);
    const dOut = g.op('Mul', [dh, tanhCs[k]!]);
    const dc = g.op('Add', [dcIn, g.op('Mul', [g.op('Mul', [dh, o!]), dTanhCs[k]!])]);
    const cPrevious = k === 0 ? 'x5' : cs[k - 1]!;
    const raw = g.op('Concat', [g.op('Mul', [dc, cc!]), g.op('Mul', [dc, cPrevious]), g.op('Mul', [dc, i!]), dOut], { axis: 1 });
    dz[k] = g.op('Mul', [raw, derivatives[k]!]); // (B, 4U): gradient of z = xp + h·U
    dhCarry = g.op('MatMul', [dz[k]!, recurrentT]);
    dcCarry = g.op('Mul', [dc, f!]);
    if (dhPass !== null) {
      dhCarry = g.op('Add', [dhCarry, dhPass]);
      dcCarry = g.op('Add', [dcCarry, dcPass!]);
    }
  }
  g.identity(dhCarry!, 'y4');
  g.identity(dcCarry!, 'y5');
  inputGradients(g, { x: 'x0', kernel: 'x1', dzSteps: dz, batch: B, time: T, features: F, width: 4 * U, goBackwards: attrs.goBackwards }, { dx: 'y0', dKernel: 'y1' });
  const dzRows = rows(g, dz, B, 4 * U); // (B·T, 4U), processing order
  const previousRows = rows(g, ['x4', ...hs.slice(0, T - 1)], B, U); // (B·T, U): h entering each step
  transposedProduct(g, previousRows, dzRows, 'y2');
  g.nodes.push({ op: 'ReduceSum', inputs: [dzRows, g.ints([0])], outputs: ['y3'], attrs: { keepdims: 0 } });
  const io = (name: string, shape: number[]) => ({ name, shape });
  return g.graph(
    [
      io('x0', [B, T, F]),
      io('x1', [F, 4 * U]),
      io('x2', [U, 4 * U]),
      io('x3', [4 * U]),
      io('x4', [B, U]),
      io('x5', [B, U]),
      io('x6', [B, T]),
      io('x7', [B, T, U]),
      io('x8', [B, T, U]),
      io('x9', [B, T, 4 * U]),
      io('x10', [B, T, U]),
      io('x11', [B, T, U]),
    ],
    [io('y0', [B, T, F]), io('y1', [F, 4 * U]), io('y2', [U, 4 * U]), io('y3', [4 * U]), io('y4', [B, U]), io('y5', [B, U])],
  );
}

const FORWARD_INPUTS = ['x', 'kernel', 'recurrentKernel', 'bias', 'h0', 'c0', 'mask'] as const;
const BACKWARD_INPUTS = [...FORWARD_INPUTS, 'h', 'c', 'gates', 'dh', 'dc'] as const;

function lstmSequence(args: KernelArgs): tf.TensorInfo[] {
  const inputs = FORWARD_INPUTS.map((n) => args.inputs[n] as tf.TensorInfo);
  const d = dims(inputs[0]!, inputs[2]!);
  const attrs = attrsOf(args);
  const key = signature(FusedLstmSequence, inputs, { ...attrs });
  const { batch: B, time: T, units: U } = d;
  return runGraph(wasmBackend(args), key, () => forwardGraph(d, attrs), inputs.map((info) => ({ info })), [
    [B, T, U],
    [B, T, U],
    [B, T, 4 * U],
  ]);
}

function lstmSequenceGrad(args: KernelArgs): tf.TensorInfo[] {
  const inputs = BACKWARD_INPUTS.map((n) => args.inputs[n] as tf.TensorInfo);
  const d = dims(inputs[0]!, inputs[2]!);
  const attrs = attrsOf(args);
  const key = signature(FusedLstmSequenceGrad, inputs, { ...attrs });
  return runGraph(wasmBackend(args), key, () => backwardGraph(d, attrs), inputs.map((info) => ({ info })), inputs.slice(0, 6).map((i) => i.shape));
}

/** The fused LSTM forward over a whole sequence: one ONNX Runtime session per signature. */
export const lstmSequenceConfig = nativeKernel(FusedLstmSequence, lstmSequence, { light: false });

/** The fused LSTM backward (through the whole sequence): one ONNX Runtime session per signature. */
export const lstmSequenceGradConfig = nativeKernel(FusedLstmSequenceGrad, lstmSequenceGrad, { light: false });
