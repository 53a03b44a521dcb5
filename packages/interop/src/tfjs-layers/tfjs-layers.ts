import { ConfigError, DTypeError, FormatError, TensorloomError, rng, tf } from '@tensorloom/core';
import { Sequential } from '@tensorloom/layers';
import type { Module, Shape } from '@tensorloom/layers';
import { LayerGraph } from './layer-graph.js';
import type { GraphNode } from './layer-graph.js';
import { ConfigReader, LAYER_MAP, MERGES, ourWeightName, tfjsWeightName } from './layer-map.js';
import type { TfjsConfig } from './layer-map.js';

/**
 * The tfjs-layers classes {@link fromTfjsLayers} and {@link toTfjsLayers} convert (their
 * `class_name`s), in the order of the mapping table.
 *
 * @example
 * ```ts
 * TFJS_SHARED_LAYERS.includes('Conv2D'); // true
 * ```
 */
export const TFJS_SHARED_LAYERS: readonly string[] = LAYER_MAP.map((m) => m.tfjsClass);

/**
 * Options of {@link fromTfjsLayers}.
 *
 * @example
 * ```ts
 * const options: FromTfjsLayersOptions = { source: 'model/model.json' };
 * ```
 */
export interface FromTfjsLayersOptions {
  /** A name for the model (usually its `model.json` path), used in error messages. */
  source?: string;
}

interface LayerJson {
  class_name?: unknown;
  config?: unknown;
  name?: unknown;
  inbound_nodes?: unknown;
}

/** A parsed topology: a Sequential's layer list, or a functional model's graph. */
type Topology =
  | { kind: 'sequential'; name: string; layers: LayerJson[] }
  | { kind: 'graph'; name: string; layers: LayerJson[]; inputLayers: unknown; outputLayers: unknown };

function parseTopology(topology: unknown, unit: string): Topology {
  let t = topology as { class_name?: unknown; config?: unknown; model_config?: unknown } | null;
  if (t !== null && typeof t === 'object' && 'model_config' in t) t = t.model_config as typeof t; // Keras' own wrapper
  if (t === null || typeof t !== 'object' || typeof t.class_name !== 'string') {
    throw new FormatError(`${unit}: modelTopology expected a { class_name, config } object, got ${JSON.stringify(t)?.slice(0, 80)}`);
  }
  if (t.class_name !== 'Sequential' && t.class_name !== 'Model' && t.class_name !== 'Functional') {
    throw new ConfigError(`${unit}: model class expected Sequential, Model or Functional, got ${t.class_name}`);
  }
  const config = t.config as { name?: unknown; layers?: unknown; input_layers?: unknown; output_layers?: unknown } | unknown[] | undefined;
  const layers = Array.isArray(config) ? config : config?.layers;
  if (!Array.isArray(layers) || layers.length === 0) throw new FormatError(`${unit}: ${t.class_name} config expected a non-empty layers list`);
  const named = config !== undefined && !Array.isArray(config) && typeof config.name === 'string' ? config.name : null;
  if (t.class_name === 'Sequential') return { kind: 'sequential', name: named ?? 'sequential', layers: layers as LayerJson[] };
  const c = config as { input_layers?: unknown; output_layers?: unknown };
  return { kind: 'graph', name: named ?? 'model', layers: layers as LayerJson[], inputLayers: c.input_layers, outputLayers: c.output_layers };
}

type Mapping = (typeof LAYER_MAP)[number];

/** Our layer for one tfjs layer entry, through the table; an unknown class or option is an error naming it. */
function makeLayer(l: LayerJson, layerName: string, unit: string): { mapping: Mapping; layer: Module } {
  const className = String(l.class_name);
  const config = (l.config ?? {}) as TfjsConfig;
  const mapping = LAYER_MAP.find((m) => m.tfjsClass === className);
  if (mapping === undefined) {
    throw new ConfigError(`${unit}: layer '${layerName}' (${className}) has no Tensorloom equivalent`, {
      help: `supported layers: ${TFJS_SHARED_LAYERS.join(', ')}`,
    });
  }
  const reader = new ConfigReader(`${unit}: layer '${layerName}' (${className})`, config);
  const layer = mapping.fromTfjs(reader, layerName) as Module;
  reader.finish();
  return { mapping, layer };
}

/** `[layer, node, tensor]` (and an optional kwargs object, which must be empty) as a reference. */
function refOf(entry: unknown, where: string, unit: string): { layer: string; node: number; index: number } {
  if (!Array.isArray(entry) || entry.length < 3 || typeof entry[0] !== 'string' || !Number.isInteger(entry[1]) || !Number.isInteger(entry[2])) {
    throw new FormatError(`${unit}: ${where} expected [layer name, node index, tensor index], got ${JSON.stringify(entry)?.slice(0, 80)}`);
  }
  const kwargs = entry[3] as unknown;
  if (kwargs !== undefined && kwargs !== null && (typeof kwargs !== 'object' || Object.keys(kwargs).length > 0)) {
    throw new ConfigError(`${unit}: ${where} call option ${JSON.stringify(kwargs)} is not supported`, {
      help: 'only plain calls of a layer on tensors convert (no mask or training arguments)',
    });
  }
  return { layer: entry[0], node: entry[1] as number, index: entry[2] as number };
}

function refList(value: unknown, what: string, unit: string): { layer: string; node: number; index: number }[] {
  if (!Array.isArray(value) || value.length === 0) throw new FormatError(`${unit}: ${what} expected a non-empty list, got ${JSON.stringify(value)?.slice(0, 80)}`);
  return value.map((e, i) => refOf(e, `${what}[${i}]`, unit));
}

/** Decodes the weights and loads them (atomically) into `model`, named `<layer>.<param>`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function loadWeights(model: Module<any, any>, byName: Map<string, { mapping: Mapping; layer: Module }>, artifacts: tf.io.ModelArtifacts, unit: string): void {
  if (artifacts.weightData !== undefined && artifacts.weightSpecs !== undefined) {
    const bytes = { uint8: 1, uint16: 2, float16: 2 } as Record<string, number>;
    const expected = artifacts.weightSpecs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * (s.quantization ? bytes[s.quantization.dtype]! : 4), 0);
    const data = artifacts.weightData;
    const got = Array.isArray(data) ? data.reduce((n, b) => n + b.byteLength, 0) : (data as ArrayBuffer).byteLength;
    if (got !== expected) {
      throw new FormatError(`${unit}: weight data expected ${expected} bytes for the weight specs, got ${got}`, {
        help: 'the weights are truncated or belong to another model',
      });
    }
  }
  const decoded = artifacts.weightData === undefined || artifacts.weightSpecs === undefined
    ? {}
    : tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  try {
    const values: Record<string, tf.Tensor> = {};
    for (const [full, t] of Object.entries(decoded)) {
      const parts = full.split('/');
      const owner = byName.get(parts[0]!);
      const rest = parts.slice(1);
      const ours = `${parts[0]}.${owner?.mapping.ourWeight ? owner.mapping.ourWeight(rest, owner.layer) : ourWeightName(rest[rest.length - 1] ?? '')}`;
      if (t.dtype !== 'float32') {
        throw new DTypeError(`${unit}: weight '${full}' expected dtype float32, got ${t.dtype}`);
      }
      values[ours] = t;
    }
    try {
      model.loadState(values);
    } catch (e) {
      if (!(e instanceof TensorloomError)) throw e;
      // Same error class, with the source named first.
      const Same = e.constructor as new (message: string, options: { cause: unknown }) => TensorloomError;
      throw new Same(`${unit}: weights do not match the layers: ${e.message.replace(/^.*?loadState: /, '')}`, { cause: e });
    }
  } finally {
    tf.dispose(Object.values(decoded));
  }
}

const safeName = (name: string): string => name.replace(/[^A-Za-z0-9_-]/g, '_');

function sequentialFrom(topology: Extract<Topology, { kind: 'sequential' }>, artifacts: tf.io.ModelArtifacts, unit: string): Sequential {
  let inputShape: Shape | null = null;
  const layers: Module[] = [];
  const byName = new Map<string, { mapping: Mapping; layer: Module }>();
  for (const [i, l] of topology.layers.entries()) {
    const config = (l.config ?? {}) as TfjsConfig;
    const className = String(l.class_name);
    const layerName = typeof config.name === 'string' ? config.name : `layer_${i}`;
    if (i === 0 || className === 'InputLayer') {
      const shape = config.batch_input_shape ?? (Array.isArray(config.input_shape) ? [null, ...(config.input_shape as number[])] : undefined);
      if (Array.isArray(shape)) inputShape = shape as Shape;
    }
    if (className === 'InputLayer') continue;
    if (MERGES.includes(className)) {
      throw new ConfigError(`${unit}: layer '${layerName}' (${className}) takes a list of tensors, which a Sequential cannot give it`);
    }
    const made = makeLayer(l, layerName, unit);
    layers.push(made.layer);
    byName.set(layerName, made);
  }
  if (inputShape === null) {
    throw new FormatError(`${unit}: the first layer expected a batch_input_shape, got none`, {
      help: 'a tfjs-layers model saved after being built (or given inputShape) records it',
    });
  }
  const model = new Sequential(layers, { name: safeName(topology.name) });
  try {
    model.build(inputShape, rng(0));
    loadWeights(model, byName, artifacts, unit);
  } catch (cause) {
    model.dispose();
    throw cause;
  }
  return model;
}

function graphFrom(topology: Extract<Topology, { kind: 'graph' }>, artifacts: tf.io.ModelArtifacts, unit: string): LayerGraph {
  const inputs: { name: string; dtype: 'float32' | 'int32'; shape: Shape }[] = [];
  const layers: Module[] = [];
  const nodes: GraphNode[] = [];
  const byName = new Map<string, { mapping: Mapping; layer: Module }>();
  for (const [i, l] of topology.layers.entries()) {
    const config = (l.config ?? {}) as TfjsConfig;
    const className = String(l.class_name);
    const layerName = typeof l.name === 'string' ? l.name : typeof config.name === 'string' ? config.name : `layer_${i}`;
    if (className === 'InputLayer') {
      const shape = config.batch_input_shape ?? config.batch_shape; // Keras 3 writes batch_shape
      if (!Array.isArray(shape)) throw new FormatError(`${unit}: input layer '${layerName}' expected a batch_input_shape, got ${JSON.stringify(shape)}`);
      const dtype = config.dtype ?? 'float32';
      if (dtype !== 'float32' && dtype !== 'int32') throw new ConfigError(`${unit}: input layer '${layerName}' dtype expected float32 or int32, got ${JSON.stringify(dtype)}`);
      if (config.sparse === true) throw new ConfigError(`${unit}: input layer '${layerName}' option 'sparse' (true) is not supported`);
      inputs.push({ name: layerName, dtype, shape: shape as Shape });
      continue;
    }
    const made = makeLayer(l, layerName, unit);
    layers.push(made.layer);
    byName.set(layerName, made);
    if (!Array.isArray(l.inbound_nodes)) throw new FormatError(`${unit}: layer '${layerName}' expected an inbound_nodes list, got ${JSON.stringify(l.inbound_nodes)?.slice(0, 80)}`);
    for (const [n, node] of (l.inbound_nodes as unknown[]).entries()) {
      nodes.push({ layer: layerName, inputs: refList(node, `layer '${layerName}' inbound_nodes[${n}]`, unit) });
    }
  }
  const inputLayers = refList(topology.inputLayers, 'input_layers', unit);
  const byInput = new Map(inputs.map((inp) => [inp.name, inp]));
  const ordered = inputLayers.map((r, i) => {
    const found = byInput.get(r.layer);
    if (found === undefined) throw new FormatError(`${unit}: input_layers[${i}] names '${r.layer}', which is not an InputLayer of the model`);
    return found;
  });
  let graph: LayerGraph;
  try {
    graph = new LayerGraph({
      name: safeName(topology.name),
      inputs: ordered.map(({ name, dtype }) => ({ name, dtype })),
      layers,
      nodes,
      outputs: refList(topology.outputLayers, 'output_layers', unit),
    });
  } catch (cause) {
    throw prefixed(cause, unit);
  }
  try {
    const shapes = ordered.map((inp) => inp.shape);
    graph.build(shapes.length === 1 ? shapes[0]! : shapes, rng(0));
    loadWeights(graph, byName, artifacts, unit);
  } catch (cause) {
    graph.dispose();
    throw prefixed(cause, unit);
  }
  return graph;
}

/** The same error with the source named first (when it is not already). */
function prefixed(cause: unknown, unit: string): unknown {
  if (!(cause instanceof TensorloomError) || cause.message.startsWith(unit)) return cause;
  const Same = cause.constructor as new (message: string, options: { cause: unknown }) => TensorloomError;
  return new Same(`${unit}: ${cause.message}`, { cause });
}

/**
 * Builds the Tensorloom model equivalent to a tfjs-layers model: a `Sequential` for a
 * tfjs-layers Sequential, a {@link LayerGraph} for a functional `Model` (several inputs and
 * outputs, shared layers, merges), with the same layers and configuration, built for the
 * saved input shapes, holding the saved weights. Takes the in-memory `ModelArtifacts` (what
 * `model.save(tf.io.withSaveHandler(...))` or a browser's `tf.io.browserFiles` give);
 * `loadTfjsLayersModel` under `@tensorloom/interop/node` reads a saved `model.json` with its
 * weight shards.
 *
 * Layer names become the model's keys; weights map `dense_Dense1/kernel` →
 * `dense_Dense1.kernel`, `lstm/recurrent_kernel` → `lstm.recurrentKernel`,
 * `batch_normalization/moving_mean` → `…movingMean`. Initializers, regularizers and
 * constraints only matter for training from scratch and are not carried over.
 *
 * @param artifacts - `modelTopology`, `weightSpecs` and `weightData` of a layers model.
 * @param options - a source name for messages.
 * @returns the built model (the caller owns it): narrow with `instanceof Sequential` or
 *   `instanceof LayerGraph`.
 * @throws ConfigError naming the first unsupported layer class or option; FormatError for a
 *   malformed topology; ShapeError/DTypeError naming a weight that is missing, extra, or of
 *   the wrong shape. Nothing is returned half-loaded, and no tensor is left behind.
 * @example
 * ```ts
 * const artifacts = await new Promise<tf.io.ModelArtifacts>((resolve) =>
 *   tfjsModel.save(tf.io.withSaveHandler(async (a) => { resolve(a); return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; })));
 * const model = fromTfjsLayers(artifacts);
 * const y = model.apply(x); // equals tfjsModel.predict(x)
 * ```
 */
export function fromTfjsLayers(artifacts: tf.io.ModelArtifacts, options: FromTfjsLayersOptions = {}): Sequential | LayerGraph {
  const source = options.source ?? '<artifacts>';
  const unit = `fromTfjsLayers '${source}'`;
  const topology = parseTopology(artifacts.modelTopology, unit);
  return topology.kind === 'sequential' ? sequentialFrom(topology, artifacts, unit) : graphFrom(topology, artifacts, unit);
}

/**
 * Loads the weights of tfjs-layers artifacts into an existing Tensorloom model of the same
 * layers (a Sequential or LayerGraph that {@link fromTfjsLayers} built, or that
 * {@link toTfjsLayers} exported and tfjs-layers then trained). Weights are matched by
 * layer name; the topology in the artifacts is not read. Atomic: a truncated weight file,
 * or a weight missing, extra or misshapen, is an error naming it, and the model is unchanged.
 *
 * @param model - a built Sequential or LayerGraph.
 * @param artifacts - `weightSpecs` and `weightData` of a tfjs-layers model.
 * @param options - a source name for messages.
 * @throws FormatError for weight data of the wrong size; ShapeError/DTypeError naming a
 *   weight that is missing, extra or of the wrong shape or dtype; ConfigError for a layer
 *   tfjs-layers does not have.
 * @example
 * ```ts
 * const trained = await tfjsModel.save(tf.io.withSaveHandler(async (a) => { loadTfjsLayersWeights(model, a); return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
 * ```
 */
export function loadTfjsLayersWeights(model: Sequential | LayerGraph, artifacts: tf.io.ModelArtifacts, options: FromTfjsLayersOptions = {}): void {
  const unit = `loadTfjsLayersWeights '${options.source ?? '<artifacts>'}'`;
  if (!model.built) throw new ConfigError(`${unit}: model ${model.label} expected a built model, got an unbuilt one`);
  const byName = new Map<string, { mapping: Mapping; layer: Module }>();
  for (const [key, layer] of model.namedChildren()) {
    const mapping = LAYER_MAP.find((m) => layer.constructor === m.ours);
    if (mapping === undefined) throw new ConfigError(`${unit}: layer '${key}' (${layer.className}) has no tfjs-layers equivalent`);
    byName.set(key, { mapping, layer: layer as Module });
  }
  loadWeights(model, byName, artifacts, unit);
}

/**
 * Options of {@link toTfjsLayers}.
 *
 * @example
 * ```ts
 * const options: ToTfjsLayersOptions = { inputShape: [null, 784] };
 * ```
 */
export interface ToTfjsLayersOptions {
  /**
   * A Sequential's input shape, batch `null`; stored as the first layer's
   * `batch_input_shape`. Required for a Sequential; a {@link LayerGraph} records its own.
   */
  inputShape?: Shape;
}

/** The tfjs class and config of one of our layers, and its weights under `<key>/`. */
function layerToTfjs(key: string, layer: Module, weights: Record<string, tf.Tensor>): { class_name: string; config: TfjsConfig } {
  const mapping = LAYER_MAP.find((m) => layer.constructor === m.ours);
  if (mapping === undefined) {
    throw new ConfigError(`toTfjsLayers: layer '${key}' (${layer.className}) has no tfjs-layers equivalent`, {
      help: `shared layers: ${LAYER_MAP.map((m) => m.ours.name).join(', ')}`,
    });
  }
  const config: TfjsConfig = { name: key, trainable: true, ...mapping.toTfjs(layer) };
  for (const [name, v] of Object.entries(layer.state())) {
    weights[`${key}/${mapping.tfjsWeight ? mapping.tfjsWeight(name, layer) : tfjsWeightName(name)}`] = v;
  }
  return { class_name: mapping.tfjsClass, config };
}

/** A functional `Model` topology for a LayerGraph: input layers, layers with their inbound nodes, in run order. */
function graphTopology(model: LayerGraph, weights: Record<string, tf.Tensor>): TfjsConfig {
  const shapes = model.inputShapes!;
  const layers: TfjsConfig[] = model.inputs.map((input, i) => ({
    name: input.name,
    class_name: 'InputLayer',
    config: { batch_input_shape: [...shapes[i]!], dtype: input.dtype ?? 'float32', sparse: false, name: input.name },
    inbound_nodes: [],
  }));
  const order = [...new Set(model.nodes.map((n) => n.layer))];
  for (const name of order) {
    const layer = model.layers.get(name)! as Module;
    const node = (i: number): unknown[] => model.nodes.find((n) => n.layer === name && n.node === i)!.inputs.map((r) => [r.layer, r.node, r.index, {}]);
    const calls = model.nodes.filter((n) => n.layer === name).length;
    layers.push({ name, ...layerToTfjs(name, layer, weights), inbound_nodes: Array.from({ length: calls }, (_, i) => node(i)) });
  }
  return {
    name: model.name,
    layers,
    input_layers: model.inputs.map((input) => [input.name, 0, 0]),
    output_layers: model.outputs.map((r) => [r.layer, r.node, r.index]),
  };
}

/**
 * Converts a built Tensorloom `Sequential` or {@link LayerGraph} of shared layers into
 * tfjs-layers `ModelArtifacts` (topology, weight specs, weight data), which
 * `tf.loadLayersModel` of `@tensorflow/tfjs-layers` loads with `tf.io.fromMemory(artifacts)`:
 * a Sequential as a tfjs `Sequential`, a LayerGraph as a functional `Model` (its inputs,
 * outputs, shared layers and merges). `saveTfjsLayersModel` under `@tensorloom/interop/node`
 * writes them as `model.json` + `weights.bin`.
 *
 * @param model - a built Sequential or LayerGraph whose every layer tfjs-layers also has.
 * @param options - the input shape (a Sequential's; a LayerGraph knows its own).
 * @returns the artifacts.
 * @throws ConfigError naming the first layer (or option) tfjs-layers has no equivalent of.
 * @example
 * ```ts
 * const artifacts = await toTfjsLayers(model, { inputShape: [null, 784] });
 * const tfjsModel = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
 * ```
 */
export async function toTfjsLayers(model: Sequential | LayerGraph, options: ToTfjsLayersOptions = {}): Promise<tf.io.ModelArtifacts> {
  if (!(model instanceof Sequential) && !(model instanceof LayerGraph)) {
    throw new ConfigError(`toTfjsLayers: model ${(model as Module).label} expected a Sequential or a LayerGraph, got a ${(model as Module).className}`, {
      help: 'tfjs-layers stores a model as a Sequential or a functional graph; rebuild a subclassed model as a LayerGraph of shared layers',
    });
  }
  if (!model.built) throw new ConfigError(`toTfjsLayers: model ${model.label} expected a built model, got an unbuilt one`);
  const weights: Record<string, tf.Tensor> = {};
  let topology: TfjsConfig;
  if (model instanceof LayerGraph) {
    topology = { class_name: 'Model', config: graphTopology(model, weights) };
  } else {
    if (options.inputShape === undefined) {
      throw new ConfigError(`toTfjsLayers: model ${model.label}: options.inputShape expected the Sequential's input shape, got none`);
    }
    const layers: TfjsConfig[] = [];
    for (const [key, layer] of model.namedChildren()) {
      const entry = layerToTfjs(key, layer as Module, weights);
      if (layers.length === 0) entry.config.batch_input_shape = [...options.inputShape];
      layers.push(entry);
    }
    topology = { class_name: 'Sequential', config: { name: model.name, layers } };
  }
  const { data, specs } = await tf.io.encodeWeights(weights);
  return {
    modelTopology: { ...topology, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' },
    format: 'layers-model',
    generatedBy: 'Tensorloom @tensorloom/interop',
    convertedBy: null,
    weightSpecs: specs,
    weightData: data,
  };
}
