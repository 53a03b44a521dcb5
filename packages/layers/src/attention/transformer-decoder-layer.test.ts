import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { Module, TransformerDecoderLayer, transformerDecoderLayer } from '@tensorloom/layers';
import type { ApplyOptions, TransformerLayerConfig } from '@tensorloom/layers';
import { checkFunctionGradients, checkModuleGradients, compareTensors, randomizeParameters } from '../internal/testing.js';
import { decoderRef, flat } from './internal/float64-reference.js';
import type { Arr3 } from './internal/float64-reference.js';

const boolMask = (rows: boolean[][]): tf.Tensor => tf.tensor(rows.flat(), [rows.length, rows[0]!.length], 'bool');

/** A decoder over T = 3 targets of dModel 4 and S = 2 memory steps of `memoryFeatures`. */
function decoder(config: Partial<TransformerLayerConfig>, seed: number, memoryFeatures = 4): TransformerDecoderLayer {
  const layer = new TransformerDecoderLayer({ numHeads: 2, dimFeedforward: 6, dropout: 0, ...config }).build(
    { target: [null, 3, 4], memory: [null, 2, memoryFeatures] },
    rng(seed),
  );
  randomizeParameters(layer, seed + 1);
  return layer;
}

/** Binds the memory and masks, so that the gradient checker (target → output) sees the whole layer. */
class WithMemory extends Module {
  constructor(
    readonly inner: TransformerDecoderLayer,
    readonly memory: tf.Tensor,
    readonly targetMask: tf.Tensor,
    readonly memoryMask: tf.Tensor,
  ) {
    super();
    this.addModule('inner', inner);
  }

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    return this.inner.apply({ target: x, memory: this.memory }, { ...options, mask: this.targetMask, memoryMask: this.memoryMask });
  }
}

describe('TransformerDecoderLayer', () => {
  it.each([
    { target: [null, 3, 4], memory: [null, 5, 4] },
    { target: [1, 2, 4], memory: [1, 6, 3] },
  ])('keeps the target shape $target (memory $memory)', (input) => {
    const layer = new TransformerDecoderLayer({ numHeads: 2, dimFeedforward: 8 }).build(input, rng(1));
    expect(layer.outputShape(input)).toEqual(input.target);
    const y = layer.apply({ target: tf.zeros(input.target.map((d) => d ?? 2)), memory: tf.zeros(input.memory.map((d) => d ?? 2)) });
    expect(y.shape).toEqual(input.target.map((d) => d ?? 2));
    tf.dispose(y);
    layer.dispose();
  });

  it('names its parameters by sub-module; cross-attention reads memory features', () => {
    const layer = new TransformerDecoderLayer({ numHeads: 2, dimFeedforward: 8 }).build({ target: [null, 3, 4], memory: [null, 5, 6] });
    const shapes = Object.fromEntries(Object.entries(layer.parameters()).map(([k, v]) => [k, v.shape]));
    expect(Object.keys(shapes)).toEqual([
      ...['query', 'key', 'value', 'output'].flatMap((p) => [`self_attn.${p}.kernel`, `self_attn.${p}.bias`]),
      ...['query', 'key', 'value', 'output'].flatMap((p) => [`cross_attn.${p}.kernel`, `cross_attn.${p}.bias`]),
      'ffn1.kernel', 'ffn1.bias', 'ffn2.kernel', 'ffn2.bias',
      'norm1.gamma', 'norm1.beta', 'norm2.gamma', 'norm2.beta', 'norm3.gamma', 'norm3.beta',
    ]);
    expect(shapes['cross_attn.query.kernel']).toEqual([4, 2, 2]);
    expect(shapes['cross_attn.key.kernel']).toEqual([6, 2, 2]);
    expect(shapes['cross_attn.value.kernel']).toEqual([6, 2, 2]);
    expect(shapes['cross_attn.output.kernel']).toEqual([2, 2, 4]);
    expect(shapes['ffn2.kernel']).toEqual([8, 4]);
  });

  it.each([
    { normFirst: false, activation: 'relu' as const, masked: true, memoryFeatures: 4 },
    { normFirst: false, activation: 'gelu' as const, masked: false, memoryFeatures: 3 },
    { normFirst: true, activation: 'gelu' as const, masked: true, memoryFeatures: 5 },
    { normFirst: true, activation: 'relu' as const, masked: false, memoryFeatures: 4 },
  ])('matches the float64 reference: normFirst $normFirst, $activation, masked $masked, memory features $memoryFeatures', (c) => {
    const layer = decoder({ normFirst: c.normFirst, activation: c.activation }, 10, c.memoryFeatures);
    const target = rng(12).normalTensor([2, 3, 4]);
    const memory = rng(13).normalTensor([2, 2, c.memoryFeatures]);
    const targetKeep = [[true, true, false], [true, true, true]];
    const memoryKeep = [[true, false], [true, true]];
    const y = layer.apply({ target, memory }, c.masked ? { mask: boolMask(targetKeep), memoryMask: boolMask(memoryKeep) } : {});
    const ref = decoderRef(
      layer.parameters(),
      target.arraySync() as Arr3,
      memory.arraySync() as Arr3,
      { normFirst: c.normFirst, eps: 1e-5, activation: c.activation },
      c.masked ? targetKeep : null,
      c.masked ? memoryKeep : null,
    );
    expect(compareTensors(y, flat(ref))).toBeNull();
  });

  it('is causal: a later target step never changes earlier outputs; masked memory steps are ignored', () => {
    const layer = decoder({}, 20);
    const target = rng(21).normalTensor([1, 3, 4]);
    const memory = rng(22).normalTensor([1, 2, 4]);
    const memoryMask = boolMask([[true, false]]);
    const base = layer.apply({ target, memory }, { memoryMask }).arraySync() as number[][][];
    const laterChanged = tf.add(target, tf.mul(tf.tensor([0, 0, 1], [1, 3, 1]), 3));
    const a = layer.apply({ target: laterChanged, memory }, { memoryMask }).arraySync() as number[][][];
    expect(a[0]!.slice(0, 2)).toEqual(base[0]!.slice(0, 2));
    expect(a[0]![2]).not.toEqual(base[0]![2]);
    const memoryChanged = tf.add(memory, tf.mul(tf.tensor([0, 1], [1, 2, 1]), 3)); // only the masked step
    expect(layer.apply({ target, memory: memoryChanged }, { memoryMask }).arraySync()).toEqual(base);
  });

  it.each([{ normFirst: false }, { normFirst: true }])(
    'has gradients that match finite differences (target and every parameter, both masks), normFirst $normFirst',
    ({ normFirst }) => {
      const layer = decoder({ normFirst, activation: 'gelu' }, 30, 3);
      const memory = rng(31).normalTensor([2, 2, 3]);
      const wrapped = new WithMemory(layer, memory, boolMask([[true, true, false], [true, true, true]]), boolMask([[true, false], [true, true]])).build([2, 3, 4]);
      // Up to 8 elements of the input and of each parameter tensor (all 26 tensors covered), to keep the suite quick.
      expect(checkModuleGradients(wrapped, rng(32).normalTensor([2, 3, 4]), { maxElements: 8 })).toBeNull();
    },
  );

  it('has gradients w.r.t. the memory that match finite differences', () => {
    const layer = decoder({ activation: 'gelu' }, 35, 3);
    const target = rng(36).normalTensor([2, 3, 4]);
    const f = (m: tf.Tensor): tf.Tensor => layer.apply({ target, memory: m }, { memoryMask: boolMask([[true, true], [false, true]]) });
    expect(checkFunctionGradients(f, [rng(37).normalTensor([2, 2, 3])])).toBeNull();
  });

  it('applies seeded dropout in training only', () => {
    const target = rng(40).normalTensor([2, 3, 4]);
    const memory = rng(41).normalTensor([2, 2, 4]);
    const make = () => decoder({ dropout: 0.3 }, 42);
    const layer = make();
    const inference = layer.apply({ target, memory });
    const first = layer.apply({ target, memory }, { training: true });
    expect(compareTensors(first, inference)).not.toBeNull();
    expect(compareTensors(layer.apply({ target, memory }, { training: true }), first)).not.toBeNull();
    expect(compareTensors(make().apply({ target, memory }, { training: true }), first, { atol: 0, rtol: 0 })).toBeNull();
  });

  it('does not leak in inference, in training or under a gradient', async () => {
    const layer = decoder({ dropout: 0.2 }, 60);
    const input = { target: rng(61).normalTensor([2, 3, 4]), memory: rng(62).normalTensor([2, 2, 4]) };
    const options = { mask: boolMask([[true, true, false], [true, true, true]]), memoryMask: boolMask([[true, false], [true, true]]) };
    await expectNoLeaks(() => layer.apply(input, options).dispose(), 'decoder apply');
    await expectNoLeaks(() => layer.apply(input, { ...options, training: true }).dispose(), 'decoder training');
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(input, { ...options, training: true })) as tf.Scalar);
      tf.dispose([value, grads]);
    }, 'decoder gradient');
  });

  it('names itself and the expected value in errors', () => {
    const base = { numHeads: 2, dimFeedforward: 8, name: 'dec' };
    expect(() => new TransformerDecoderLayer({ ...base, numHeads: -1 })).toThrowError(new ConfigError("TransformerDecoderLayer 'dec': numHeads expected a positive integer, got -1"));
    expect(() => new TransformerDecoderLayer({ ...base, dropout: 1 })).toThrowError(new ConfigError("TransformerDecoderLayer 'dec': rate expected a number in [0, 1), got 1"));
    expect(() => new TransformerDecoderLayer({ ...base, numHeads: 3 }).build({ target: [null, 3, 4], memory: [null, 2, 4] })).toThrowError(
      new ShapeError("TransformerDecoderLayer 'dec': target features expected a multiple of numHeads 3, got 4", {
        help: 'each head attends over dModel / numHeads features; change numHeads or project the input first',
      }),
    );
    expect(() => new TransformerDecoderLayer(base).build({ target: [null, 3, 4], memory: [null, 2] })).toThrowError(
      new ShapeError("TransformerDecoderLayer 'dec': memory expected rank 3 [batch, time, features] with known features, got [null, 2]"),
    );
    expect(() => new TransformerDecoderLayer(base).weights()).toThrowError("TransformerDecoderLayer 'dec': weights need a built module");
    const layer = new TransformerDecoderLayer(base).build({ target: [null, 3, 4], memory: [null, 2, 6] });
    const [target, memory] = [tf.zeros([2, 3, 4]), tf.zeros([2, 2, 6])];
    expect(() => layer.apply({ target: tf.zeros([2, 3, 2]), memory })).toThrowError(new ShapeError("TransformerDecoderLayer 'dec': target axis 2 expected 4, got shape [2, 3, 2]"));
    expect(() => layer.apply({ target, memory: tf.zeros([2, 2, 4]) })).toThrowError(new ShapeError("TransformerDecoderLayer 'dec': memory axis 2 expected 6, got shape [2, 2, 4]"));
    expect(() => layer.apply({ target, memory: tf.zeros([3, 2, 6]) })).toThrowError(
      new ShapeError("TransformerDecoderLayer 'dec': memory batch expected 2 (the target's), got shape [3, 2, 6]"),
    );
    expect(() => layer.apply({ target, memory: tf.zeros([2, 6]) })).toThrowError(
      new ShapeError("TransformerDecoderLayer 'dec': memory must be rank 3 [batch, sourceLength, features], got [2, 6]"),
    );
    expect(() => layer.apply({ target, memory }, { mask: tf.ones([2, 2]) })).toThrowError(new ShapeError("TransformerDecoderLayer 'dec': mask axis 1 expected 3, got shape [2, 2]"));
    expect(() => layer.apply({ target, memory }, { memoryMask: tf.ones([2, 3]) })).toThrowError(
      new ShapeError("TransformerDecoderLayer 'dec': memoryMask axis 1 expected 2, got shape [2, 3]"),
    );
  });

  it('exposes the pure forward function', () => {
    const layer = decoder({ normFirst: true }, 70);
    const [target, memory] = [rng(71).normalTensor([1, 3, 4]), rng(72).normalTensor([1, 2, 4])];
    const y = transformerDecoderLayer(target, memory, layer.weights(), { normFirst: true });
    expect(compareTensors(y, layer.apply({ target, memory }), { atol: 0, rtol: 0 })).toBeNull();
  });
});
