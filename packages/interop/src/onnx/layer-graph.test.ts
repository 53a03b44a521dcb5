// ONNX export of a LayerGraph: tfjs-layers functional models go tfjs → Tensorloom → ONNX.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import * as tfl from '@tensorflow/tfjs-layers';
import { rng, tf } from '@tensorloom/core';
import { Activation, Add, BatchNorm, Concatenate, Conv2D, Dense, GlobalAvgPool2D, LSTM, MaxPool2D, Multiply } from '@tensorloom/layers';
import type { Shape } from '@tensorloom/layers';
import { Average, LayerGraph, Maximum, Minimum, exportOnnx, fromTfjsLayers } from '@tensorloom/interop';
import { ModelProto } from './onnx-proto.js';
import { dumpOnnx, maxExcess, randomizeState } from '../internal/testing.js';
import { artifactsOf, randomizeTfjs } from '../../test/tfjs-layers.js';

/** Runs a graph on named inputs; returns its inputs' names and every output, in the graph's order. */
async function runAll(bytes: Uint8Array, feeds: Record<string, tf.Tensor>): Promise<{ inputNames: readonly string[]; outputs: tf.Tensor[] }> {
  const session = await ort.InferenceSession.create(bytes);
  const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [
    k,
    t.dtype === 'int32'
      ? new ort.Tensor('int32', Int32Array.from(t.dataSync() as Int32Array), t.shape)
      : new ort.Tensor('float32', Float32Array.from(t.dataSync() as Float32Array), t.shape),
  ]));
  const result = await session.run(ortFeeds);
  const outputs = session.outputNames.map((n) => tf.tensor(result[n]!.data as Float32Array, result[n]!.dims as number[]));
  const inputNames = [...session.inputNames];
  await session.release();
  return { inputNames, outputs };
}

const listOf = (y: tf.Tensor | tf.Tensor[]): tf.Tensor[] => (y instanceof tf.Tensor ? [y] : y);

/** Every graph output equals `graph.apply`'s (atol 1e-5, rtol 1e-4), in order; disposes them. */
async function expectOutputs(bytes: Uint8Array, feeds: Record<string, tf.Tensor>, expected: tf.Tensor | tf.Tensor[]): Promise<readonly string[]> {
  const want = listOf(expected);
  const { inputNames, outputs } = await runAll(bytes, feeds);
  expect(outputs).toHaveLength(want.length);
  outputs.forEach((got, i) => {
    expect(got.shape, `output ${i}`).toEqual(want[i]!.shape);
    expect(maxExcess(got, want[i]!, 1e-4), `output ${i}`).toBeLessThanOrEqual(1e-5);
  });
  tf.dispose([...outputs, ...want]);
  return inputNames;
}

/** The initializer names and node types of an exported graph. */
function contents(bytes: Uint8Array): { initializers: string[]; ops: string[] } {
  const model = ModelProto.toObject(ModelProto.decode(bytes)) as { graph: { initializer: { name: string }[]; node: { opType: string }[] } };
  return { initializers: model.graph.initializer.map((i) => i.name), ops: model.graph.node.map((n) => n.opType) };
}

const count = (xs: readonly string[], x: string): number => xs.filter((v) => v === x).length;

/** Two inputs, a Dense shared by both, every merge, two outputs (one a merge's). */
function mergeGraph(): LayerGraph {
  return new LayerGraph({
    name: 'merges',
    inputs: [{ name: 'x' }, { name: 'y' }],
    layers: [
      new Dense({ name: 'shared', units: 4, activation: 'tanh' }), new Add({ name: 'add' }), new Multiply({ name: 'mul' }),
      new Average({ name: 'avg' }), new Maximum({ name: 'max' }), new Minimum({ name: 'min' }), new Concatenate({ name: 'cat' }),
      new Dense({ name: 'head', units: 3, activation: 'softmax' }),
    ],
    nodes: [
      { layer: 'shared', inputs: ['x'] },
      { layer: 'shared', inputs: ['y'] },
      { layer: 'add', inputs: [{ layer: 'shared', node: 0 }, { layer: 'shared', node: 1 }] },
      { layer: 'mul', inputs: ['add', 'x'] },
      { layer: 'avg', inputs: ['mul', 'y', { layer: 'shared', node: 0 }] },
      { layer: 'max', inputs: ['avg', { layer: 'shared', node: 1 }] },
      { layer: 'min', inputs: ['max', 'y', 'add'] },
      { layer: 'cat', inputs: ['min', 'add', 'x'] },
      { layer: 'head', inputs: ['cat'] },
    ],
    outputs: ['head', 'min'],
  }).build([[null, 4], [null, 4]], rng(1));
}

describe('exportOnnx: LayerGraph', () => {
  it('two inputs, a shared Dense (its weights stored once), every merge, two outputs; inputs by name (opset 17) or as a list (opset 21)', async () => {
    const graph = mergeGraph();
    randomizeState(graph, 2);
    const byName = exportOnnx(graph, { inputShape: { x: [null, 4], y: [null, 4] } });
    const byList = exportOnnx(graph, { inputShape: [[null, 4], [null, 4]], opset: 21 });
    dumpOnnx('LayerGraph merges', byName);
    dumpOnnx('LayerGraph merges list opset 21', byList);
    const { initializers, ops } = contents(byName);
    // The shared Dense: two MatMuls (one per call) on one kernel; the head a third.
    expect(initializers.filter((n) => n.startsWith('merges.shared.kernel'))).toEqual(['merges.shared.kernel']);
    expect(initializers.filter((n) => n.startsWith('merges.shared.bias'))).toEqual(['merges.shared.bias']);
    expect(count(ops, 'MatMul')).toBe(3);
    expect([count(ops, 'Mean'), count(ops, 'Max'), count(ops, 'Min'), count(ops, 'Concat')]).toEqual([1, 1, 1, 1]);
    for (const batch of [1, 3]) {
      const x = rng(3).normalTensor([batch, 4]);
      const y = rng(4).normalTensor([batch, 4]);
      expect(await expectOutputs(byName, { x, y }, graph.apply([x, y]))).toEqual(['x', 'y']);
      expect(await expectOutputs(byList, { input_0: x, input_1: y }, graph.apply([x, y]))).toEqual(['input_0', 'input_1']);
      tf.dispose([x, y]);
    }
    graph.dispose();
  });

  it('a residual CNN (conv, batch norm, a 1×1 projection shortcut, Add, pooling, a head)', async () => {
    const graph = new LayerGraph({
      name: 'resnet',
      inputs: [{ name: 'image' }],
      layers: [
        new Conv2D({ name: 'stem', filters: 4, kernelSize: 3, padding: 'same' }), new BatchNorm({ name: 'bn1' }), new Activation({ name: 'relu1', activation: 'relu' }),
        new Conv2D({ name: 'c2', filters: 4, kernelSize: 3, padding: 'same' }), new BatchNorm({ name: 'bn2' }),
        new Conv2D({ name: 'proj', filters: 4, kernelSize: 1, strides: 1 }), new Add({ name: 'residual' }), new Activation({ name: 'relu2', activation: 'relu' }),
        new MaxPool2D({ name: 'pool', poolSize: 2 }), new GlobalAvgPool2D({ name: 'gap' }), new Dense({ name: 'fc', units: 3 }),
      ],
      nodes: [
        { layer: 'stem', inputs: ['image'] }, { layer: 'bn1', inputs: ['stem'] }, { layer: 'relu1', inputs: ['bn1'] },
        { layer: 'c2', inputs: ['relu1'] }, { layer: 'bn2', inputs: ['c2'] }, { layer: 'proj', inputs: ['image'] },
        { layer: 'residual', inputs: ['bn2', 'proj'] }, { layer: 'relu2', inputs: ['residual'] }, { layer: 'pool', inputs: ['relu2'] },
        { layer: 'gap', inputs: ['pool'] }, { layer: 'fc', inputs: ['gap'] },
      ],
      outputs: ['fc'],
    }).build([null, 6, 6, 3], rng(1));
    randomizeState(graph, 5);
    const bytes = exportOnnx(graph, { inputShape: [null, 6, 6, 3] });
    dumpOnnx('LayerGraph residual CNN', bytes);
    for (const batch of [1, 2]) {
      const image = rng(6).normalTensor([batch, 6, 6, 3]);
      expect(await expectOutputs(bytes, { input: image }, graph.apply(image))).toEqual(['input']);
      image.dispose();
    }
    graph.dispose();
  });

  it("a padding mask given as apply's mask option reaches the first input's recurrence", async () => {
    const graph = new LayerGraph({
      name: 'masked',
      inputs: [{ name: 'seq' }, { name: 'aux' }],
      layers: [new LSTM({ name: 'lstm', units: 3 }), new Dense({ name: 'side', units: 2 }), new Concatenate({ name: 'cat' }), new Dense({ name: 'out', units: 2 })],
      nodes: [{ layer: 'lstm', inputs: ['seq'] }, { layer: 'side', inputs: ['aux'] }, { layer: 'cat', inputs: ['lstm', 'side'] }, { layer: 'out', inputs: ['cat'] }],
      outputs: ['out'],
    }).build([[null, 5, 3], [null, 2]], rng(1));
    randomizeState(graph, 7);
    const bytes = exportOnnx(graph, { inputShape: { seq: [null, 5, 3], aux: [null, 2] }, masks: { mask: [null, 5] } });
    dumpOnnx('LayerGraph mask option', bytes);
    for (const batch of [1, 3]) {
      const seq = rng(8).normalTensor([batch, 5, 3]);
      const aux = rng(9).normalTensor([batch, 2]);
      const mask = tf.tensor2d(Array.from({ length: batch * 5 }, (_, k) => (k % 5 < 5 - (Math.floor(k / 5) % 5) ? 1 : 0)), [batch, 5]);
      const masked = graph.apply([seq, aux], { mask }) as tf.Tensor;
      const plain = graph.apply([seq, aux]) as tf.Tensor;
      // Row 1 is padded, so the mask changes the library's answer there: the graph must follow it.
      if (batch > 1) expect(maxExcess(masked, plain, 0)).toBeGreaterThan(1e-3);
      plain.dispose();
      await expectOutputs(bytes, { seq, aux, mask }, masked);
      tf.dispose([seq, aux, mask]);
    }
    graph.dispose();
  });

  it('names missing or extra inputs and a mask option nothing takes', () => {
    const graph = mergeGraph();
    expect(() => exportOnnx(graph, { inputShape: { x: [null, 4], z: [null, 4] } })).toThrowError(
      "exportOnnx: layer 'merges' (LayerGraph) expected 2 inputs (x, y), got the inputs x, z",
    );
    expect(() => exportOnnx(graph, { inputShape: [[null, 4], [null, 4], [null, 4]] })).toThrowError(
      "exportOnnx: layer 'merges' (LayerGraph) expected 2 inputs (x, y), got a list of 3",
    );
    expect(() => exportOnnx(graph, { inputShape: [null, 4] })).toThrowError("exportOnnx: layer 'merges' (LayerGraph) expected 2 inputs (x, y), got one input");
    expect(() => exportOnnx(graph, { inputShape: { x: [null, 4], y: [null, 4] }, masks: { keyMask: [null, 4] } })).toThrowError(
      "exportOnnx: model LayerGraph 'merges' does not take the mask option keyMask",
    );
    graph.dispose();
    // A layer inside the graph that has no ONNX form is named by its path in the graph.
    const custom = new LayerGraph({
      name: 'g', inputs: [{ name: 'x' }], layers: [new Dense({ name: 'fc', units: 2, activation: (t: tf.Tensor) => tf.mul(t, 2) })],
      nodes: [{ layer: 'fc', inputs: ['x'] }], outputs: ['fc'],
    }).build([null, 3], rng(1));
    expect(() => exportOnnx(custom, { inputShape: [null, 3] })).toThrowError(
      "exportOnnx: layer 'g.fc' (Dense) has a custom activation function, which cannot be exported; use a named activation",
    );
    custom.dispose();
  });
});


const L = tfl.layers;

/** tfjs-layers functional models, their input shapes (by input name) and inputs for a batch size. */
const tfjsGraphs: { name: string; make: () => tfl.LayersModel; shapes: Record<string, Shape>; inputs: (batch: number) => tf.Tensor[] }[] = [
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
    shapes: { a: [null, 4], b: [null, 4] },
    inputs: (batch) => [rng(2).normalTensor([batch, 4]), rng(3).normalTensor([batch, 4])],
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
    shapes: { image: [null, 6, 6, 3] },
    inputs: (batch) => [rng(4).normalTensor([batch, 6, 6, 3])],
  },
  {
    name: 'int32 ids, an LSTM with its states, branches joined, two outputs',
    make: () => {
      const ids = tfl.input({ shape: [5], dtype: 'int32', name: 'ids' });
      const e = L.embedding({ inputDim: 9, outputDim: 4, name: 'emb' }).apply(ids) as tfl.SymbolicTensor;
      const [seq, h, c] = L.lstm({ units: 3, returnSequences: true, returnState: true, name: 'lstm' }).apply(e) as tfl.SymbolicTensor[];
      const g = L.gru({ units: 3, name: 'gru' }).apply(seq!) as tfl.SymbolicTensor;
      const joined = L.concatenate({ name: 'join' }).apply([g, h!, c!]) as tfl.SymbolicTensor;
      return tfl.model({ inputs: ids, outputs: [L.dense({ units: 2, name: 'out' }).apply(joined) as tfl.SymbolicTensor, seq!] });
    },
    shapes: { ids: [null, 5] },
    inputs: (batch) => [tf.tensor2d(Array.from({ length: batch * 5 }, (_, k) => (k * 5 + 1) % 9), [batch, 5], 'int32')],
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
    shapes: { ids: [null, 6] },
    // Trailing padding of a different length per row, and a pad inside row 2.
    inputs: (batch) => [tf.tensor2d(Array.from({ length: batch * 6 }, (_, k) => {
      const [row, t] = [Math.floor(k / 6), k % 6];
      return t >= 6 - (row % 4) || (row === 2 && t === 1) ? 0 : 1 + ((k * 3) % 6);
    }), [batch, 6], 'int32')],
  },
  {
    name: 'padded ids of any length (a dynamic time axis: the masked recurrence as an ONNX Loop), two branches',
    make: () => {
      const ids = tfl.input({ shape: [null], dtype: 'int32', name: 'tokens' });
      const e = L.embedding({ inputDim: 7, outputDim: 3, maskZero: true, name: 'emb' }).apply(ids) as tfl.SymbolicTensor;
      const seq = L.gru({ units: 2, returnSequences: true, name: 'gru' }).apply(e) as tfl.SymbolicTensor;
      const last = L.lstm({ units: 3, name: 'lstm' }).apply(seq) as tfl.SymbolicTensor;
      const side = L.simpleRNN({ units: 3, name: 'rnn' }).apply(e) as tfl.SymbolicTensor;
      return tfl.model({ inputs: ids, outputs: L.add({ name: 'sum' }).apply([last, side]) as tfl.SymbolicTensor });
    },
    shapes: { tokens: [null, null] },
    // Length 4 + batch (5 and 7), trailing padding of a different length per row.
    inputs: (batch) => {
      const t = 4 + batch;
      return [tf.tensor2d(Array.from({ length: batch * t }, (_, k) => (k % t >= t - (Math.floor(k / t) % 3) ? 0 : 1 + ((k * 5) % 6))), [batch, t], 'int32')];
    },
  },
];

describe('exportOnnx: tfjs-layers functional models through a LayerGraph', () => {
  for (const c of tfjsGraphs) {
    it(`${c.name}: ONNX Runtime gives tfjs-layers' and our outputs`, async () => {
      const tfjsModel = c.make();
      randomizeTfjs(tfjsModel, 1);
      const graph = fromTfjsLayers(await artifactsOf(tfjsModel), { source: c.name });
      expect(graph).toBeInstanceOf(LayerGraph);
      const bytes = exportOnnx(graph, { inputShape: c.shapes });
      dumpOnnx(`LayerGraph tfjs ${c.name}`, bytes);
      for (const batch of [1, 3]) {
        const inputs = c.inputs(batch);
        const arg = inputs.length === 1 ? inputs[0]! : inputs;
        const feeds = Object.fromEntries(Object.keys(c.shapes).map((k, i) => [k, inputs[i]!]));
        // Graph inputs keep the tfjs model's input names, and dtypes (int32 ids).
        expect(await expectOutputs(bytes, feeds, graph.apply(arg as tf.Tensor))).toEqual(Object.keys(c.shapes));
        // And ONNX Runtime agrees with tfjs-layers itself.
        await expectOutputs(bytes, feeds, tfjsModel.predict(arg) as tf.Tensor | tf.Tensor[]);
        tf.dispose(inputs);
      }
      graph.dispose();
      tfjsModel.dispose();
    });
  }
});
