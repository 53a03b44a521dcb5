import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { Module, PositionalEmbedding, Sequential, TransformerEncoderLayer, transformerEncoderLayer, transformerLayerOutputShape } from '@tensorloom/layers';
import type { ApplyOptions, TransformerLayerConfig } from '@tensorloom/layers';
import { checkModuleGradients, compareTensors, randomizeParameters } from '../internal/testing.js';
import { encoderRef, flat } from './internal/float64-reference.js';
import type { Arr3 } from './internal/float64-reference.js';

/** Binds a padding mask, so that the gradient checker (input → output) sees the masked layer. */
class WithMask extends Module {
  constructor(
    readonly inner: TransformerEncoderLayer,
    readonly mask: tf.Tensor,
  ) {
    super();
    this.addModule('inner', inner);
  }

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    return this.inner.apply(x, { ...options, mask: this.mask });
  }
}

const boolMask = (rows: boolean[][]): tf.Tensor => tf.tensor(rows.flat(), [rows.length, rows[0]!.length], 'bool');

function encoder(config: Partial<TransformerLayerConfig>, seed: number, d = 4): TransformerEncoderLayer {
  const layer = new TransformerEncoderLayer({ numHeads: 2, dimFeedforward: 6, dropout: 0, ...config }).build([null, 3, d], rng(seed));
  randomizeParameters(layer, seed + 1);
  return layer;
}

describe('TransformerEncoderLayer', () => {
  it.each([[null, 3, 4], [1, 3, 4], [2, 5, 6]])('keeps the shape [%s, %s, %s]', (...shape) => {
    const layer = new TransformerEncoderLayer({ numHeads: 2, dimFeedforward: 8 }).build(shape, rng(1));
    expect(layer.outputShape(shape)).toEqual(shape);
    expect(transformerLayerOutputShape(shape)).toEqual(shape);
    const y = layer.apply(tf.zeros(shape.map((d) => d ?? 2)));
    expect(y.shape).toEqual(shape.map((d) => d ?? 2));
    tf.dispose(y);
    layer.dispose();
  });

  it('names its parameters by sub-module: self_attn.query.kernel, ffn1.kernel, norm1.gamma, ...', () => {
    const layer = new TransformerEncoderLayer({ numHeads: 2, dimFeedforward: 8 }).build([null, 3, 4]);
    const shapes = Object.fromEntries(Object.entries(layer.parameters()).map(([k, v]) => [k, v.shape]));
    expect(shapes).toEqual({
      'self_attn.query.kernel': [4, 2, 2],
      'self_attn.query.bias': [2, 2],
      'self_attn.key.kernel': [4, 2, 2],
      'self_attn.key.bias': [2, 2],
      'self_attn.value.kernel': [4, 2, 2],
      'self_attn.value.bias': [2, 2],
      'self_attn.output.kernel': [2, 2, 4],
      'self_attn.output.bias': [4],
      'ffn1.kernel': [4, 8],
      'ffn1.bias': [8],
      'ffn2.kernel': [8, 4],
      'ffn2.bias': [4],
      'norm1.gamma': [4],
      'norm1.beta': [4],
      'norm2.gamma': [4],
      'norm2.beta': [4],
    });
    expect(layer.config).toMatchObject({ dropout: 0.1, activation: 'relu', normFirst: false, layerNormEps: 1e-5 });
  });

  it.each([
    { normFirst: false, activation: 'relu' as const, masked: false },
    { normFirst: false, activation: 'gelu' as const, masked: true },
    { normFirst: true, activation: 'relu' as const, masked: true },
    { normFirst: true, activation: 'gelu' as const, masked: false },
  ])('matches the float64 reference: normFirst $normFirst, $activation, masked $masked', ({ normFirst, activation, masked }) => {
    const layer = encoder({ normFirst, activation, layerNormEps: 1e-5 }, 10);
    const x = rng(12).normalTensor([2, 3, 4]);
    const keep = [[true, true, false], [true, false, true]];
    const y = layer.apply(x, { mask: masked ? boolMask(keep) : null });
    const ref = encoderRef(layer.parameters(), x.arraySync() as Arr3, { normFirst, eps: 1e-5, activation }, masked ? keep : null);
    expect(compareTensors(y, flat(ref))).toBeNull();
  });

  it('ignores what sits at padded positions: real positions do not change', () => {
    const layer = encoder({}, 20);
    const mask = boolMask([[true, true, false], [true, true, true]]);
    const x = rng(22).normalTensor([2, 3, 4]);
    const changed = tf.add(x, tf.mul(tf.tensor([0, 0, 1], [1, 3, 1]), 5)); // only position 2 moves
    const a = layer.apply(x, { mask }).arraySync() as number[][][];
    const b = layer.apply(changed, { mask }).arraySync() as number[][][];
    expect(a[0]!.slice(0, 2)).toEqual(b[0]!.slice(0, 2));
    expect(a[1]![0]).not.toEqual(b[1]![0]); // sample 1 attends to position 2
  });

  it.each([{ normFirst: false }, { normFirst: true }])(
    'has gradients that match finite differences (input and every parameter, key mask), normFirst $normFirst',
    ({ normFirst }) => {
      const layer = encoder({ normFirst, activation: 'gelu' }, 30);
      const mask = boolMask([[true, true, false], [true, true, true]]);
      const wrapped = new WithMask(layer, mask).build([2, 3, 4]);
      // Every element of the input, up to 8 of each parameter tensor (all 16 tensors covered), to keep the suite quick.
      expect(checkModuleGradients(wrapped, rng(32).normalTensor([2, 3, 4]), { maxElements: 8 })).toBeNull();
    },
  );

  it('applies seeded dropout in training only', () => {
    const x = rng(40).normalTensor([2, 3, 4]);
    const make = () => encoder({ dropout: 0.3 }, 41);
    const layer = make();
    const inference = layer.apply(x);
    const first = layer.apply(x, { training: true });
    expect(compareTensors(first, inference)).not.toBeNull();
    expect(compareTensors(layer.apply(x, { training: true }), first)).not.toBeNull();
    expect(compareTensors(make().apply(x, { training: true }), first, { atol: 0, rtol: 0 })).toBeNull();
    const noDropout = encoder({ dropout: 0 }, 41);
    expect(compareTensors(noDropout.apply(x, { training: true }), inference, { atol: 0, rtol: 0 })).toBeNull();
  });

  it('takes the padding mask through Sequential and trains: loss falls on a tiny batch', () => {
    const model = new Sequential([new PositionalEmbedding({ maxLength: 3 }), new TransformerEncoderLayer({ numHeads: 2, dimFeedforward: 8, dropout: 0, normFirst: true })]).build(
      [null, 3, 4],
      rng(50),
    );
    const x = rng(51).normalTensor([2, 3, 4]);
    const target = rng(52).normalTensor([2, 3, 4]);
    const mask = boolMask([[true, true, false], [true, true, true]]);
    const optimizer = tf.train.adam(0.05);
    const loss = () => tf.mean(tf.square(tf.sub(model.apply(x, { mask, training: true }), target))) as tf.Scalar;
    const first = loss().dataSync()[0]!;
    for (let i = 0; i < 25; i++) optimizer.minimize(loss, false, Object.values(model.trainableParameters()));
    expect(loss().dataSync()[0]!).toBeLessThan(first * 0.3);
    optimizer.dispose();
  });

  it('does not leak in inference, in training or under a gradient', async () => {
    const layer = encoder({ dropout: 0.2 }, 60);
    const x = rng(61).normalTensor([2, 3, 4]);
    const mask = boolMask([[true, true, false], [true, true, true]]);
    await expectNoLeaks(() => layer.apply(x, { mask }).dispose(), 'encoder apply');
    await expectNoLeaks(() => layer.apply(x, { mask, training: true }).dispose(), 'encoder training');
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x, { mask, training: true })) as tf.Scalar);
      tf.dispose([value, grads]);
    }, 'encoder gradient');
  });

  it('names itself and the expected value in errors', () => {
    const base = { numHeads: 2, dimFeedforward: 8, name: 'enc' };
    expect(() => new TransformerEncoderLayer({ ...base, numHeads: 0 })).toThrowError(new ConfigError("TransformerEncoderLayer 'enc': numHeads expected a positive integer, got 0"));
    expect(() => new TransformerEncoderLayer({ ...base, dimFeedforward: 2.5 })).toThrowError(
      new ConfigError("TransformerEncoderLayer 'enc': dimFeedforward expected a positive integer, got 2.5"),
    );
    expect(() => new TransformerEncoderLayer({ ...base, dropout: -0.1 })).toThrowError(new ConfigError("TransformerEncoderLayer 'enc': rate expected a number in [0, 1), got -0.1"));
    expect(() => new TransformerEncoderLayer({ ...base, layerNormEps: 0 })).toThrowError(new ConfigError("TransformerEncoderLayer 'enc': layerNormEps expected a positive number, got 0"));
    expect(() => new TransformerEncoderLayer({ ...base, activation: 'nope' as never })).toThrowError(/^TransformerEncoderLayer 'enc': activation expected one of linear, relu/);
    expect(() => new TransformerEncoderLayer({ ...base, numHeads: 3 }).build([null, 5, 4])).toThrowError(
      new ShapeError("TransformerEncoderLayer 'enc': input features expected a multiple of numHeads 3, got 4", {
        help: 'each head attends over dModel / numHeads features; change numHeads or project the input first',
      }),
    );
    expect(() => new TransformerEncoderLayer(base).build([null, 4])).toThrowError(
      new ShapeError("TransformerEncoderLayer 'enc': input expected rank 3 [batch, time, dModel] with known dModel, got [null, 4]"),
    );
    expect(() => new TransformerEncoderLayer(base).weights()).toThrowError("TransformerEncoderLayer 'enc': weights need a built module");
    const layer = new TransformerEncoderLayer(base).build([null, 3, 4]);
    expect(() => layer.apply(tf.zeros([2, 3, 6]))).toThrowError(new ShapeError("TransformerEncoderLayer 'enc': input axis 2 expected 4, got shape [2, 3, 6]"));
    expect(() => layer.apply(tf.zeros([2, 4]))).toThrowError(new ShapeError("TransformerEncoderLayer 'enc': input must be rank 3 [batch, time, dModel], got [2, 4]"));
    expect(() => layer.apply(tf.zeros([2, 3, 4]), { mask: tf.ones([2, 4]) })).toThrowError(
      new ShapeError("TransformerEncoderLayer 'enc': mask axis 1 expected 3, got shape [2, 4]"),
    );
  });

  it('exposes the pure forward function', () => {
    const layer = encoder({ normFirst: true }, 70);
    const x = rng(71).normalTensor([1, 3, 4]);
    const y = transformerEncoderLayer(x, layer.weights(), { normFirst: true });
    expect(compareTensors(y, layer.apply(x), { atol: 0, rtol: 0 })).toBeNull();
  });
});
