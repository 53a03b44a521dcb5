import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DTypeError, FormatError, ShapeError, rng, tf } from '@tensorloom/core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  BatchNorm, Bidirectional, Conv2D, Dense, Dropout, Embedding, Flatten, GroupNorm, GRU, LayerNorm, LSTM, MaxPool2D, Sequential, TimeDistributed,
} from '@tensorloom/layers';
import { fromTfjsLayers, toTfjsLayers } from '@tensorloom/interop';
import { loadTfjsLayersModel, saveTfjsLayersModel } from '@tensorloom/interop/node';
import { maxExcess, randomizeState } from '../internal/testing.js';
import { artifactsOf, randomizeTfjs } from '../../test/tfjs-layers.js';


const L = tfl.layers;
const imports: { name: string; make: () => tfl.layers.Layer[]; shape: number[]; ints?: number }[] = [
  { name: 'MLP', shape: [6], make: () => [
    L.dense({ inputShape: [6], units: 8, activation: 'relu' }), L.dropout({ rate: 0.3 }), L.dense({ units: 5, activation: 'elu' }),
    L.dense({ units: 5, activation: 'selu', useBias: false }), L.dense({ units: 4, activation: 'tanh' }), L.activation({ activation: 'sigmoid' }),
    L.dense({ units: 3, activation: 'softmax' }),
  ] },
  { name: 'CNN', shape: [9, 9, 2], make: () => [
    L.conv2d({ inputShape: [9, 9, 2], filters: 4, kernelSize: 3, activation: 'relu', padding: 'same' }), L.batchNormalization(),
    L.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2 }), L.separableConv2d({ filters: 3, kernelSize: 3, padding: 'same' }),
    L.maxPooling2d({ poolSize: 2 }), L.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
    L.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2 }), L.zeroPadding2d({ padding: [[1, 0], [0, 2]] }),
    L.cropping2D({ cropping: [[1, 1], [0, 1]] }), L.upSampling2d({ size: [2, 1] }), L.flatten(), L.dense({ units: 3 }),
  ] },
  { name: 'sequence', shape: [5], ints: 12, make: () => [
    L.embedding({ inputShape: [5], inputDim: 12, outputDim: 4 }), L.lstm({ units: 3, returnSequences: true }),
    L.gru({ units: 3, returnSequences: true }), L.simpleRNN({ units: 2, returnSequences: true }), L.layerNormalization(),
    L.conv1d({ filters: 2, kernelSize: 2, padding: 'same' }), L.maxPooling1d({ poolSize: 2 }), L.globalAveragePooling1d(),
  ] },
  { name: 'Bidirectional and TimeDistributed', shape: [5, 3], make: () => [
    L.bidirectional({ inputShape: [5, 3], layer: L.lstm({ units: 2, returnSequences: true }) as never, mergeMode: 'concat' }),
    L.bidirectional({ layer: L.gru({ units: 2, returnSequences: true }) as never, mergeMode: 'sum' }),
    L.timeDistributed({ layer: L.dense({ units: 3, activation: 'relu' }) }), L.bidirectional({ layer: L.simpleRNN({ units: 2 }) as never, mergeMode: 'ave' }),
  ] },
  { name: 'reshapes and pools', shape: [4, 6], make: () => [
    L.reshape({ inputShape: [4, 6], targetShape: [4, 3, 2] }), L.permute({ dims: [2, 1, 3] }), L.globalMaxPooling2d({}),
    L.reshape({ targetShape: [2, 1] }), L.averagePooling1d({ poolSize: 1 }), L.globalMaxPooling1d(),
  ] },
];

describe('fromTfjsLayers', () => {
  for (const c of imports) {
    it(`reproduces a tfjs-layers ${c.name} (1e-5), and exports it back`, async () => {
      const tfjsModel = tfl.sequential({ layers: c.make() });
      randomizeTfjs(tfjsModel, 1);
      const model = fromTfjsLayers(await artifactsOf(tfjsModel));
      const shape = [3, ...c.shape];
      const x = c.ints !== undefined
        ? tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (i * 5) % c.ints!), shape, 'int32')
        : rng(2).normalTensor(shape);
      const expected = tfjsModel.predict(x) as tf.Tensor;
      expect(model).toBeInstanceOf(Sequential);
      const got = model.apply(x) as tf.Tensor;
      expect(got.shape).toEqual(expected.shape);
      expect(maxExcess(got, expected, 1e-5)).toBeLessThanOrEqual(1e-5);
      // And back: every shared layer of the stack exported, loaded by tfjs-layers, predicting as the original.
      const again = await tfl.loadLayersModel(tf.io.fromMemory(await toTfjsLayers(model as Sequential, { inputShape: [null, ...c.shape] })));
      const theirs = again.predict(x) as tf.Tensor;
      expect(maxExcess(theirs, expected, 1e-5)).toBeLessThanOrEqual(1e-5);
      again.dispose();
      tf.dispose([x, expected, got, theirs]);
      model.dispose();
      tfjsModel.dispose();
    });
  }

  it('loads model.json with two weight shards from disk', async () => {
    const tfjsModel = tfl.sequential({ layers: [L.dense({ inputShape: [4], units: 3, activation: 'relu' }), L.dense({ units: 2 })] });
    randomizeTfjs(tfjsModel, 3);
    const a = await artifactsOf(tfjsModel);
    const dir = mkdtempSync(join(tmpdir(), 'interop-tfjs-'));
    const bytes = new Uint8Array(a.weightData as ArrayBuffer);
    writeFileSync(join(dir, 'group1-shard1of2.bin'), bytes.subarray(0, 20));
    writeFileSync(join(dir, 'group1-shard2of2.bin'), bytes.subarray(20));
    const manifest = [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: a.weightSpecs }];
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, weightsManifest: manifest }));
    const model = await loadTfjsLayersModel(join(dir, 'model.json'));
    const x = rng(4).normalTensor([2, 4]);
    const expected = tfjsModel.predict(x) as tf.Tensor;
    const got = model.apply(x) as tf.Tensor;
    expect(maxExcess(got, expected, 1e-5)).toBeLessThanOrEqual(1e-5);
    tf.dispose([x, expected, got]);
    model.dispose();

    writeFileSync(join(dir, 'group1-shard2of2.bin'), bytes.subarray(20, 30));
    await expect(loadTfjsLayersModel(join(dir, 'model.json'))).rejects.toThrowError(
      `tfjs-layers model '${join(dir, 'model.json')}': weight shards expected ${bytes.byteLength} bytes for the manifest, got 30`,
    );
    await expect(loadTfjsLayersModel(join(dir, 'nothing.json'))).rejects.toThrowError(new FormatError(`tfjs-layers model '${join(dir, 'nothing.json')}': no such file`));
    writeFileSync(join(dir, 'bad.json'), 'PK\u0003\u0004');
    await expect(loadTfjsLayersModel(join(dir, 'bad.json'))).rejects.toThrowError('not a model.json file (not valid JSON)');
    tfjsModel.dispose();
  });

  it('names the first unsupported layer, option or mismatched weight', async () => {
    const leaky = tfl.sequential({ layers: [L.dense({ inputShape: [4], units: 3, name: 'fc' }), L.leakyReLU({ name: 'act' })] });
    await expect(artifactsOf(leaky).then((a) => fromTfjsLayers(a, { source: 'leaky.json' }))).rejects.toThrowError(
      "fromTfjsLayers 'leaky.json': layer 'act' (LeakyReLU) has no Tensorloom equivalent",
    );
    const channelsFirst = tfl.sequential({ layers: [L.conv2d({ inputShape: [2, 5, 5], filters: 2, kernelSize: 3, dataFormat: 'channelsFirst', name: 'c' })] });
    await expect(artifactsOf(channelsFirst).then((a) => fromTfjsLayers(a))).rejects.toThrowError(
      new ConfigError("fromTfjsLayers '<artifacts>': layer 'c' (Conv2D): option 'data_format' expected \"channels_last\", got \"channels_first\"", {
        help: 'Tensorloom has no equivalent of this setting',
      }),
    );
    const fc = tfl.sequential({ layers: [L.dense({ inputShape: [4], units: 3, name: 'fc' })] });
    const a = await artifactsOf(fc);
    const before = tf.memory().numTensors;
    const noBias = { ...a, weightSpecs: a.weightSpecs!.slice(0, 1), weightData: (a.weightData as ArrayBuffer).slice(0, 48) };
    expect(() => fromTfjsLayers(noBias)).toThrowError(new ShapeError("fromTfjsLayers '<artifacts>': weights do not match the layers: entry 'fc.bias' is missing (expected shape [3])"));
    const wrong = { ...a, weightSpecs: [{ ...a.weightSpecs![0]!, shape: [3, 4] }, a.weightSpecs![1]!] };
    expect(() => fromTfjsLayers(wrong)).toThrowError("entry 'fc.kernel' expected shape [4, 3], got [3, 4]");
    const ints = { ...a, weightSpecs: [a.weightSpecs![0]!, { ...a.weightSpecs![1]!, dtype: 'int32' as const }] };
    expect(() => fromTfjsLayers(ints)).toThrowError(
      new DTypeError(`fromTfjsLayers '<artifacts>': weight '${a.weightSpecs![1]!.name}' expected dtype float32, got int32`),
    );
    const extraData = new Uint8Array(76);
    extraData.set(new Uint8Array(a.weightData as ArrayBuffer));
    const extra = { ...a, weightSpecs: [...a.weightSpecs!, { name: 'ghost/kernel', shape: [4], dtype: 'float32' as const }], weightData: extraData.buffer };
    expect(() => fromTfjsLayers(extra, { source: 'fc.json' })).toThrowError(
      new ShapeError("fromTfjsLayers 'fc.json': weights do not match the layers: entry 'ghost.kernel' is not expected (shape [4])", { help: 'expected entries: fc.kernel, fc.bias' }),
    );
    expect(tf.memory().numTensors).toBe(before); // nothing half-loaded is left behind
    expect(() => fromTfjsLayers({ modelTopology: { class_name: 'Model', config: {} } })).toThrowError(
      new FormatError("fromTfjsLayers '<artifacts>': Model config expected a non-empty layers list"),
    );
    expect(() => fromTfjsLayers({ modelTopology: { class_name: 'Graph', config: {} } })).toThrowError(
      "fromTfjsLayers '<artifacts>': model class expected Sequential, Model or Functional, got Graph",
    );
    expect(() => fromTfjsLayers({ modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'Add', config: { name: 'sum', batch_input_shape: [null, 2] } }] } } })).toThrowError(
      "fromTfjsLayers '<artifacts>': layer 'sum' (Add) takes a list of tensors, which a Sequential cannot give it",
    );
    tf.dispose([leaky, channelsFirst, fc].map((m) => m.weights.map((w) => w.read())).flat());
  });
});

describe('toTfjsLayers', () => {
  it('writes a model tf.loadLayersModel loads and that predicts as ours (1e-5)', async () => {
    const model = new Sequential([
      new Conv2D({ filters: 3, kernelSize: 3, activation: 'relu' }), new BatchNorm(), new MaxPool2D({ poolSize: 2 }), new Flatten(),
      new Dropout({ rate: 0.2 }), new Dense({ units: 4, activation: 'softmax' }),
    ], { name: 'cnn' }).build([null, 8, 8, 1], rng(5));
    randomizeState(model, 6);
    const tfjsModel = await tfl.loadLayersModel(tf.io.fromMemory(await toTfjsLayers(model, { inputShape: [null, 8, 8, 1] })));
    const x = rng(7).normalTensor([2, 8, 8, 1]);
    const expected = model.apply(x);
    const got = tfjsModel.predict(x) as tf.Tensor;
    expect(maxExcess(got, expected, 1e-5)).toBeLessThanOrEqual(1e-5);
    tf.dispose([x, expected, got]);
    tfjsModel.dispose();
    model.dispose();
  });

  it('round-trips a sequence model through model.json on disk, and tfjs-layers predicts as ours', async () => {
    const model = new Sequential([
      new Embedding({ inputDim: 10, outputDim: 4 }), new LSTM({ units: 3, returnSequences: true }),
      new Bidirectional({ layer: new GRU({ units: 2, returnSequences: true }), mergeMode: 'mul' }),
      new TimeDistributed({ layer: new Dense({ units: 3 }) }), new GRU({ units: 2 }), new LayerNorm(),
    ]).build([null, 6], rng(8));
    randomizeState(model, 9);
    const path = await saveTfjsLayersModel(join(mkdtempSync(join(tmpdir(), 'interop-tfjs-')), 'out'), model, { inputShape: [null, 6] });
    const json = JSON.parse(readFileSync(path, 'utf8')) as { weightsManifest: { paths: string[] }[] };
    expect(json.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    const back = await loadTfjsLayersModel(path);
    const x = tf.tensor([[1, 2, 3, 4, 5, 6], [9, 0, 0, 1, 2, 3]], [2, 6], 'int32');
    const expected = model.apply(x);
    const got = back.apply(x) as tf.Tensor;
    expect(maxExcess(got, expected, 0)).toBe(0);
    const tfjsModel = await tfl.loadLayersModel(tf.io.fromMemory(await toTfjsLayers(model, { inputShape: [null, 6] })));
    const theirs = tfjsModel.predict(x) as tf.Tensor;
    expect(maxExcess(theirs, expected, 1e-5)).toBeLessThanOrEqual(1e-5);
    tf.dispose([x, expected, got, theirs]);
    tfjsModel.dispose();
    model.dispose();
    back.dispose();
  });

  it('names a layer tfjs-layers does not have', async () => {
    const model = new Sequential([new Dense({ units: 4 }), new GroupNorm({ groups: 2, name: 'gn' })]).build([null, 3], rng(1));
    await expect(toTfjsLayers(model, { inputShape: [null, 3] })).rejects.toThrowError("toTfjsLayers: layer 'gn' (GroupNorm) has no tfjs-layers equivalent");
    model.dispose();
  });
});
