// The fused whole-sequence LSTM and GRU (one kernel call forward, one backward) against the
// general path on cpu: outputs, final states, and the gradients of the input, every
// parameter and the initial states, over a randomized sweep of shapes and flags. Runs where
// the fused kernels exist (the project '@tensorloom/layers on native', whose setup selects
// 'native'); elsewhere there is nothing fused to compare.
import { describe, expect, it } from 'vitest';
import { FusedGruSequence, FusedLstmSequence, expectNoLeaks, hasKernel, rng, tf, useBackend } from '@tensorloom/core';
import { Bidirectional, GRU, LSTM, gru, lstm } from '@tensorloom/layers';
import { setFusedRecurrent } from './fused-sequence.js';

interface Case {
  cell: 'lstm' | 'gru';
  batch: number;
  time: number;
  features: number;
  units: number;
  returnSequences: boolean;
  goBackwards: boolean;
  masked: boolean;
  initialState: boolean;
  useBias: boolean;
  resetAfter: boolean;
  inputDropout: boolean;
}

/** A seeded sweep: batch 1..5, time 1..7, features 1..4, units 1..6, every flag drawn. */
function sweep(cell: 'lstm' | 'gru', count: number, seed: number): Case[] {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r.uniform() * (hi - lo + 1));
  const flag = () => r.uniform() < 0.5;
  return Array.from({ length: count }, (_, i) => ({
    cell,
    batch: int(1, 5),
    time: int(1, 7),
    features: int(1, 4),
    units: int(1, 6),
    returnSequences: flag(),
    goBackwards: flag(),
    masked: flag(),
    initialState: flag(),
    useBias: i % 4 !== 3,
    resetAfter: cell === 'gru' && i % 2 === 0,
    inputDropout: i % 5 === 1,
  }));
}

const label = (c: Case) =>
  `${c.cell} B${c.batch} T${c.time} F${c.features} U${c.units}${c.returnSequences ? ' seq' : ''}${c.goBackwards ? ' back' : ''}` +
  `${c.masked ? ' mask' : ''}${c.initialState ? ' h0' : ''}${c.useBias ? '' : ' nobias'}${c.resetAfter ? ' resetAfter' : ''}${c.inputDropout ? ' dropout' : ''}`;

/** The values of a case: output, final states, and the gradient of a fixed random projection of them. */
function run(c: Case, seed: number): Float64Array[] {
  const tensors = tf.tidy(() => {
    const r = rng(seed);
    const gates = c.cell === 'lstm' ? 4 : 3;
    const x = r.normalTensor([c.batch, c.time, c.features]);
    const kernel = r.normalTensor([c.features, gates * c.units], 0, 0.5);
    const recurrentKernel = r.normalTensor([c.units, gates * c.units], 0, 0.5);
    const bias = r.normalTensor(c.resetAfter ? [2, 3 * c.units] : [gates * c.units], 0, 0.5);
    const states = (c.cell === 'lstm' ? [0, 1] : [0]).map(() => r.normalTensor([c.batch, c.units], 0, 0.5));
    // Valid steps drawn per sequence (Keras masks need not be a prefix); the first kept valid.
    const maskValues = r.fill(c.batch * c.time, () => (r.uniform() < 0.7 ? 1 : 0));
    for (let b = 0; b < c.batch; b++) maskValues[b * c.time] = 1;
    const mask = c.masked ? tf.tensor(maskValues, [c.batch, c.time], 'bool') : null;
    const dropout = c.inputDropout ? tf.mul(r.bernoulliTensor([c.batch, c.features], 0.7), 1 / 0.7) : null;
    const outShape = c.returnSequences ? [c.batch, c.time, c.units] : [c.batch, c.units];
    const weights = [outShape, ...states.map(() => [c.batch, c.units])].map((s) => r.normalTensor(s));
    const params = [x, kernel, recurrentKernel, ...(c.useBias ? [bias] : []), ...(c.initialState ? states : [])];
    const f = (...args: tf.Tensor[]): tf.Scalar => {
      const [xs, k, u, ...rest] = args;
      const b = c.useBias ? rest.shift()! : null;
      const options = {
        mask,
        goBackwards: c.goBackwards,
        returnSequences: c.returnSequences,
        initialState: c.initialState ? rest : null,
        inputDropoutMask: dropout,
      };
      const result =
        c.cell === 'lstm'
          ? lstm(xs!, { kernel: k!, recurrentKernel: u!, bias: b }, options)
          : gru(xs!, { kernel: k!, recurrentKernel: u!, bias: b }, { ...options, resetAfter: c.resetAfter });
      const outs = [result.output, ...result.states];
      return tf.addN(outs.map((o, i) => tf.sum(tf.mul(o, weights[i]!)))) as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(f)(params);
    const outputs = (() => {
      const options = { mask, goBackwards: c.goBackwards, returnSequences: c.returnSequences, initialState: c.initialState ? states : null, inputDropoutMask: dropout };
      const p = { kernel, recurrentKernel, bias: c.useBias ? bias : null };
      const result = c.cell === 'lstm' ? lstm(x, p, options) : gru(x, p, { ...options, resetAfter: c.resetAfter });
      return [result.output, ...result.states];
    })();
    return [value, ...outputs, ...grads];
  });
  const values = tensors.map((t) => Float64Array.from(t.dataSync()));
  tf.dispose(tensors);
  return values;
}

/** max |a − b| ≤ rtol · max |b| per output (relative to the output's scale). */
function expectClose(actual: Float64Array[], expected: Float64Array[], rtol: number, what: string): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((want, k) => {
    const got = actual[k]!;
    expect(got.length, `${what}: output ${k} size`).toBe(want.length);
    let scale = 0;
    let worst = 0;
    for (let i = 0; i < want.length; i++) {
      scale = Math.max(scale, Math.abs(want[i]!));
      worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    }
    expect(worst, `${what}: output ${k} max error (scale ${scale})`).toBeLessThanOrEqual(rtol * Math.max(scale, 1e-6));
  });
}

/** The backend with the fused kernels in this project, or null (then the sweep is skipped). */
const fusedBackend = tf.getBackend() === 'native' ? 'native' : null;

/** The names of the kernels `fn` runs. */
async function kernelNames(fn: () => unknown): Promise<string[]> {
  const profile = await tf.profile(() => {
    tf.dispose(fn() as tf.Tensor[]);
  });
  return profile.kernels.map((k) => k.name);
}

describe.skipIf(fusedBackend === null)('fused LSTM and GRU sequences against the general path on cpu', () => {
  const cases = [...sweep('lstm', 24, 11), ...sweep('gru', 24, 12)];
  it.each(cases.map((c, i) => [label(c), c, i] as const))('%s: values and gradients within 1e-4', async (_l, c, i) => {
    await useBackend('cpu');
    const cpu = run(c, 100 + i);
    await useBackend(fusedBackend!);
    expect(hasKernel(c.cell === 'lstm' ? FusedLstmSequence : FusedGruSequence), 'the fused kernel registered').toBe(true);
    const fused = run(c, 100 + i);
    expectClose(fused, cpu, 1e-4, label(c));
  });

  it('takes one forward and one backward kernel call per sequence, and the general path when told to or not covered', async () => {
    await useBackend(fusedBackend!);
    const x = rng(1).normalTensor([2, 5, 3]);
    const train = (layer: LSTM | GRU | Bidirectional) => () => {
      const { grads } = tf.variableGrads(() => tf.sum(layer.apply(x, { training: true }) as tf.Tensor) as tf.Scalar);
      return Object.values(grads);
    };
    const layer = new LSTM({ units: 4 }).build([null, 5, 3], rng(2));
    const names = await kernelNames(train(layer));
    expect(names.filter((n) => n.startsWith('TensorloomFused'))).toEqual(['TensorloomFusedLstmSequence', 'TensorloomFusedLstmSequenceGrad']);
    const bi = new Bidirectional({ layer: new GRU({ units: 3, resetAfter: true, returnSequences: true }) }).build([null, 5, 3], rng(3));
    expect((await kernelNames(train(bi))).filter((n) => n.startsWith('TensorloomFused')).sort()).toEqual([
      'TensorloomFusedGruSequence',
      'TensorloomFusedGruSequence',
      'TensorloomFusedGruSequenceGrad',
      'TensorloomFusedGruSequenceGrad',
    ]);
    // Not covered: hardSigmoid gates, recurrent dropout in training; and the switch.
    for (const uncovered of [
      new LSTM({ units: 4, recurrentActivation: 'hardSigmoid' }).build([null, 5, 3], rng(2)),
      new GRU({ units: 4, recurrentDropout: 0.5 }).build([null, 5, 3], rng(2)),
    ]) {
      expect((await kernelNames(train(uncovered))).some((n) => n.startsWith('TensorloomFused'))).toBe(false);
    }
    const previous = setFusedRecurrent(false);
    try {
      expect((await kernelNames(train(layer))).some((n) => n.startsWith('TensorloomFused'))).toBe(false);
    } finally {
      setFusedRecurrent(previous);
    }
    tf.dispose(x);
  });

  it('leaves no tensor behind, in inference and in training, with and without a mask', async () => {
    await useBackend(fusedBackend!);
    const x = rng(4).normalTensor([3, 4, 2]);
    const mask = tf.tensor2d([[1, 1, 0, 1], [1, 0, 0, 0], [1, 1, 1, 1]], [3, 4], 'bool');
    const layers = [
      new LSTM({ units: 3, returnSequences: true, returnState: true }).build([null, 4, 2], rng(5)),
      new GRU({ units: 3, resetAfter: true }).build([null, 4, 2], rng(6)),
    ];
    for (const layer of layers) {
      for (const m of [null, mask]) {
        const output = (training: boolean) =>
          tf.tidy(() => {
            const y = layer.apply(x, { mask: m, training }) as tf.Tensor | tf.Tensor[];
            return Array.isArray(y) ? tf.addN(y.map((t) => tf.sum(t))) : tf.sum(y);
          });
        await expectNoLeaks(() => tf.dispose(output(false)), `${layer.label} inference`);
        await expectNoLeaks(() => {
          const { value, grads } = tf.variableGrads(() => output(true) as tf.Scalar);
          tf.dispose([value, ...Object.values(grads)]);
        }, `${layer.label} training`);
      }
    }
    tf.dispose([x, mask]);
  });
});
