import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { Bidirectional, Dense, GRU, LSTM, SimpleRNN, bidirectionalOutputShape, mergeDirections } from '@tensorloom/layers';
import type { MergeMode, Recurrent, RecurrentApplyOptions } from '@tensorloom/layers';
import { checkModuleGradients, compareTensors } from '../internal/testing.js';

type Kind = 'SimpleRNN' | 'LSTM' | 'GRU';
const STATES: Record<Kind, number> = { SimpleRNN: 1, LSTM: 2, GRU: 1 };
const list = (y: tf.Tensor | tf.Tensor[]): tf.Tensor[] => (Array.isArray(y) ? y : [y]);

function layers(kind: Kind, flags: { returnSequences?: boolean; returnState?: boolean }): { layer: Recurrent<boolean>; ref: tfl.layers.RNN } {
  const config = { units: 3, ...flags };
  if (kind === 'SimpleRNN') return { layer: new SimpleRNN(config), ref: tfl.layers.simpleRNN(config) };
  const gated = { ...config, recurrentActivation: 'sigmoid' as const };
  if (kind === 'LSTM') return { layer: new LSTM(gated), ref: tfl.layers.lstm(gated) };
  return { layer: new GRU(gated), ref: tfl.layers.gru(gated) };
}

const CASES: { kind: Kind; mergeMode: MergeMode; returnSequences: boolean; returnState: boolean; mask: boolean; initialState: boolean }[] = [
  { kind: 'LSTM', mergeMode: 'concat', returnSequences: true, returnState: false, mask: true, initialState: false },
  { kind: 'LSTM', mergeMode: 'sum', returnSequences: false, returnState: true, mask: true, initialState: true },
  { kind: 'GRU', mergeMode: 'ave', returnSequences: true, returnState: true, mask: true, initialState: false },
  { kind: 'GRU', mergeMode: 'mul', returnSequences: false, returnState: false, mask: false, initialState: true },
  { kind: 'SimpleRNN', mergeMode: 'none', returnSequences: true, returnState: false, mask: true, initialState: false },
  { kind: 'SimpleRNN', mergeMode: 'concat', returnSequences: false, returnState: true, mask: false, initialState: true },
];

describe('Bidirectional', () => {
  it.each(CASES)('matches tfjs-layers: $kind $mergeMode, sequences $returnSequences, states $returnState, mask $mask, initial state $initialState', (c) => {
    const x = rng(1).normalTensor([3, 4, 2]);
    const { layer, ref: inner } = layers(c.kind, c);
    const bi = new Bidirectional({ layer, mergeMode: c.mergeMode }).build([null, 4, 2], rng(2));
    for (const l of [bi.forwardLayer, bi.backwardLayer]) l.bias!.assign(rng(l === bi.forwardLayer ? 3 : 4).normalTensor(l.bias!.shape, 0, 0.5));
    const ref = tfl.layers.bidirectional({ layer: inner, mergeMode: (c.mergeMode === 'none' ? null : c.mergeMode) as never });
    tf.dispose(ref.apply(x) as tf.Tensor);
    const params = [bi.forwardLayer, bi.backwardLayer].flatMap((l) => [l.kernel!, l.recurrentKernel!, l.bias!]);
    ref.setWeights(params);
    const mask = c.mask ? tf.tensor([[1, 1, 1, 1], [1, 1, 0, 0], [1, 1, 1, 0]], [3, 4], 'bool') : null;
    const n = STATES[c.kind];
    const init = c.initialState ? Array.from({ length: 2 * n }, (_, i) => rng(10 + i).normalTensor([3, 3], 0, 0.5)) : [];
    const options = (states: tf.Tensor[]): RecurrentApplyOptions => ({ ...(mask ? { mask } : {}), ...(states.length ? { initialState: states } : {}) });
    const run = (which: 'ours' | 'ref', xs: tf.Tensor, states: tf.Tensor[]): tf.Tensor[] =>
      list(which === 'ours' ? bi.apply(xs, options(states)) : (ref.apply(xs, options(states) as Record<string, unknown>) as tf.Tensor | tf.Tensor[]));

    const yOurs = run('ours', x, init);
    const yRef = run('ref', x, init);
    expect(yOurs.map((t) => t.shape)).toEqual(yRef.map((t) => t.shape));
    const inferred = bi.outputShape([3, 4, 2]) as (number | null)[] | (number | null)[][];
    expect(yOurs.map((t) => t.shape)).toEqual(Array.isArray(inferred[0]) ? inferred : [inferred]);
    yOurs.forEach((t, i) => expect(compareTensors(t, yRef[i]!), `output ${i}`).toBeNull());

    const weights = yRef.map((t, i) => rng(20 + i).normalTensor(t.shape));
    const loss = (ys: tf.Tensor[]): tf.Scalar => tf.addN(ys.map((t, i) => tf.sum(tf.mul(t, weights[i]!)))) as tf.Scalar;
    const gOurs = tf.grads((xs: tf.Tensor, ...s: tf.Tensor[]) => loss(run('ours', xs, s)))([x, ...init]);
    const gRef = tf.grads((xs: tf.Tensor, ...s: tf.Tensor[]) => loss(run('ref', xs, s)))([x, ...init]);
    gOurs.forEach((g, i) => expect(compareTensors(g, gRef[i]!), `d input ${i}`).toBeNull());
    const refVars = ref.trainableWeights.map((w) => w.read() as tf.Variable);
    const pOurs = tf.variableGrads(() => loss(run('ours', x, init)), params).grads;
    const pRef = tf.variableGrads(() => loss(run('ref', x, init)), refVars).grads;
    params.forEach((v, i) => expect(compareTensors(pOurs[v.name]!, pRef[refVars[i]!.name]!), `d parameter ${i}`).toBeNull());
    bi.dispose();
    ref.dispose();
  });

  it.each([
    { mode: 'concat', state: false, out: [null, 7, 6] },
    { mode: 'sum', state: false, out: [null, 7, 3] },
    { mode: 'none', state: false, out: [[null, 7, 3], [null, 7, 3]] },
    { mode: 'ave', state: true, out: [[null, 7, 3], [null, 3], [null, 3], [null, 3], [null, 3]] },
    { mode: 'none', state: true, out: [[null, 7, 3], [null, 7, 3], [null, 3], [null, 3], [null, 3], [null, 3]] },
  ] as const)('infers shapes: mergeMode $mode, returnState $state', ({ mode, state, out }) => {
    const bi = new Bidirectional({ layer: new LSTM({ units: 3, returnSequences: true, returnState: state }), mergeMode: mode }).build([null, 7, 2], rng(1));
    expect(bi.outputShape([null, 7, 2])).toEqual(out);
    const y = list(bi.apply(tf.zeros([1, 7, 2])));
    const shapes = (Array.isArray(out[0]) ? out : [out]) as unknown as (number | null)[][];
    expect(y.map((t) => t.shape)).toEqual(shapes.map((s) => s.map((d) => d ?? 1)));
    expect(bidirectionalOutputShape([null, 4], 'concat', false)).toEqual([null, 8]);
    bi.dispose();
  });

  it('owns a forward and a backward copy under stable keys', () => {
    const bi = new Bidirectional({ layer: new GRU({ units: 2, name: 'enc' }) }).build([null, 3, 4], rng(1));
    expect(Object.keys(bi.parameters())).toEqual([
      'forward.kernel', 'forward.recurrentKernel', 'forward.bias',
      'backward.kernel', 'backward.recurrentKernel', 'backward.bias',
    ]);
    expect([bi.backwardLayer.name, bi.backwardLayer.config.goBackwards, bi.backwardLayer instanceof GRU]).toEqual(['backward_enc', true, true]);
    // Different initial weights in the two directions (folded from different keys).
    expect(compareTensors(bi.forwardLayer.kernel!, bi.backwardLayer.kernel!, { atol: 0, rtol: 0 })).not.toBeNull();
    // An explicit backward layer of another cell type.
    const mixed = new Bidirectional({ layer: new LSTM({ units: 2 }), backwardLayer: new GRU({ units: 4, goBackwards: true }) });
    expect(mixed.apply(tf.ones([2, 3, 4])).shape).toEqual([2, 6]);
  });

  it('has gradients that match finite differences', () => {
    const bi = new Bidirectional({ layer: new SimpleRNN({ units: 2, returnSequences: true }), mergeMode: 'mul' }).build([null, 3, 2], rng(5));
    expect(checkModuleGradients(bi, rng(6).normalTensor([2, 3, 2]))).toBeNull();
  });

  it('merges with the named rule', () => {
    const a = tf.tensor([[1, 2]]);
    const b = tf.tensor([[3, 5]]);
    expect((mergeDirections(a, b, 'concat') as tf.Tensor).arraySync()).toEqual([[1, 2, 3, 5]]);
    expect((mergeDirections(a, b, 'sum') as tf.Tensor).arraySync()).toEqual([[4, 7]]);
    expect((mergeDirections(a, b, 'mul') as tf.Tensor).arraySync()).toEqual([[3, 10]]);
    expect((mergeDirections(a, b, 'ave') as tf.Tensor).arraySync()).toEqual([[2, 3.5]]);
    expect((mergeDirections(a, b, 'none') as tf.Tensor[]).map((t) => t.arraySync())).toEqual([[[1, 2]], [[3, 5]]]);
  });

  it('passes the mask on only with returnSequences', () => {
    const mask = tf.ones([2, 3], 'bool');
    expect(new Bidirectional({ layer: new LSTM({ units: 2, returnSequences: true }) }).computeMask(tf.zeros([2, 3, 1]), mask)).toBe(mask);
    expect(new Bidirectional({ layer: new LSTM({ units: 2 }) }).computeMask(tf.zeros([2, 3, 1]), mask)).toBeNull();
  });

  it('checks its configuration and initial states, naming the problem', () => {
    const msg = (config: object): string => {
      try {
        new Bidirectional({ name: 'bi', ...config } as never);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(msg({ layer: new Dense({ units: 2 }) })).toBe("Bidirectional 'bi': layer expected a recurrent layer (SimpleRNN, LSTM, GRU), got Dense 'dense'");
    expect(msg({ layer: new LSTM({ units: 2 }), mergeMode: 'max' })).toBe("Bidirectional 'bi': mergeMode expected one of concat, sum, mul, ave, none, got 'max'");
    expect(msg({ layer: new LSTM({ units: 2 }), backwardLayer: new LSTM({ units: 2 }) })).toBe(
      "Bidirectional 'bi': backwardLayer goBackwards expected true (the opposite of layer's), got false",
    );
    expect(msg({ layer: new LSTM({ units: 2 }), backwardLayer: new LSTM({ units: 2, goBackwards: true, returnSequences: true }) })).toBe(
      "Bidirectional 'bi': backwardLayer returnSequences expected false (as layer's), got true",
    );
    expect(msg({ layer: new LSTM({ units: 2 }), backwardLayer: new LSTM({ units: 3, goBackwards: true }), mergeMode: 'sum' })).toBe(
      "Bidirectional 'bi': backwardLayer units expected 2 (as layer's, for mergeMode 'sum'), got 3",
    );
    const bi = new Bidirectional({ layer: new LSTM({ units: 2 }), name: 'bi' });
    expect(() => bi.apply(tf.zeros([1, 3, 2]), { initialState: [tf.zeros([1, 2]), tf.zeros([1, 2])] })).toThrowError(
      new ShapeError("Bidirectional 'bi': initialState expected 4 tensors (forward [h, c], then backward [h, c]), got 2"),
    );
    expect(() => bi.apply(tf.zeros([1, 3]))).toThrowError(new ShapeError("LSTM 'lstm': input expected shape [batch, time, 2], got [1, 3]"));
  });

  it('does not leak in inference or under a gradient', async () => {
    const bi = new Bidirectional({ layer: new LSTM({ units: 2, returnSequences: true, returnState: true }), mergeMode: 'none' }).build([null, 3, 2], rng(1));
    const x = tf.ones([2, 3, 2]);
    const mask = tf.tensor([[1, 1, 0], [1, 1, 1]], [2, 3], 'bool');
    await expectNoLeaks(() => bi.apply(x, { mask }), 'Bidirectional apply');
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => tf.addN(bi.apply(x, { mask, training: true }).map((t) => tf.sum(t))) as tf.Scalar);
      tf.dispose([value, grads]);
    }, 'Bidirectional gradient');
  });
});
