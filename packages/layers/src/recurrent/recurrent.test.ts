// Behaviour shared by SimpleRNN, LSTM and GRU, table-driven over the three cells: shape
// inference, parity with tfjs-layers 4.22 (outputs, states, and gradients w.r.t. inputs,
// initial states and every parameter), masking semantics, errors and leaks.
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { GRU, LSTM, SimpleRNN, recurrentOutputShape } from '@tensorloom/layers';
import type { Recurrent, RecurrentApplyOptions } from '@tensorloom/layers';
import { checkFunctionGradients, compareTensors } from '../internal/testing.js';
import { splitGates, unstackSteps } from './recurrent.js';

type Kind = 'SimpleRNN' | 'LSTM' | 'GRU';
const KINDS: Kind[] = ['SimpleRNN', 'LSTM', 'GRU'];
const STATES: Record<Kind, number> = { SimpleRNN: 1, LSTM: 2, GRU: 1 };

interface Flags {
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  useBias?: boolean;
  recurrentActivation?: 'sigmoid' | 'hardSigmoid';
}

function ours(kind: Kind, units: number, flags: Flags = {}): Recurrent<boolean> {
  const { recurrentActivation, ...rest } = flags;
  const config = { units, ...rest };
  if (kind === 'SimpleRNN') return new SimpleRNN(config);
  if (kind === 'LSTM') return new LSTM({ ...config, recurrentActivation: recurrentActivation ?? 'sigmoid' });
  return new GRU({ ...config, recurrentActivation: recurrentActivation ?? 'sigmoid' });
}

function reference(kind: Kind, units: number, flags: Flags = {}): tfl.layers.Layer {
  const { recurrentActivation, ...rest } = flags;
  const config = { units, ...rest };
  if (kind === 'SimpleRNN') return tfl.layers.simpleRNN(config);
  const args = { ...config, recurrentActivation: recurrentActivation ?? 'sigmoid' };
  return kind === 'LSTM' ? tfl.layers.lstm(args) : tfl.layers.gru(args);
}

const list = (y: tf.Tensor | tf.Tensor[]): tf.Tensor[] => (Array.isArray(y) ? y : [y]);

/** Builds both layers with the same (random, non-zero bias) weights. */
function pair(kind: Kind, units: number, x: tf.Tensor, flags: Flags, seed: number): { layer: Recurrent<boolean>; ref: tfl.layers.Layer } {
  const layer = ours(kind, units, flags).build([null, x.shape[1]!, x.shape[2]!], rng(seed));
  if (layer.bias) layer.bias.assign(rng(seed + 1).normalTensor(layer.bias.shape, 0, 0.5));
  const ref = reference(kind, units, flags);
  tf.dispose(ref.apply(x) as tf.Tensor);
  ref.setWeights([layer.kernel!, layer.recurrentKernel!, ...(layer.bias ? [layer.bias] : [])]);
  return { layer, ref };
}

// Right-padded lengths 4, 2 and 3 (the kind of mask Embedding's maskZero produces).
const lengthsMask = (): tf.Tensor => tf.tensor([[1, 1, 1, 1], [1, 1, 0, 0], [1, 1, 1, 0]], [3, 4], 'bool');

interface Scenario {
  name: string;
  flags: Flags;
  mask?: boolean;
  initialState?: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'last output', flags: {} },
  { name: 'sequences and states', flags: { returnSequences: true, returnState: true } },
  { name: 'masked sequences', flags: { returnSequences: true, returnState: true }, mask: true },
  { name: 'goBackwards', flags: { goBackwards: true, returnSequences: true, returnState: true } },
  { name: 'goBackwards, masked', flags: { goBackwards: true, returnState: true }, mask: true },
  { name: 'initial state', flags: { returnSequences: true, returnState: true }, initialState: true },
  { name: 'no bias, hardSigmoid, masked, initial state', flags: { useBias: false, recurrentActivation: 'hardSigmoid', returnState: true }, mask: true, initialState: true },
];

describe('Recurrent layers against tfjs-layers 4.22', () => {
  const cases = KINDS.flatMap((kind) => SCENARIOS.map((s) => ({ kind, ...s })));
  it.each(cases)('$kind, $name: outputs, states and every gradient agree', ({ kind, flags, mask, initialState }) => {
    const units = 3;
    const x = rng(10).normalTensor([3, 4, 2]);
    const { layer, ref } = pair(kind, units, x, flags, 20);
    const maskT = mask ? lengthsMask() : null;
    const init = initialState ? Array.from({ length: STATES[kind] }, (_, i) => rng(30 + i).normalTensor([3, units], 0, 0.5)) : [];
    const options = (states: tf.Tensor[]): RecurrentApplyOptions => ({
      ...(maskT ? { mask: maskT } : {}),
      ...(states.length ? { initialState: states } : {}),
    });
    const run = (which: 'ours' | 'ref', xs: tf.Tensor, states: tf.Tensor[]): tf.Tensor[] =>
      list(which === 'ours' ? layer.apply(xs, options(states)) : (ref.apply(xs, options(states) as Record<string, unknown>) as tf.Tensor | tf.Tensor[]));

    const yOurs = run('ours', x, init);
    const yRef = run('ref', x, init);
    expect(yOurs.map((t) => t.shape)).toEqual(yRef.map((t) => t.shape));
    yOurs.forEach((t, i) => expect(compareTensors(t, yRef[i]!), `output ${i}`).toBeNull());

    // loss = Σ_i Σ y_i · R_i with fixed random R_i, so every output and state gets a gradient.
    const weights = yRef.map((t, i) => rng(40 + i).normalTensor(t.shape));
    const loss = (ys: tf.Tensor[]): tf.Scalar => tf.addN(ys.map((t, i) => tf.sum(tf.mul(t, weights[i]!)))) as tf.Scalar;
    const gOurs = tf.grads((xs: tf.Tensor, ...s: tf.Tensor[]) => loss(run('ours', xs, s)))([x, ...init]);
    const gRef = tf.grads((xs: tf.Tensor, ...s: tf.Tensor[]) => loss(run('ref', xs, s)))([x, ...init]);
    gOurs.forEach((g, i) => expect(compareTensors(g, gRef[i]!), i === 0 ? 'd input' : `d initialState[${i - 1}]`).toBeNull());

    const oursVars = [layer.kernel!, layer.recurrentKernel!, ...(layer.bias ? [layer.bias] : [])];
    const refVars = ref.trainableWeights.map((w) => w.read() as tf.Variable);
    const pOurs = tf.variableGrads(() => loss(run('ours', x, init)), oursVars).grads;
    const pRef = tf.variableGrads(() => loss(run('ref', x, init)), refVars).grads;
    oursVars.forEach((v, i) => expect(compareTensors(pOurs[v.name]!, pRef[refVars[i]!.name]!), `d ${['kernel', 'recurrentKernel', 'bias'][i]}`).toBeNull());
    tf.dispose([x, maskT, init, yOurs, yRef, weights, gOurs, gRef, pOurs, pRef].flat() as tf.Tensor[]);
    layer.dispose();
    ref.dispose();
  });
});

describe('Recurrent output shapes', () => {
  const flagSets = [
    { returnSequences: false, returnState: false },
    { returnSequences: true, returnState: false },
    { returnSequences: false, returnState: true },
    { returnSequences: true, returnState: true },
  ];
  const cases = KINDS.flatMap((kind) => flagSets.flatMap((flags) => [null, 1, 2].map((batch) => ({ kind, batch, ...flags }))));
  it.each(cases)('$kind returnSequences=$returnSequences returnState=$returnState batch=$batch: inferred = applied', ({ kind, batch, ...flags }) => {
    const layer = ours(kind, 5, flags).build([batch, 6, 3], rng(1));
    const expected = recurrentOutputShape([batch, 6, 3], 5, { ...flags, stateCount: STATES[kind] });
    expect(layer.outputShape([batch, 6, 3])).toEqual(expected);
    const y = list(layer.apply(tf.zeros([batch ?? 2, 6, 3])));
    const inferred = (flags.returnState ? expected : [expected]) as (number | null)[][];
    expect(y.map((t) => t.shape)).toEqual(inferred.map((s) => s.map((d) => d ?? 2)));
    tf.dispose(y);
    layer.dispose();
  });

  it('lists [output, h] or [output, h, c] with returnState', () => {
    expect(recurrentOutputShape([null, 28, 28], 128, { returnSequences: false, returnState: true, stateCount: 2 })).toEqual([
      [null, 128],
      [null, 128],
      [null, 128],
    ]);
    expect(recurrentOutputShape([4, null, 8], 2, { returnSequences: true, returnState: false, stateCount: 1 })).toEqual([4, null, 2]);
  });
});

describe('Recurrent masking', () => {
  it.each(KINDS)('%s: a padded sequence ends in the state of its unpadded prefix, repeating the last output', (kind) => {
    const x = rng(3).normalTensor([1, 5, 2]);
    const layer = ours(kind, 3, { returnSequences: true, returnState: true }).build([null, 5, 2], rng(4));
    const mask = tf.tensor([[1, 1, 0, 0, 0]], [1, 5], 'bool');
    const padded = list(layer.apply(x, { mask }));
    const prefix = list(layer.apply(tf.slice(x, [0, 0, 0], [1, 2, 2])));
    // Final states equal the prefix's; outputs at padded steps repeat step 1's output.
    prefix.slice(1).forEach((s, i) => expect(compareTensors(padded[i + 1]!, s, { atol: 1e-6, rtol: 0 })).toBeNull());
    const seq = padded[0]!.arraySync() as number[][][];
    const last = (prefix[0]!.arraySync() as number[][][])[0]![1]!;
    for (const t of [2, 3, 4]) expect(seq[0]![t]).toEqual(last);
    // Numbers as a mask work too (non-zero = valid).
    const numeric = list(layer.apply(x, { mask: tf.tensor([[1, 1, 0, 0, 0]]) }));
    expect(compareTensors(numeric[0]!, padded[0]!, { atol: 0, rtol: 0 })).toBeNull();
    layer.dispose();
  });

  it('passes the mask on only with returnSequences', () => {
    const mask = tf.ones([2, 3], 'bool');
    expect(new LSTM({ units: 2, returnSequences: true }).computeMask(tf.zeros([2, 3, 1]), mask)).toBe(mask);
    expect(new LSTM({ units: 2 }).computeMask(tf.zeros([2, 3, 1]), mask)).toBeNull();
  });
});

describe('Recurrent dropout', () => {
  it.each(KINDS)('%s: is off at inference, random in training, and repeats with the same seed', (kind) => {
    const x = rng(5).normalTensor([4, 3, 2]);
    const make = (): Recurrent<boolean> => ours(kind, 3, { dropout: 0.5, recurrentDropout: 0.5 } as Flags).build([null, 3, 2], rng(6));
    const a = make();
    const b = make();
    const plain = ours(kind, 3).build([null, 3, 2], rng(6));
    expect(compareTensors(a.apply(x) as tf.Tensor, plain.apply(x) as tf.Tensor, { atol: 0, rtol: 0 })).toBeNull();
    const t1 = a.apply(x, { training: true }) as tf.Tensor;
    const t2 = a.apply(x, { training: true }) as tf.Tensor;
    expect(compareTensors(t1, t2, { atol: 1e-3, rtol: 0 })).not.toBeNull(); // a fresh mask each call
    expect(compareTensors(b.apply(x, { training: true }) as tf.Tensor, t1, { atol: 0, rtol: 0 })).toBeNull(); // same seed, same stream
    [a, b, plain].forEach((l) => l.dispose());
  });

  it('drops about `rate` of the input features, one mask per sequence for every step', () => {
    // With a linear cell and identity recurrence zeroed, the output at each step is x_t·W·mask:
    // a dropped feature is dropped at every step of that sequence.
    const layer = new SimpleRNN({ units: 1, activation: 'linear', dropout: 0.3, useBias: false, returnSequences: true }).build([null, 3, 200], rng(7));
    layer.kernel!.assign(tf.ones([200, 1]));
    layer.recurrentKernel!.assign(tf.zeros([1, 1]));
    const y = (layer.apply(tf.ones([50, 3, 200]), { training: true }) as tf.Tensor).arraySync() as number[][][];
    let kept = 0;
    for (const seq of y) {
      expect(seq[1]![0]).toBeCloseTo(seq[0]![0]!, 3);
      expect(seq[2]![0]).toBeCloseTo(seq[0]![0]!, 3);
      kept += (seq[0]![0]! * 0.7) / 200; // each kept feature contributes 1 / 0.7
    }
    expect(kept / 50).toBeGreaterThan(0.66); // 10,000 Bernoulli(0.7) draws: sd 0.0046
    expect(kept / 50).toBeLessThan(0.74);
    layer.dispose();
  });
});

describe('Recurrent errors', () => {
  it('checks the configuration when it is given', () => {
    expect(() => new LSTM({ units: 0, name: 'enc' })).toThrowError(new ConfigError("LSTM 'enc': units expected a positive integer, got 0"));
    expect(() => new GRU({ units: 2.5, name: 'g' })).toThrowError(new ConfigError("GRU 'g': units expected a positive integer, got 2.5"));
    expect(() => new SimpleRNN({ units: 2, dropout: 1, name: 'r' })).toThrowError(new ConfigError("SimpleRNN 'r': dropout expected a number in [0, 1), got 1"));
    expect(() => new LSTM({ units: 2, recurrentDropout: -0.1, name: 'l' })).toThrowError(
      new ConfigError("LSTM 'l': recurrentDropout expected a number in [0, 1), got -0.1"),
    );
    expect(() => new LSTM({ units: 2, activation: 'nope' as never, name: 'l' })).toThrowError(/^LSTM 'l': activation expected one of linear, relu/);
    expect(() => new GRU({ units: 2, recurrentActivation: 'nope' as never, name: 'g' })).toThrowError(/^GRU 'g': activation expected one of linear/);
    expect(() => new LSTM({ units: 2, name: 'l' }).build([null, 5])).toThrowError(
      new ShapeError("LSTM 'l': input expected rank 3 [batch, time, features] with known features, got [null, 5]"),
    );
  });

  it('checks inputs, masks and initial states when they arrive', () => {
    const layer = new LSTM({ units: 3, name: 'enc' }).build([null, null, 4]);
    expect(() => layer.apply(tf.zeros([2, 5]))).toThrowError(new ShapeError("LSTM 'enc': input expected shape [batch, time, 4], got [2, 5]"));
    expect(() => layer.apply(tf.zeros([2, 5, 3]))).toThrowError(new ShapeError("LSTM 'enc': input expected shape [batch, time, 4], got [2, 5, 3]"));
    expect(() => layer.apply(tf.zeros([2, 0, 4]))).toThrowError(
      new ShapeError("LSTM 'enc': input axis 1 (time) expected at least 1 step, got shape [2, 0, 4]"),
    );
    const x = tf.zeros([2, 5, 4]);
    expect(() => layer.apply(x, { mask: tf.ones([2, 4]) })).toThrowError(new ShapeError("LSTM 'enc': mask axis 1 expected 5, got shape [2, 4]"));
    expect(() => layer.apply(x, { mask: tf.ones([2, 5, 1]) })).toThrowError(new ShapeError("LSTM 'enc': mask expected shape [2, 5], got [2, 5, 1]"));
    expect(() => layer.apply(x, { initialState: [tf.zeros([2, 3])] })).toThrowError(
      new ShapeError("LSTM 'enc': initialState expected 2 tensors [h, c], got 1"),
    );
    expect(() => layer.apply(x, { initialState: [tf.zeros([2, 3]), tf.zeros([1, 3])] })).toThrowError(
      new ShapeError("LSTM 'enc': initialState[1] axis 0 expected 2, got shape [1, 3]"),
    );
    const gru = new GRU({ units: 3, name: 'g' }).build([null, 5, 4]);
    expect(() => gru.apply(x, { initialState: [tf.zeros([2, 4])] })).toThrowError(new ShapeError("GRU 'g': initialState[0] axis 1 expected 3, got shape [2, 4]"));
  });
});

describe('Recurrent memory', () => {
  it.each(KINDS)('%s: no leaks in inference, in training with dropout, and under a gradient', async (kind) => {
    const layer = ours(kind, 3, { returnSequences: true, returnState: true, dropout: 0.2, recurrentDropout: 0.2 } as Flags).build([null, 4, 2], rng(1));
    const x = tf.ones([3, 4, 2]);
    const mask = lengthsMask();
    const init = Array.from({ length: STATES[kind] }, () => tf.zeros([3, 3]));
    await expectNoLeaks(() => tf.dispose(layer.apply(x, { mask, initialState: init })), `${kind} apply`);
    await expectNoLeaks(() => tf.dispose(layer.apply(x, { training: true })), `${kind} training apply`);
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => tf.addN(list(layer.apply(x, { mask, training: true })).map((t) => tf.sum(t))) as tf.Scalar);
      tf.dispose([value, grads]);
    }, `${kind} gradient`);
    // returnState without returnSequences: the output and h are separate tensors to dispose.
    const last = ours(kind, 3, { returnState: true }).build([null, 4, 2], rng(1));
    await expectNoLeaks(() => {
      const outputs = last.apply(x) as tf.Tensor[];
      expect(outputs[0]).not.toBe(outputs[1]);
      tf.dispose(outputs);
    }, `${kind} returnState`);
    layer.dispose();
    last.dispose();
  });
});

// ---------------------------------------------------------------- float64 references

type Vec = number[];
type Mat = number[][];
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
/** row · M for a row vector and a matrix [k][n]. */
const vecMat = (v: Vec, m: Mat): Vec => m[0]!.map((_, j) => v.reduce((s, vi, i) => s + vi * m[i]![j]!, 0));
const addV = (...vs: Vec[]): Vec => vs[0]!.map((_, j) => vs.reduce((s, v) => s + v[j]!, 0));
const part = (v: Vec, k: number, units: number): Vec => v.slice(k * units, (k + 1) * units);

/** One step of a cell in float64, from the equations in the layer docs. */
type Cell64 = (x: Vec, states: Vec[], w: { kernel: Mat; recurrent: Mat; bias: Mat | Vec | null }, units: number) => Vec[];

const CELLS64: Record<string, Cell64> = {
  // h' = tanh(x·W + h·U + b)
  SimpleRNN: (x, [h], w) => [addV(vecMat(x, w.kernel), vecMat(h!, w.recurrent), (w.bias as Vec | null) ?? vecMat(x, w.kernel).map(() => 0)).map(Math.tanh)],
  // [i, f, c, o] gates; c' = f·c + i·tanh(zc); h' = o·tanh(c')
  LSTM: (x, [h, c], w, u) => {
    const z = addV(vecMat(x, w.kernel), vecMat(h!, w.recurrent), (w.bias as Vec | null) ?? Array(4 * u).fill(0));
    const [i, f, g, o] = [0, 1, 2, 3].map((k) => part(z, k, u));
    const c2 = c!.map((cj, j) => sigmoid(f![j]!) * cj + sigmoid(i![j]!) * Math.tanh(g![j]!));
    return [c2.map((cj, j) => sigmoid(o![j]!) * Math.tanh(cj)), c2];
  },
  // z, r gates; ĥ = tanh(x·Wh + (r⊙h)·Uh + bh); h' = z⊙h + (1−z)⊙ĥ
  GRU: (x, [h], w, u) => {
    const xp = addV(vecMat(x, w.kernel), (w.bias as Vec | null) ?? Array(3 * u).fill(0));
    const hp = vecMat(h!, w.recurrent.map((row) => row.slice(0, 2 * u)));
    const z = addV(part(xp, 0, u), part(hp, 0, u)).map(sigmoid);
    const r = addV(part(xp, 1, u), part(hp, 1, u)).map(sigmoid);
    const cand = addV(part(xp, 2, u), vecMat(r.map((rj, j) => rj * h![j]!), w.recurrent.map((row) => row.slice(2 * u)))).map(Math.tanh);
    return [h!.map((hj, j) => z[j]! * hj + (1 - z[j]!) * cand[j]!)];
  },
  // resetAfter: ĥ = tanh(x·Wh + bh + r ⊙ (h·Uh + b'h)), bias rows [input, recurrent]
  'GRU resetAfter': (x, [h], w, u) => {
    const [bi, br] = (w.bias as Mat | null) ?? [Array(3 * u).fill(0), Array(3 * u).fill(0)];
    const xp = addV(vecMat(x, w.kernel), bi!);
    const hp = addV(vecMat(h!, w.recurrent), br!);
    const z = addV(part(xp, 0, u), part(hp, 0, u)).map(sigmoid);
    const r = addV(part(xp, 1, u), part(hp, 1, u)).map(sigmoid);
    const cand = addV(part(xp, 2, u), r.map((rj, j) => rj * part(hp, 2, u)[j]!)).map(Math.tanh);
    return [h!.map((hj, j) => z[j]! * hj + (1 - z[j]!) * cand[j]!)];
  },
};

/** The Keras RNN loop in float64: masked steps keep the states and repeat the last output. */
function scan64(
  cell: Cell64,
  x: number[][][],
  w: Parameters<Cell64>[2],
  units: number,
  init: Vec[][],
  opts: { mask?: number[][]; goBackwards?: boolean },
): { sequences: number[][][]; states: Vec[][] } {
  const sequences: number[][][] = [];
  const finals: Vec[][] = [];
  x.forEach((seq, b) => {
    let states = init.map((s) => s[b]!);
    const order = seq.map((_, t) => t);
    if (opts.goBackwards) order.reverse();
    const outs: Vec[] = [];
    for (const t of order) {
      if (!opts.mask || opts.mask[b]![t]) states = cell(seq[t]!, states, w, units);
      outs.push(states[0]!);
    }
    sequences.push(outs);
    finals.push(states);
  });
  return { sequences, states: init.map((_, i) => finals.map((f) => f[i]!)) };
}

describe('Recurrent layers against float64 references of their equations', () => {
  const cases = (['SimpleRNN', 'LSTM', 'GRU', 'GRU resetAfter'] as const).flatMap((cell) =>
    [
      { name: 'forward', goBackwards: false, masked: false },
      { name: 'masked, backwards, initial state', goBackwards: true, masked: true },
    ].map((c) => ({ cell, ...c })),
  );
  it.each(cases)('$cell, $name: sequences and final states within 1e-5', ({ cell, goBackwards, masked }) => {
    const units = 3;
    const kind: Kind = cell.startsWith('GRU') ? 'GRU' : (cell as Kind);
    const layer = (cell === 'GRU resetAfter' ? new GRU({ units, resetAfter: true, returnSequences: true, returnState: true, goBackwards }) : ours(kind, units, { returnSequences: true, returnState: true, goBackwards })).build([null, 4, 2], rng(50));
    layer.bias!.assign(rng(51).normalTensor(layer.bias!.shape, 0, 0.5));
    const x = rng(52).normalTensor([3, 4, 2]);
    const mask = masked ? lengthsMask() : null;
    const init = Array.from({ length: STATES[kind] }, (_, i) => (masked ? rng(53 + i).normalTensor([3, units], 0, 0.5) : tf.zeros([3, units])));
    const [seq, ...states] = layer.apply(x, { mask, initialState: init }) as tf.Tensor[];
    const ref = scan64(
      CELLS64[cell]!,
      x.arraySync() as number[][][],
      { kernel: layer.kernel!.arraySync() as Mat, recurrent: layer.recurrentKernel!.arraySync() as Mat, bias: layer.bias!.arraySync() as Mat | Vec },
      units,
      init.map((s) => s.arraySync() as Vec[]),
      { ...(mask ? { mask: mask.arraySync() as number[][] } : {}), goBackwards },
    );
    expect(compareTensors(seq!, ref.sequences.flat(2))).toBeNull();
    states.forEach((s, i) => expect(compareTensors(s, ref.states[i]!.flat())).toBeNull());
    layer.dispose();
  });
});

describe('Recurrent sequences of one step', () => {
  it.each(KINDS)('%s: trains on a single step (tf.unstack of one step has no working gradient in tfjs-core 4.22)', (kind) => {
    const layer = ours(kind, 2, { returnSequences: true }).build([null, 1, 3], rng(1));
    const x = rng(2).normalTensor([2, 1, 3]);
    const { grads } = tf.variableGrads(() => tf.sum(layer.apply(x) as tf.Tensor) as tf.Scalar);
    expect(Object.keys(grads)).toHaveLength(3);
    expect(checkFunctionGradients((t) => layer.apply(t) as tf.Tensor, [x])).toBeNull();
    layer.dispose();
  });
});

describe('unstackSteps', () => {
  it.each([1, 2, 5, 9, 13, 28])('cuts %i steps exactly like tf.unstack, with the same gradient', (steps) => {
    const x = rng(steps).normalTensor([steps, 2, 3]);
    const ours = unstackSteps(x);
    const theirs = tf.unstack(x);
    expect(ours.length).toBe(steps);
    ours.forEach((t, i) => expect(compareTensors(t, theirs[i]!, { atol: 0, rtol: 0 })).toBeNull());
    // d/dx Σ_t Σ w_t·x_t = w, step by step in order.
    const w = rng(100 + steps).normalTensor([steps, 2, 3]);
    const ws = tf.unstack(w);
    const g = tf.grad((t: tf.Tensor) => tf.addN(unstackSteps(t).map((s, i) => tf.sum(tf.mul(s, ws[i]!)))) as tf.Scalar)(x);
    expect(compareTensors(g, w, { atol: 0, rtol: 0 })).toBeNull();
  });
});

describe('splitGates', () => {
  it.each([false, true])('viaTranspose %s: cuts [batch, gates·units] like tf.split, with the same gradient', (viaTranspose) => {
    const x = rng(7).normalTensor([3, 8]) as tf.Tensor2D;
    const ours = splitGates(x, 4, viaTranspose);
    const theirs = tf.split(x, 4, 1);
    expect(ours.length).toBe(4);
    ours.forEach((t, i) => expect(compareTensors(t, theirs[i]!, { atol: 0, rtol: 0 })).toBeNull());
    // d/dx Σ_g Σ w_g·x_g = the w_g side by side.
    const ws = [0, 1, 2, 3].map((g) => rng(20 + g).normalTensor([3, 2]));
    const g = tf.grad((t: tf.Tensor) => tf.addN(splitGates(t as tf.Tensor2D, 4, viaTranspose).map((s, i) => tf.sum(tf.mul(s, ws[i]!)))) as tf.Scalar)(x);
    expect(compareTensors(g, tf.concat(ws, 1), { atol: 0, rtol: 0 })).toBeNull();
    expect(splitGates(x, 1, viaTranspose)).toEqual([x]);
  });
});
