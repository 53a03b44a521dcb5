import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DTypeError, FormatError, ShapeError, readSafetensors, readSafetensorsHeader, rng, tf, writeSafetensors } from '@tensorloom/core';
import type { SafetensorsValue } from '@tensorloom/core';
import {
  BatchNorm, Bidirectional, Conv1D, Conv2D, Conv2DTranspose, Dense, DepthwiseConv2D, Embedding, GroupNorm, GRU, InstanceNorm, LayerNorm, LSTM, MultiAxisDense, MultiHeadAttention,
  SeparableConv2D, Sequential, SimpleRNN, TransformerDecoderLayer, TransformerEncoderLayer,
} from '@tensorloom/layers';
import type { Module } from '@tensorloom/layers';
import { fromPyTorchStateDict, readPyTorchSafetensors, toPyTorchStateDict, writePyTorchSafetensors } from '@tensorloom/interop';
import { maxExcess, randomizeState } from '../internal/testing.js';

// Written by __fixtures__/make-torch-layers.py (PyTorch 2.13).
const fixture = readSafetensors(new Uint8Array(readFileSync(new URL('./__fixtures__/torch-layers.safetensors', import.meta.url)))).tensors;

/** Our input from PyTorch's (NCL / NCHW → channels last) and PyTorch's output layout from ours. */
type Layout = 'same' | 'ncl' | 'nchw';
const toOurs = (t: tf.Tensor, layout: Layout): tf.Tensor => (layout === 'ncl' ? tf.transpose(t, [0, 2, 1]) : layout === 'nchw' ? tf.transpose(t, [0, 2, 3, 1]) : t.clone());
const toTorch = (t: tf.Tensor, layout: Layout): tf.Tensor => (layout === 'ncl' ? tf.transpose(t, [0, 2, 1]) : layout === 'nchw' ? tf.transpose(t, [0, 3, 1, 2]) : t.clone());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModule = Module<any, any>;
interface Case {
  name: string;
  layout: Layout;
  make: () => AnyModule;
  run: (m: AnyModule, x: tf.Tensor) => tf.Tensor;
  names?: Record<string, string>;
}
const plain = (m: AnyModule, x: tf.Tensor): tf.Tensor => m.apply(x) as tf.Tensor;
const cases: Case[] = [
  { name: 'linear', layout: 'same', make: () => new Dense({ units: 3 }).build([null, 5]), run: plain },
  { name: 'conv1d', layout: 'ncl', make: () => new Conv1D({ filters: 4, kernelSize: 3, dilationRate: 2 }).build([null, 9, 3]), run: plain },
  { name: 'conv2d', layout: 'nchw', make: () => new Conv2D({ filters: 4, kernelSize: 3, strides: 2 }).build([null, 7, 7, 3]), run: plain },
  { name: 'conv_transpose2d', layout: 'nchw', make: () => new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2 }).build([null, 4, 5, 3]), run: plain },
  { name: 'depthwise', layout: 'nchw', make: () => new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2 }).build([null, 6, 6, 3]), run: plain },
  { name: 'separable', layout: 'nchw', make: () => new SeparableConv2D({ filters: 4, kernelSize: 3, depthMultiplier: 2 }).build([null, 6, 6, 3]), run: plain },
  { name: 'batch_norm', layout: 'nchw', make: () => new BatchNorm({ epsilon: 1e-5 }).build([null, 3, 3, 4]), run: plain },
  { name: 'layer_norm', layout: 'same', make: () => new LayerNorm({ epsilon: 1e-5 }).build([null, 3, 6]), run: plain },
  { name: 'embedding', layout: 'same', make: () => new Embedding({ inputDim: 10, outputDim: 4 }).build([null, 3]), run: plain },
  { name: 'lstm', layout: 'same', make: () => new LSTM({ units: 4, returnSequences: true }).build([null, 5, 3]), run: plain },
  { name: 'gru', layout: 'same', make: () => new GRU({ units: 4, returnSequences: true, resetAfter: true }).build([null, 5, 3]), run: plain },
  { name: 'rnn', layout: 'same', make: () => new SimpleRNN({ units: 4, returnSequences: true }).build([null, 5, 3]), run: plain },
  { name: 'bilstm', layout: 'same', make: () => new Bidirectional({ layer: new LSTM({ units: 4, returnSequences: true }) }).build([null, 5, 3]), run: plain },
  {
    name: 'bigru', layout: 'same',
    make: () => new Bidirectional({ layer: new GRU({ units: 2, returnSequences: true, resetAfter: true }) }).build([null, 5, 3]), run: plain,
  },
  {
    name: 'attention', layout: 'same', names: { '': 'attn' },
    make: () => new MultiHeadAttention({ numHeads: 2 }).build({ query: [null, 4, 8], value: [null, 4, 8] }),
    run: (m, x) => (m as MultiHeadAttention).apply({ query: x, value: x }),
  },
  { name: 'encoder', layout: 'same', make: () => new TransformerEncoderLayer({ numHeads: 2, dimFeedforward: 16 }).build([null, 4, 8]), run: plain },
  {
    name: 'decoder', layout: 'same', names: { '': 'layer' },
    make: () => new TransformerDecoderLayer({ numHeads: 2, dimFeedforward: 16 }).build({ target: [null, 3, 8], memory: [null, 4, 8] }),
    run: (m, x) => (m as TransformerDecoderLayer).apply({ target: tf.slice(x, [0, 0, 0], [-1, 3, -1]), memory: tf.slice(x, [0, 3, 0], [-1, -1, -1]) }),
  },
  { name: 'batch_norm1d', layout: 'same', make: () => new BatchNorm({ epsilon: 1e-5 }).build([null, 5]), run: plain },
  { name: 'linear_no_bias', layout: 'same', make: () => new Dense({ units: 3, useBias: false }).build([null, 5]), run: plain },
  {
    name: 'encoder_norm_first', layout: 'same',
    make: () => new TransformerEncoderLayer({ numHeads: 2, dimFeedforward: 16, normFirst: true }).build([null, 4, 8]), run: plain,
  },
  { name: 'group_norm', layout: 'nchw', make: () => new GroupNorm({ groups: 2, epsilon: 1e-5 }).build([null, 3, 3, 4]), run: plain },
  { name: 'instance_norm', layout: 'nchw', make: () => new InstanceNorm({ epsilon: 1e-5 }).build([null, 3, 3, 4]), run: plain },
];

/** The fixture's tensors of one case, with the case prefix removed. */
function stateOf(name: string): Record<string, tf.Tensor> {
  const prefix = `${name}.`;
  return Object.fromEntries(Object.entries(fixture).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
}

/** Cases whose two PyTorch biases become one of ours (exported as the sum and zeros). */
const SUMMED = ['lstm', 'rnn', 'bilstm'];

const tensorOf = (v: SafetensorsValue): tf.Tensor => (v instanceof tf.Tensor ? v : (v as { tensor: tf.Tensor }).tensor);

describe('PyTorch state dicts', () => {
  for (const c of cases) {
    it(`${c.name}: our import reproduces PyTorch's output, our export gives back its state dict`, () => {
      const model = c.make();
      const torchState = stateOf(c.name);
      fromPyTorchStateDict(model, torchState, { names: c.names ?? {}, source: c.name });
      const x = toOurs(fixture[`__input__.${c.name}`]!, c.layout);
      const y = tf.tidy(() => toTorch(c.run(model, x), c.layout));
      const expected = fixture[`__output__.${c.name}`]!;
      expect(y.shape).toEqual(expected.shape);
      expect(maxExcess(y, expected, 1e-4)).toBeLessThanOrEqual(1e-5);

      const back = toPyTorchStateDict(model, { names: c.names ?? {} });
      expect(Object.keys(back).sort()).toEqual(Object.keys(torchState).sort()); // what strict loading needs
      for (const [k, v] of Object.entries(back)) {
        const t = tensorOf(v);
        expect(t.shape, k).toEqual(torchState[k]!.shape);
        if (k.endsWith('num_batches_tracked')) continue;
        if (SUMMED.includes(c.name) && k.startsWith('bias_')) continue;
        expect(maxExcess(t, torchState[k]!, 0), k).toBeLessThanOrEqual(1e-6);
      }
      if (SUMMED.includes(c.name)) {
        // Our LSTM and RNN hold one bias: PyTorch's two always meet as a sum, so the export
        // writes the sum as bias_ih_l0 and zeros as bias_hh_l0.
        for (const suffix of c.name === 'bilstm' ? ['', '_reverse'] : ['']) {
          const sum = (d: Record<string, tf.Tensor>): tf.Tensor => tf.add(d[`bias_ih_l0${suffix}`]!, d[`bias_hh_l0${suffix}`]!);
          const [ours, theirs] = [sum(back as Record<string, tf.Tensor>), sum(torchState)];
          expect(maxExcess(ours, theirs, 0)).toBeLessThanOrEqual(1e-6);
          expect(Array.from(tensorOf(back[`bias_hh_l0${suffix}`]!).dataSync()).every((v) => v === 0)).toBe(true);
          tf.dispose([ours, theirs]);
        }
      }
      dumpForPython(c, model);
      tf.dispose([x, y, ...Object.values(back).map(tensorOf)]);
      model.dispose();
    });
  }

  it('writes num_batches_tracked as I64 and reads F16 checkpoints', () => {
    const bn = new BatchNorm().build([null, 4]);
    randomizeState(bn, 1);
    const header = readSafetensorsHeader(writePyTorchSafetensors(bn));
    expect(header.entries.get('num_batches_tracked')).toMatchObject({ dtype: 'I64', shape: [] });
    expect(header.metadata).toEqual({ format: 'pt' });
    const copy = new BatchNorm().build([null, 4]);
    readPyTorchSafetensors(copy, writePyTorchSafetensors(bn, { floatDtype: 'F16' }));
    expect(maxExcess(copy.state().movingMean!, bn.state().movingMean!, 1e-3)).toBeLessThanOrEqual(0);
    bn.dispose();
    copy.dispose();
  });

  it('maps a Sequential to nn.Sequential indices with a name map', () => {
    const model = new Sequential([new Dense({ units: 3, activation: 'relu' }), new Dense({ units: 2 })]).build([null, 4], rng(1));
    const names = { dense: '0', dense_1: '2' };
    const dict = toPyTorchStateDict(model, { names });
    expect(Object.keys(dict)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const copy = new Sequential([new Dense({ units: 3, activation: 'relu' }), new Dense({ units: 2 })]).build([null, 4], rng(2));
    fromPyTorchStateDict(copy, dict as Record<string, tf.Tensor>, { names });
    const x = rng(3).normalTensor([2, 4]);
    const [a, b] = [model.apply(x), copy.apply(x)];
    expect(maxExcess(a, b, 0)).toBe(0);
    tf.dispose([x, a, b, ...Object.values(dict).map(tensorOf)]);
    model.dispose();
    copy.dispose();
  });

  it('names a missing, extra or misshapen tensor and leaves the model unchanged', () => {
    const model = new Sequential([new Conv2D({ filters: 4, kernelSize: 3 }), new BatchNorm()], { name: 'net' }).build([null, 5, 5, 3], rng(1));
    const before = Object.fromEntries(Object.entries(model.state()).map(([k, v]) => [k, Array.from(v.dataSync())]));
    const good = toPyTorchStateDict(model) as Record<string, tf.Tensor>;
    const numTensors = tf.memory().numTensors;
    const { 'batch_norm.running_var': _dropped, ...missing } = good;
    expect(() => fromPyTorchStateDict(model, missing, { source: 'net.safetensors' })).toThrowError(
      /^fromPyTorchStateDict 'net.safetensors': tensor 'batch_norm.running_var' is missing \(expected shape \[4\]\)/,
    );
    const wrong = { ...good, 'conv2d.weight': tf.zeros([3, 3, 3, 4]) };
    expect(() => fromPyTorchStateDict(model, wrong)).toThrowError(
      new ShapeError("fromPyTorchStateDict '<state dict>': tensor 'conv2d.weight' expected shape [4, 3, 3, 3], got [3, 3, 3, 4]"),
    );
    wrong['conv2d.weight'].dispose();
    const ints = { ...good, 'conv2d.bias': tf.zeros([4], 'int32') };
    expect(() => fromPyTorchStateDict(model, ints)).toThrowError(
      new DTypeError("fromPyTorchStateDict '<state dict>': tensor 'conv2d.bias' expected a float dtype (F32, F16, BF16, F64), got int32"),
    );
    ints['conv2d.bias'].dispose();
    const extra = { ...good, 'fc.weight': good['conv2d.bias']! };
    expect(() => fromPyTorchStateDict(model, extra)).toThrowError("tensor 'fc.weight' has no counterpart in Sequential 'net'");
    expect(tf.memory().numTensors).toBe(numTensors);
    for (const [k, v] of Object.entries(model.state())) expect(Array.from(v.dataSync()), k).toEqual(before[k]);
    expect(() => toPyTorchStateDict(new GRU({ units: 2, name: 'g' }).build([null, 3, 2]))).toThrowError(
      new ConfigError("toPyTorchStateDict: layer '' (GRU) has no PyTorch equivalent: PyTorch GRU is the resetAfter form; build the GRU with resetAfter: true"),
    );
    expect(() => readPyTorchSafetensors(model, new TextEncoder().encode('{"not": "safetensors"}'), { source: 'x.pt' })).toThrowError(
      /safetensors 'x.pt': not a safetensors file/,
    );
    tf.dispose(Object.values(good));
    model.dispose();
  });

  it('names a truncated file, a layer with no mapping, and an input of the wrong kind; the model is unchanged', () => {
    const model = new Sequential([new Conv2D({ filters: 4, kernelSize: 3 }), new BatchNorm()], { name: 'net' }).build([null, 5, 5, 3], rng(1));
    const before = Object.fromEntries(Object.entries(model.state()).map(([k, v]) => [k, Array.from(v.dataSync())]));
    const other = new Sequential([new Conv2D({ filters: 4, kernelSize: 3 }), new BatchNorm()], { name: 'net' }).build([null, 5, 5, 3], rng(2));
    const bytes = writePyTorchSafetensors(other);
    other.dispose();
    const numTensors = tf.memory().numTensors;
    expect(() => readPyTorchSafetensors(model, bytes.subarray(0, bytes.length - 10), { source: 'net.safetensors' })).toThrowError(
      new FormatError("safetensors 'net.safetensors': file is truncated: entry 'conv2d.weight' ends at data byte 520, but the data section has 510 bytes"),
    );
    expect(() => readPyTorchSafetensors(model, new Uint8Array([1, 2, 3]), { source: 'tiny.bin' })).toThrowError(/^safetensors 'tiny.bin': /);
    expect(tf.memory().numTensors).toBe(numTensors);
    for (const [k, v] of Object.entries(model.state())) expect(Array.from(v.dataSync()), k).toEqual(before[k]);
    const grouped = new Sequential([new Dense({ units: 4 }), new MultiAxisDense({ units: [2, 3], name: 'heads' })]).build([null, 3], rng(1));
    expect(() => toPyTorchStateDict(grouped)).toThrowError(/^toPyTorchStateDict: layer 'heads' \(MultiAxisDense\) has no PyTorch mapping\nhelp: layers with a mapping: Dense \(Linear\), /);
    expect(() => fromPyTorchStateDict(grouped, {}, { source: 'heads.safetensors' })).toThrowError("fromPyTorchStateDict 'heads.safetensors': layer 'heads' (MultiAxisDense) has no PyTorch mapping");
    expect(() => fromPyTorchStateDict(new Dense({ units: 2 }), {})).toThrowError("fromPyTorchStateDict '<state dict>': model Dense 'dense' expected a built model, got an unbuilt one");
    grouped.dispose();
    model.dispose();
  });
});

/** With TENSORLOOM_TORCH_DUMP set: our export of a fresh layer, its input and output, for make-torch-layers.py --check-export. */
function dumpForPython(c: Case, loaded: AnyModule): void {
  const dir = process.env.TENSORLOOM_TORCH_DUMP;
  if (dir === undefined || dir === '') return;
  const model = c.make();
  randomizeState(model, 11);
  const x = fixture[`__input__.${c.name}`]!;
  const y = tf.tidy(() => toTorch(c.run(model, toOurs(x, c.layout)), c.layout));
  const dict = toPyTorchStateDict(model, { names: c.names ?? {} });
  mkdirSync(dir, { recursive: true });
  const input: SafetensorsValue = x.dtype === 'int32' ? { tensor: x, dtype: 'I64' } : x;
  writeFileSync(join(dir, `${c.name}.safetensors`), writeSafetensors({ ...dict, __input__: input, __output__: y }));
  tf.dispose([y, ...Object.values(dict).map(tensorOf)]);
  model.dispose();
  void loaded;
}
