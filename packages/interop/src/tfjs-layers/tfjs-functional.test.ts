import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, FormatError, ShapeError, rng, tf } from '@tensorloom/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Add, BatchNorm, Concatenate, Conv2D, Dense, Embedding, GroupNorm, LSTM, Multiply, Sequential, TransformerEncoderLayer } from '@tensorloom/layers';
import { Average, LayerGraph, Maximum, Minimum, fromTfjsLayers, loadTfjsLayersWeights, toTfjsLayers } from '@tensorloom/interop';
import { loadTfjsLayersModel, saveTfjsLayersModel } from '@tensorloom/interop/node';
import { maxExcess, randomizeState } from '../internal/testing.js';
import { artifactsOf, randomizeTfjs } from '../../test/tfjs-layers.js';


const list = (y: tf.Tensor | tf.Tensor[]): tf.Tensor[] => (y instanceof tf.Tensor ? [y] : y);

/** Every output of ours equals tfjs-layers' at 1e-5. */
function expectSameOutputs(ours: tf.Tensor | tf.Tensor[], theirs: tf.Tensor | tf.Tensor[]): void {
  const [a, b] = [list(ours), list(theirs)];
  expect(a.length).toBe(b.length);
  a.forEach((t, i) => {
    expect(t.shape, `output ${i}`).toEqual(b[i]!.shape);
    expect(maxExcess(t, b[i]!, 1e-5), `output ${i}`).toBeLessThanOrEqual(1e-5);
  });
  tf.dispose([...a, ...b]);
}

const L = tfl.layers;

/** Functional tfjs-layers models: [name, model, inputs]. */
const graphs: { name: string; make: () => tfl.LayersModel; inputs: () => tf.Tensor[] }[] = [
  {
    name: 'two inputs, a shared Dense, every merge, two outputs',
    make: () => {
      const a = tfl.input({ shape: [4], name: 'a' });
      const b = tfl.input({ shape: [4], name: 'b' });
      const shared = L.dense({ units: 4, activation: 'tanh', name: 'shared' });
      const [ha, hb] = [shared.apply(a), shared.apply(b)] as tfl.SymbolicTensor[];
      const merges = [
        L.add({ name: 'add' }).apply([ha!, hb!]), L.multiply({ name: 'mul' }).apply([ha!, hb!]), L.average({ name: 'avg' }).apply([ha!, hb!, a]),
        L.maximum({ name: 'max' }).apply([ha!, b]), L.minimum({ name: 'min' }).apply([hb!, a]),
      ] as tfl.SymbolicTensor[];
      const cat = L.concatenate({ name: 'cat', axis: -1 }).apply(merges) as tfl.SymbolicTensor;
      const out = L.dense({ units: 3, activation: 'softmax', name: 'head' }).apply(cat) as tfl.SymbolicTensor;
      return tfl.model({ inputs: [a, b], outputs: [out, merges[0]!], name: 'merges' });
    },
    inputs: () => [rng(2).normalTensor([3, 4]), rng(3).normalTensor([3, 4])],
  },
  {
    name: 'a residual CNN',
    make: () => {
      const x = tfl.input({ shape: [6, 6, 3], name: 'image' });
      const c1 = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'c1' }).apply(x) as tfl.SymbolicTensor;
      const b1 = L.activation({ activation: 'relu', name: 'r1' }).apply(L.batchNormalization({ name: 'bn1' }).apply(c1)) as tfl.SymbolicTensor;
      const c2 = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'c2' }).apply(b1) as tfl.SymbolicTensor;
      const skip = L.conv2d({ filters: 4, kernelSize: 1, name: 'proj' }).apply(x) as tfl.SymbolicTensor;
      const sum = L.add({ name: 'residual' }).apply([c2, skip]) as tfl.SymbolicTensor;
      const pooled = L.globalAveragePooling2d({ name: 'gap' }).apply(sum) as tfl.SymbolicTensor;
      return tfl.model({ inputs: x, outputs: L.dense({ units: 2, name: 'fc' }).apply(pooled) as tfl.SymbolicTensor });
    },
    inputs: () => [rng(4).normalTensor([2, 6, 6, 3])],
  },
  {
    name: 'token ids, an LSTM with its states, branches joined',
    make: () => {
      const ids = tfl.input({ shape: [5], dtype: 'int32', name: 'ids' });
      const e = L.embedding({ inputDim: 9, outputDim: 4, name: 'emb' }).apply(ids) as tfl.SymbolicTensor;
      const [seq, h, c] = L.lstm({ units: 3, returnSequences: true, returnState: true, name: 'lstm' }).apply(e) as tfl.SymbolicTensor[];
      const g = L.gru({ units: 3, name: 'gru' }).apply(seq!) as tfl.SymbolicTensor;
      const joined = L.concatenate({ name: 'join' }).apply([g, h!, c!]) as tfl.SymbolicTensor;
      return tfl.model({ inputs: ids, outputs: [L.dense({ units: 2, name: 'out' }).apply(joined) as tfl.SymbolicTensor, seq!] });
    },
    inputs: () => [tf.tensor([[1, 2, 3, 4, 5], [8, 0, 7, 7, 1]], [2, 5], 'int32')],
  },
  {
    name: 'padded ids masked by the Embedding (mask_zero) through an LSTM and a Bidirectional GRU',
    make: () => {
      const ids = tfl.input({ shape: [6], dtype: 'int32', name: 'ids' });
      const e = L.embedding({ inputDim: 7, outputDim: 3, maskZero: true, name: 'emb' }).apply(ids) as tfl.SymbolicTensor;
      const last = L.lstm({ units: 2, name: 'lstm' }).apply(e) as tfl.SymbolicTensor;
      const both = L.bidirectional({ layer: L.gru({ units: 2 }) as never, name: 'bigru' }).apply(e) as tfl.SymbolicTensor;
      return tfl.model({ inputs: ids, outputs: [last, both] });
    },
    inputs: () => [tf.tensor([[3, 1, 4, 0, 0, 0], [5, 0, 2, 6, 5, 3]], [2, 6], 'int32')],
  },
];

describe('fromTfjsLayers: functional models', () => {
  for (const g of graphs) {
    it(`reproduces ${g.name} (1e-5)`, async () => {
      const tfjsModel = g.make();
      randomizeTfjs(tfjsModel, 1);
      const model = fromTfjsLayers(await artifactsOf(tfjsModel), { source: g.name });
      expect(model).toBeInstanceOf(LayerGraph);
      const inputs = g.inputs();
      const arg = inputs.length === 1 ? inputs[0]! : inputs;
      expectSameOutputs(model.apply(arg as tf.Tensor), tfjsModel.predict(arg) as tf.Tensor | tf.Tensor[]);
      tf.dispose(inputs);
      model.dispose();
      tfjsModel.dispose();
    });
  }

  it('keeps one set of weights for a shared layer', async () => {
    const tfjsModel = graphs[0]!.make();
    const model = fromTfjsLayers(await artifactsOf(tfjsModel)) as LayerGraph;
    expect(Object.keys(model.state()).filter((k) => k.startsWith('shared.')).sort()).toEqual(['shared.bias', 'shared.kernel']);
    expect(model.nodes.filter((n) => n.layer === 'shared')).toHaveLength(2);
    model.dispose();
    // Keras 3 names the input shape batch_shape; a missing one is named.
    const artifacts = await artifactsOf(tfjsModel);
    const topology = JSON.parse(JSON.stringify(artifacts.modelTopology)) as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    for (const l of topology.config.layers.filter((x) => x.class_name === 'InputLayer')) {
      l.config.batch_shape = l.config.batch_input_shape;
      delete l.config.batch_input_shape;
    }
    const keras3 = fromTfjsLayers({ ...artifacts, modelTopology: topology as never }) as LayerGraph;
    expect(keras3.inputShapes).toEqual([[null, 4], [null, 4]]);
    keras3.dispose();
    delete topology.config.layers[0]!.config.batch_shape;
    expect(() => fromTfjsLayers({ ...artifacts, modelTopology: topology as never })).toThrowError(
      new FormatError("fromTfjsLayers '<artifacts>': input layer 'a' expected a batch_input_shape, got undefined"),
    );
    tfjsModel.dispose();
  });

  it('names the first unsupported layer, call option or malformed entry, and leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const a = tfl.input({ shape: [3], name: 'a' });
    const b = tfl.input({ shape: [3], name: 'b' });
    const dot = tfl.model({ name: 'sim', inputs: [a, b], outputs: L.dot({ axes: -1, name: 'similarity' }).apply([L.dense({ units: 3, name: 'fc' }).apply(a) as tfl.SymbolicTensor, b]) as tfl.SymbolicTensor });
    const artifacts = await artifactsOf(dot);
    expect(() => fromTfjsLayers(artifacts, { source: 'dot.json' })).toThrowError(
      "fromTfjsLayers 'dot.json': layer 'similarity' (Dot) has no Tensorloom equivalent",
    );
    const topology = artifacts.modelTopology as { config: { layers: { name: string; inbound_nodes: unknown[][][] }[]; output_layers: unknown } };
    const edit = (f: (t: typeof topology) => void): tf.io.ModelArtifacts => {
      const copy = JSON.parse(JSON.stringify(topology)) as typeof topology;
      f(copy);
      return { ...artifacts, modelTopology: copy as never };
    };
    const withAdd = (t: typeof topology): void => {
      const dotLayer = t.config.layers.find((l) => l.name === 'similarity')! as unknown as { class_name: string; config: object };
      dotLayer.class_name = 'Add';
      dotLayer.config = { name: 'similarity' };
    };
    const kwargs = edit((t) => {
      withAdd(t);
      t.config.layers.find((l) => l.name === 'fc')!.inbound_nodes[0]![0]![3] = { training: true };
    });
    expect(() => fromTfjsLayers(kwargs)).toThrowError(
      new ConfigError(`fromTfjsLayers '<artifacts>': layer 'fc' inbound_nodes[0][0] call option {"training":true} is not supported`, {
        help: 'only plain calls of a layer on tensors convert (no mask or training arguments)',
      }),
    );
    const dangling = edit((t) => {
      withAdd(t);
      t.config.layers.find((l) => l.name === 'similarity')!.inbound_nodes[0]![1] = ['nowhere', 0, 0, {}];
    });
    expect(() => fromTfjsLayers(dangling)).toThrowError(
      "fromTfjsLayers '<artifacts>': LayerGraph 'sim': node of layer 'similarity' refers to nowhere[node 0, output 0], which the graph does not have",
    );
    const keras3 = edit((t) => {
      withAdd(t);
      t.config.layers.find((l) => l.name === 'fc')!.inbound_nodes = [{ args: [], kwargs: {} }] as never;
    });
    expect(() => fromTfjsLayers(keras3)).toThrowError(FormatError);
    const noOutputs = edit((t) => {
      withAdd(t);
      t.config.output_layers = [];
    });
    expect(() => fromTfjsLayers(noOutputs)).toThrowError("fromTfjsLayers '<artifacts>': output_layers expected a non-empty list, got []");
    // The topology is fine once the Dot is an Add; then a misshapen weight fails the load.
    const fine = edit(withAdd);
    const bad = { ...fine, weightSpecs: [{ ...fine.weightSpecs![0]!, shape: [1, 9] }, fine.weightSpecs![1]!] };
    expect(() => fromTfjsLayers(bad)).toThrowError(
      new ShapeError("fromTfjsLayers '<artifacts>': weights do not match the layers: entry 'fc.kernel' expected shape [3, 3], got [1, 9]"),
    );
    const model = fromTfjsLayers(fine);
    model.dispose();
    dot.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** A hand-built graph of ours: two inputs, a shared layer, merges, two outputs. */
function ourGraph(): LayerGraph {
  return new LayerGraph({
    name: 'ours',
    inputs: [{ name: 'x' }, { name: 'y' }],
    layers: [
      new Dense({ name: 'shared', units: 4, activation: 'relu' }), new Add({ name: 'add' }), new Multiply({ name: 'mul' }),
      new Average({ name: 'avg' }), new Maximum({ name: 'max' }), new Minimum({ name: 'min' }), new Concatenate({ name: 'cat' }),
      new Dense({ name: 'head', units: 2 }),
    ],
    nodes: [
      { layer: 'head', inputs: ['cat'] }, // any order: the graph sorts the calls
      { layer: 'shared', inputs: ['x'] },
      { layer: 'shared', inputs: ['y'] },
      { layer: 'add', inputs: [{ layer: 'shared', node: 0 }, { layer: 'shared', node: 1 }] },
      { layer: 'mul', inputs: ['add', 'x'] },
      { layer: 'avg', inputs: ['mul', 'y', 'x'] },
      { layer: 'max', inputs: ['avg', { layer: 'shared', node: 1 }] },
      { layer: 'min', inputs: ['max', 'y'] },
      { layer: 'cat', inputs: ['min', 'add'] },
    ],
    outputs: ['head', 'min'],
  }).build([[null, 4], [null, 4]], rng(5));
}

describe('toTfjsLayers: functional models', () => {
  it('writes a LayerGraph tf.loadLayersModel loads, predicting as ours (1e-5); the file round trip gives it back exactly', async () => {
    const model = ourGraph();
    randomizeState(model, 6);
    const inputs = [rng(7).normalTensor([3, 4]), rng(8).normalTensor([3, 4])];
    const tfjsModel = await tfl.loadLayersModel(tf.io.fromMemory(await toTfjsLayers(model)));
    expect(tfjsModel.inputNames).toEqual(['x', 'y']);
    expectSameOutputs(model.apply(inputs), tfjsModel.predict(inputs) as tf.Tensor[]);

    const path = await saveTfjsLayersModel(join(mkdtempSync(join(tmpdir(), 'interop-graph-')), 'out'), model);
    const back = await loadTfjsLayersModel(path);
    expect(back).toBeInstanceOf(LayerGraph);
    const [ours, again] = [list(model.apply(inputs)), list(back.apply(inputs as never))];
    ours.forEach((t, i) => expect(maxExcess(again[i]!, t, 0)).toBe(0));
    tf.dispose([...inputs, ...ours, ...again]);
    tfjsModel.dispose();
    back.dispose();
    model.dispose();
  });

  it('round-trips an imported residual CNN and a sequence graph through tfjs-layers', async () => {
    for (const g of graphs.slice(1, 3)) {
      const tfjsModel = g.make();
      randomizeTfjs(tfjsModel, 9);
      const model = fromTfjsLayers(await artifactsOf(tfjsModel)) as LayerGraph;
      const again = await tfl.loadLayersModel(tf.io.fromMemory(await toTfjsLayers(model)));
      const inputs = g.inputs();
      expectSameOutputs(again.predict(inputs[0]!) as tf.Tensor | tf.Tensor[], tfjsModel.predict(inputs[0]!) as tf.Tensor | tf.Tensor[]);
      tf.dispose(inputs);
      again.dispose();
      tfjsModel.dispose();
      model.dispose();
    }
  });

  it('names a layer tfjs-layers does not have, and a Sequential without its input shape', async () => {
    const graph = new LayerGraph({
      inputs: [{ name: 'x' }], layers: [new Conv2D({ name: 'conv', filters: 4, kernelSize: 1 }), new GroupNorm({ groups: 2, name: 'gn' })],
      nodes: [{ layer: 'conv', inputs: ['x'] }, { layer: 'gn', inputs: ['conv'] }], outputs: ['gn'],
    }).build([null, 4, 4, 2], rng(1));
    await expect(toTfjsLayers(graph)).rejects.toThrowError("toTfjsLayers: layer 'gn' (GroupNorm) has no tfjs-layers equivalent");
    graph.dispose();
    const encoder = new TransformerEncoderLayer({ numHeads: 2, dimFeedforward: 8, name: 'enc' }).build([null, 3, 4], rng(1));
    await expect(toTfjsLayers(encoder as never)).rejects.toThrowError(
      "toTfjsLayers: model TransformerEncoderLayer 'enc' expected a Sequential or a LayerGraph, got a TransformerEncoderLayer",
    );
    encoder.dispose();
    const seq = new Sequential([new Dense({ units: 2 })], { name: 's' }).build([null, 3], rng(1));
    await expect(toTfjsLayers(seq)).rejects.toThrowError("toTfjsLayers: model Sequential 's': options.inputShape expected the Sequential's input shape, got none");
    seq.dispose();
  });
});

describe('LayerGraph', () => {
  it('names an unknown layer, an uncalled layer, a cycle and a missing output', () => {
    const d = (name: string): Dense => new Dense({ name, units: 2 });
    expect(() => new LayerGraph({ inputs: [{ name: 'x' }], layers: [d('a')], nodes: [{ layer: 'b', inputs: ['x'] }], outputs: ['a'] })).toThrowError(
      new ConfigError("LayerGraph 'layer_graph': node 0 calls layer 'b', which is not among the layers"),
    );
    expect(() => new LayerGraph({ inputs: [{ name: 'x' }], layers: [d('a'), d('b')], nodes: [{ layer: 'a', inputs: ['x'] }], outputs: ['a'] })).toThrowError(
      "layer 'b' is never called",
    );
    expect(() => new LayerGraph({
      inputs: [{ name: 'x' }], layers: [d('a'), d('b')], nodes: [{ layer: 'a', inputs: ['b'] }, { layer: 'b', inputs: ['a'] }], outputs: ['b'],
    })).toThrowError("LayerGraph 'layer_graph': the graph has a cycle through layer 'a'");
    expect(() => new LayerGraph({ inputs: [{ name: 'x' }], layers: [d('a')], nodes: [{ layer: 'a', inputs: ['x'] }], outputs: [{ layer: 'a', node: 1 }] })).toThrowError(
      "an output refers to a[node 1, output 0], which the graph does not have",
    );
  });

  it('runs an embedding graph on int32 ids, and takes a single tensor for a single input', () => {
    const graph = new LayerGraph({
      inputs: [{ name: 'ids', dtype: 'int32' }],
      layers: [new Embedding({ name: 'emb', inputDim: 5, outputDim: 3 }), new LSTM({ name: 'lstm', units: 2 }), new BatchNorm({ name: 'bn' })],
      nodes: [{ layer: 'emb', inputs: ['ids'] }, { layer: 'lstm', inputs: ['emb'] }, { layer: 'bn', inputs: ['lstm'] }],
      outputs: ['bn'],
    }).build([null, 4], rng(2));
    const ids = tf.tensor([[1, 2, 3, 4]], [1, 4], 'int32');
    const y = graph.apply(ids) as tf.Tensor;
    expect(y.shape).toEqual([1, 2]);
    expect(graph.outputShape([null, 4])).toEqual([null, 2]);
    tf.dispose([ids, y]);
    graph.dispose();
  });
});

describe('loadTfjsLayersWeights', () => {
  it('loads weights trained in tfjs-layers into our model, and a failed load leaves it unchanged', async () => {
    const model = ourGraph();
    const tfjsModel = await tfl.loadLayersModel(tf.io.fromMemory(await toTfjsLayers(model)));
    randomizeTfjs(tfjsModel, 10); // "trained" in tfjs-layers
    const artifacts = await artifactsOf(tfjsModel);
    const snapshot = (): Record<string, number[]> => Object.fromEntries(Object.entries(model.state()).map(([k, v]) => [k, Array.from(v.dataSync())]));
    const before = snapshot();
    const truncated = { ...artifacts, weightData: (artifacts.weightData as ArrayBuffer).slice(0, 40) };
    expect(() => loadTfjsLayersWeights(model, truncated, { source: 'trained.json' })).toThrowError(
      /^loadTfjsLayersWeights 'trained.json': weight data expected 152 bytes for the weight specs, got 40\n/,
    );
    const renamed = { ...artifacts, weightSpecs: artifacts.weightSpecs!.map((s) => (s.name === 'head/bias' ? { ...s, name: 'tail/bias' } : s)) };
    expect(() => loadTfjsLayersWeights(model, renamed, { source: 'trained.json' })).toThrowError(
      "loadTfjsLayersWeights 'trained.json': weights do not match the layers: entry 'head.bias' is missing (expected shape [2])",
    );
    expect(snapshot()).toEqual(before);
    loadTfjsLayersWeights(model, artifacts);
    const inputs = [rng(11).normalTensor([2, 4]), rng(12).normalTensor([2, 4])];
    expectSameOutputs(model.apply(inputs), tfjsModel.predict(inputs) as tf.Tensor[]);
    tf.dispose(inputs);
    tfjsModel.dispose();
    model.dispose();
  });
});
