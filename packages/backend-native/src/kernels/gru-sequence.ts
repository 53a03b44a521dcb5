// The fused whole-sequence GRU of core's contract (FusedGruSequence and its gradient), each
// one ONNX graph per signature (shapes, goBackwards, masked, resetAfter), as the LSTM's
// (lstm-sequence.ts): the recurrence unrolled with only the per-step work in it, the input
// projection and the weight gradients batched over [batch·time] rows.
//
// Gates z, r, ĥ (Keras order). Reset before the product: ĥ = tanh(xh + (r⊙h)·Uh); after
// (resetAfter): m = h·U + b'; ĥ = tanh(xh + r⊙mh), and m's candidate part mh is saved with
// the gates for the backward.
import { FusedGruSequence, FusedGruSequenceGrad, type tf } from '@tensorloom/core';
import { runGraph } from '../internal/graph.js';
import { type KernelArgs, nativeKernel, wasmBackend } from '../internal/kernel.js';
import { dims, type Dims, GraphBuilder, inputGradients, maskColumns, rows, signature, timeIndex, transposedProduct } from './recurrent-graph.js';

interface Attrs {
  goBackwards: boolean;
  masked: boolean;
  resetAfter: boolean;
}

function attrsOf(args: KernelArgs): Attrs {
  const a = args.attrs as unknown as Partial<Attrs>;
  return { goBackwards: a.goBackwards === true, masked: a.masked === true, resetAfter: a.resetAfter === true };
}

/** The width of the saved gates: z, r, ĥ, and with resetAfter mh. */
function gateWidth(units: number, resetAfter: boolean): number {
  return (resetAfter ? 4 : 3) * units;
}

function biasShape(units: number, resetAfter: boolean): number[] {
  return resetAfter ? [2, 3 * units] : [3 * units];
}

/** The input bias `[3U]` and, with resetAfter, the recurrent bias `[3U]`. */
function biases(g: GraphBuilder, U: number, resetAfter: boolean): [string, string | null] {
  if (!resetAfter) return ['x3', null];
  const [input, recurrent] = g.split('x3', 0, [1, 1]);
  return [g.reshape(input!, [3 * U]), g.reshape(recurrent!, [3 * U])];
}

/** Inputs x0…x5: x, kernel, recurrentKernel, bias, h0, mask. Outputs y0 h, y1 gates. */
function forwardGraph(d: Dims, attrs: Attrs) {
  const { batch: B, time: T, features: F, units: U } = d;
  const g = new GraphBuilder();
  const [inputBias, recurrentBias] = biases(g, U, attrs.resetAfter);
  const projected = g.op('Add', [g.op('MatMul', ['x0', 'x1']), inputBias]); // (B, T, 3U)
  const xp = g.steps(projected, B, T, 3 * U); // time order
  const valid = attrs.masked ? maskColumns(g, 'x5', T, 'bool') : null;
  const [uzr, uh] = attrs.resetAfter ? [null, null] : g.split('x2', 1, [2 * U, U]); // (U, 2U), (U, U)
  let h = 'x4';
  const hs: string[] = [];
  const gates: string[] = [];
  for (let k = 0; k < T; k++) {
    const t = timeIndex(k, T, attrs.goBackwards);
    const [xzr, xh] = g.split(xp[t]!, 1, [2 * U, U]);
    let mzr: string;
    let mh: string | null = null;
    if (attrs.resetAfter) {
      const m = g.op('Add', [g.op('MatMul', [h, 'x2']), recurrentBias!]); // (B, 3U)
      const [a, b] = g.split(m, 1, [2 * U, U]);
      mzr = a!;
      mh = b!;
    } else {
      mzr = g.op('MatMul', [h, uzr!]); // (B, 2U)
    }
    const zr = g.op('Sigmoid', [g.op('Add', [xzr!, mzr])]);
    const [z, r] = g.split(zr, 1, [U, U]);
    const reset = mh === null ? g.op('MatMul', [g.op('Mul', [r!, h]), uh!]) : g.op('Mul', [r!, mh]);
    const candidate = g.op('Tanh', [g.op('Add', [xh!, reset])]);
    gates.push(g.op('Concat', mh === null ? [zr, candidate] : [zr, candidate, mh], { axis: 1 }));
    let hNext = g.op('Add', [candidate, g.op('Mul', [z!, g.op('Sub', [h, candidate])])]); // ĥ + z⊙(h − ĥ)
    if (valid !== null) hNext = g.op('Where', [valid[t]!, hNext, h]);
    hs.push(hNext);
    h = hNext;
  }
  const width = gateWidth(U, attrs.resetAfter);
  g.stack(hs, B, U, 'y0');
  g.stack(gates, B, width, 'y1');
  return g.graph(
    [
      { name: 'x0', shape: [B, T, F] },
      { name: 'x1', shape: [F, 3 * U] },
      { name: 'x2', shape: [U, 3 * U] },
      { name: 'x3', shape: biasShape(U, attrs.resetAfter) },
      { name: 'x4', shape: [B, U] },
      { name: 'x5', shape: [B, T] },
    ],
    [
      { name: 'y0', shape: [B, T, U] },
      { name: 'y1', shape: [B, T, width] },
    ],
  );
}

/**
 * Inputs x0…x8: x, kernel, recurrentKernel, bias, h0, mask, h, gates, dh.
 * Outputs y0…y4: dx, dKernel, dRecurrentKernel, dBias, dh0.
 */
function backwardGraph(d: Dims, attrs: Attrs) {
  const { batch: B, time: T, features: F, units: U } = d;
  const g = new GraphBuilder();
  const width = gateWidth(U, attrs.resetAfter);
  const hs = g.steps('x6', B, T, U); // processing order
  const dhs = g.steps('x8', B, T, U);
  const parts = g.split('x7', 2, attrs.resetAfter ? [2 * U, U, U] : [2 * U, U]); // (B, T, ·)
  const [zr, candidate, mhAll] = parts as [string, string, string | undefined];
  const [z, r] = g.split(zr, 2, [U, U]);
  // Batched over the sequence: the gates' pieces and the activations' derivatives.
  const zs = g.steps(z!, B, T, U);
  const rs = g.steps(r!, B, T, U);
  const oneMinusZs = g.steps(g.oneMinus(z!), B, T, U);
  const candidates = g.steps(candidate, B, T, U);
  const dZr = g.steps(g.op('Mul', [zr, g.oneMinus(zr)]), B, T, 2 * U); // σ'
  const dCandidate = g.steps(g.oneMinus(g.op('Mul', [candidate, candidate])), B, T, U); // tanh'
  const mhs = mhAll === undefined ? null : g.steps(mhAll, B, T, U);
  const keep = attrs.masked ? maskColumns(g, 'x5', T, 'float') : null;
  const recurrentT = g.op('Transpose', ['x2'], { perm: [1, 0] }); // (3U, U)
  const [uzrT, uhT] = attrs.resetAfter ? [null, null] : g.split(recurrentT, 0, [2 * U, U]); // (2U, U), (U, U)

  const dxp: string[] = new Array<string>(T); // gradient of the input projection xp (3U)
  const dm: string[] = new Array<string>(T); // resetAfter: of m = h·U + b' (3U)
  let carry: string | null = null;
  for (let k = T - 1; k >= 0; k--) {
    const t = timeIndex(k, T, attrs.goBackwards);
    let dh = carry === null ? dhs[k]! : g.op('Add', [dhs[k]!, carry]);
    let pass: string | null = null;
    if (keep !== null) {
      const dhStep = g.op('Mul', [dh, keep[t]!]);
      pass = g.op('Sub', [dh, dhStep]);
      dh = dhStep;
    }
    const hPrevious = k === 0 ? 'x4' : hs[k - 1]!;
    const dz = g.op('Mul', [dh, g.op('Sub', [hPrevious, candidates[k]!])]);
    const dPre = g.op('Mul', [g.op('Mul', [dh, oneMinusZs[k]!]), dCandidate[k]!]); // of ĥ's pre-activation
    let next = g.op('Mul', [dh, zs[k]!]);
    if (attrs.resetAfter) {
      const dr = g.op('Mul', [dPre, mhs![k]!]);
      const dzr = g.op('Mul', [g.op('Concat', [dz, dr], { axis: 1 }), dZr[k]!]);
      dm[k] = g.op('Concat', [dzr, g.op('Mul', [dPre, rs[k]!])], { axis: 1 });
      dxp[k] = g.op('Concat', [dzr, dPre], { axis: 1 });
      next = g.op('Add', [next, g.op('MatMul', [dm[k]!, recurrentT])]);
    } else {
      const dReset = g.op('MatMul', [dPre, uhT!]); // of r⊙h
      const dr = g.op('Mul', [dReset, hPrevious]);
      const dzr = g.op('Mul', [g.op('Concat', [dz, dr], { axis: 1 }), dZr[k]!]);
      dxp[k] = g.op('Concat', [dzr, dPre], { axis: 1 });
      next = g.op('Add', [g.op('Add', [next, g.op('Mul', [dReset, rs[k]!])]), g.op('MatMul', [dzr, uzrT!])]);
    }
    carry = pass === null ? next : g.op('Add', [next, pass]);
  }
  g.identity(carry!, 'y4');
  inputGradients(g, { x: 'x0', kernel: 'x1', dzSteps: dxp, batch: B, time: T, features: F, width: 3 * U, goBackwards: attrs.goBackwards }, { dx: 'y0', dKernel: 'y1' });
  const dxpRows = rows(g, dxp, B, 3 * U); // (B·T, 3U), processing order
  const previousRows = rows(g, ['x4', ...hs.slice(0, T - 1)], B, U); // (B·T, U)
  const sumRows = (x: string) => g.op('ReduceSum', [x, g.ints([0])], { keepdims: 1 }); // (1, 3U)
  if (attrs.resetAfter) {
    const dmRows = rows(g, dm, B, 3 * U);
    transposedProduct(g, previousRows, dmRows, 'y2');
    g.nodes.push({ op: 'Concat', inputs: [sumRows(dxpRows), sumRows(dmRows)], outputs: ['y3'], attrs: { axis: 0 } }); // (2, 3U)
  } else {
    const [dzrRows, dPreRows] = g.split(dxpRows, 1, [2 * U, U]);
    const resetRows = g.op('Mul', [rows(g, rs, B, U), previousRows]); // r⊙h entering each step
    g.nodes.push({
      op: 'Concat',
      inputs: [transposedProduct(g, previousRows, dzrRows!), transposedProduct(g, resetRows, dPreRows!)],
      outputs: ['y2'],
      attrs: { axis: 1 },
    });
    g.nodes.push({ op: 'ReduceSum', inputs: [dxpRows, g.ints([0])], outputs: ['y3'], attrs: { keepdims: 0 } });
  }
  const io = (name: string, shape: number[]) => ({ name, shape });
  return g.graph(
    [
      io('x0', [B, T, F]),
      io('x1', [F, 3 * U]),
      io('x2', [U, 3 * U]),
      io('x3', biasShape(U, attrs.resetAfter)),
      io('x4', [B, U]),
      io('x5', [B, T]),
      io('x6', [B, T, U]),
      io('x7', [B, T, width]),
      io('x8', [B, T, U]),
    ],
    [io('y0', [B, T, F]), io('y1', [F, 3 * U]), io('y2', [U, 3 * U]), io('y3', biasShape(U, attrs.resetAfter)), io('y4', [B, U])],
  );
}

const FORWARD_INPUTS = ['x', 'kernel', 'recurrentKernel', 'bias', 'h0', 'mask'] as const;
const BACKWARD_INPUTS = [...FORWARD_INPUTS, 'h', 'gates', 'dh'] as const;

function gruSequence(args: KernelArgs): tf.TensorInfo[] {
  const inputs = FORWARD_INPUTS.map((n) => args.inputs[n] as tf.TensorInfo);
  const d = dims(inputs[0]!, inputs[2]!);
  const attrs = attrsOf(args);
  const key = signature(FusedGruSequence, inputs, { ...attrs });
  const { batch: B, time: T, units: U } = d;
  return runGraph(wasmBackend(args), key, () => forwardGraph(d, attrs), inputs.map((info) => ({ info })), [
    [B, T, U],
    [B, T, gateWidth(U, attrs.resetAfter)],
  ]);
}

function gruSequenceGrad(args: KernelArgs): tf.TensorInfo[] {
  const inputs = BACKWARD_INPUTS.map((n) => args.inputs[n] as tf.TensorInfo);
  const d = dims(inputs[0]!, inputs[2]!);
  const attrs = attrsOf(args);
  const key = signature(FusedGruSequenceGrad, inputs, { ...attrs });
  return runGraph(wasmBackend(args), key, () => backwardGraph(d, attrs), inputs.map((info) => ({ info })), inputs.slice(0, 5).map((i) => i.shape));
}

/** The fused GRU forward over a whole sequence: one ONNX Runtime session per signature. */
export const gruSequenceConfig = nativeKernel(FusedGruSequence, gruSequence, { light: false });

/** The fused GRU backward (through the whole sequence): one ONNX Runtime session per signature. */
export const gruSequenceGradConfig = nativeKernel(FusedGruSequenceGrad, gruSequenceGrad, { light: false });
