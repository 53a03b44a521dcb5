import { ConfigError, DTypeError, FormatError, TensorloomError, rng, tf } from '@tensorloom/core';
import { Sequential } from '@tensorloom/layers';
import type { Module, Shape } from '@tensorloom/layers';
import { ConfigReader, LAYER_MAP, ourWeightName, tfjsWeightName } from './layer-map.js';
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
}

function layerList(topology: unknown, source: string): { name: string; layers: LayerJson[] } {
  const unit = `fromTfjsLayers '${source}'`;
  let t = topology as { class_name?: unknown; config?: unknown; model_config?: unknown } | null;
  if (t !== null && typeof t === 'object' && 'model_config' in t) t = t.model_config as typeof t; // Keras' own wrapper
  if (t === null || typeof t !== 'object' || typeof t.class_name !== 'string') {
    throw new FormatError(`${unit}: modelTopology expected a { class_name, config } object, got ${JSON.stringify(t)?.slice(0, 80)}`);
  }
  if (t.class_name !== 'Sequential') {
    throw new ConfigError(`${unit}: model class expected Sequential, got ${t.class_name}`, {
      help: 'functional (Model) graphs are not converted; rebuild the model as a Sequential or a Module',
    });
  }
  const config = t.config as { name?: unknown; layers?: unknown } | unknown[];
  const layers = Array.isArray(config) ? config : (config as { layers?: unknown }).layers;
  if (!Array.isArray(layers) || layers.length === 0) throw new FormatError(`${unit}: Sequential config expected a non-empty layers list`);
  const name = !Array.isArray(config) && typeof config.name === 'string' ? config.name : 'sequential';
  return { name, layers: layers as LayerJson[] };
}

/**
 * Builds the Tensorloom `Sequential` equivalent to a tfjs-layers Sequential model:
 * the same layers with the same configuration, built for the saved input shape, holding the
 * saved weights. Takes the in-memory `ModelArtifacts` (what `model.save(tf.io.withSaveHandler(...))`
 * or a browser's `tf.io.browserFiles` give); `loadTfjsLayersModel` under
 * `@tensorloom/interop/node` reads a saved `model.json` with its weight shards.
 *
 * Layer names become the Sequential's keys; weights map `dense_Dense1/kernel` →
 * `dense_Dense1.kernel`, `lstm/recurrent_kernel` → `lstm.recurrentKernel`,
 * `batch_normalization/moving_mean` → `…movingMean`. Initializers, regularizers and
 * constraints only matter for training from scratch and are not carried over.
 *
 * @param artifacts - `modelTopology`, `weightSpecs` and `weightData` of a layers model.
 * @param options - a source name for messages.
 * @returns the built model (the caller owns it).
 * @throws ConfigError naming the first unsupported layer class or option; FormatError for a
 *   malformed topology; ShapeError/DTypeError naming a weight that is missing, extra, or of
 *   the wrong shape. Nothing is returned half-loaded.
 * @example
 * ```ts
 * const artifacts = await new Promise<tf.io.ModelArtifacts>((resolve) =>
 *   tfjsModel.save(tf.io.withSaveHandler(async (a) => { resolve(a); return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; })));
 * const model = fromTfjsLayers(artifacts);
 * const y = model.apply(x); // equals tfjsModel.predict(x)
 * ```
 */
export function fromTfjsLayers(artifacts: tf.io.ModelArtifacts, options: FromTfjsLayersOptions = {}): Sequential {
  const source = options.source ?? '<artifacts>';
  const unit = `fromTfjsLayers '${source}'`;
  const { name, layers: json } = layerList(artifacts.modelTopology, source);
  let inputShape: Shape | null = null;
  const layers: Module[] = [];
  const byName = new Map<string, { mapping: (typeof LAYER_MAP)[number]; layer: Module }>();
  for (const [i, l] of json.entries()) {
    const config = (l.config ?? {}) as TfjsConfig;
    const className = String(l.class_name);
    const layerName = typeof config.name === 'string' ? config.name : `layer_${i}`;
    if (i === 0 || className === 'InputLayer') {
      const shape = config.batch_input_shape ?? (Array.isArray(config.input_shape) ? [null, ...(config.input_shape as number[])] : undefined);
      if (Array.isArray(shape)) inputShape = shape as Shape;
    }
    if (className === 'InputLayer') continue;
    const mapping = LAYER_MAP.find((m) => m.tfjsClass === className);
    if (mapping === undefined) {
      throw new ConfigError(`${unit}: layer '${layerName}' (${className}) has no Tensorloom equivalent`, {
        help: `supported layers: ${TFJS_SHARED_LAYERS.join(', ')}`,
      });
    }
    const reader = new ConfigReader(`${unit}: layer '${layerName}' (${className})`, config);
    const layer = mapping.fromTfjs(reader, layerName);
    reader.finish();
    layers.push(layer);
    byName.set(layerName, { mapping, layer });
  }
  if (inputShape === null) {
    throw new FormatError(`${unit}: the first layer expected a batch_input_shape, got none`, {
      help: 'a tfjs-layers model saved after being built (or given inputShape) records it',
    });
  }
  const model = new Sequential(layers, { name: name.replace(/[^A-Za-z0-9_-]/g, '_') });
  try {
    model.build(inputShape, rng(0));
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
  } catch (cause) {
    model.dispose();
    throw cause;
  }
  return model;
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
  /** The model's input shape, batch `null`; stored as the first layer's `batch_input_shape`. Required. */
  inputShape: Shape;
}

/**
 * Converts a built Tensorloom `Sequential` of shared layers into tfjs-layers
 * `ModelArtifacts` (topology, weight specs, weight data), which `tf.loadLayersModel` of
 * `@tensorflow/tfjs-layers` loads with `tf.io.fromMemory(artifacts)`;
 * `saveTfjsLayersModel` under `@tensorloom/interop/node` writes them as `model.json` +
 * `weights.bin`.
 *
 * @param model - a built Sequential whose every layer tfjs-layers also has.
 * @param options - the input shape.
 * @returns the artifacts.
 * @throws ConfigError naming the first layer (or option) tfjs-layers has no equivalent of.
 * @example
 * ```ts
 * const artifacts = await toTfjsLayers(model, { inputShape: [null, 784] });
 * const tfjsModel = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
 * ```
 */
export async function toTfjsLayers(model: Sequential, options: ToTfjsLayersOptions): Promise<tf.io.ModelArtifacts> {
  if (!model.built) throw new ConfigError(`toTfjsLayers: model ${model.label} expected a built model, got an unbuilt one`);
  const layers: TfjsConfig[] = [];
  const weights: Record<string, tf.Tensor> = {};
  for (const [key, layer] of model.namedChildren()) {
    const mapping = LAYER_MAP.find((m) => layer.constructor === m.ours);
    if (mapping === undefined) {
      throw new ConfigError(`toTfjsLayers: layer '${key}' (${layer.className}) has no tfjs-layers equivalent`, {
        help: `shared layers: ${LAYER_MAP.map((m) => m.ours.name).join(', ')}`,
      });
    }
    const config: TfjsConfig = { name: key, trainable: true, ...mapping.toTfjs(layer) };
    if (layers.length === 0) config.batch_input_shape = [...options.inputShape];
    layers.push({ class_name: mapping.tfjsClass, config });
    for (const [name, v] of Object.entries(layer.state())) {
      weights[`${key}/${mapping.tfjsWeight ? mapping.tfjsWeight(name, layer) : tfjsWeightName(name)}`] = v;
    }
  }
  const { data, specs } = await tf.io.encodeWeights(weights);
  return {
    modelTopology: {
      class_name: 'Sequential',
      config: { name: model.name, layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    format: 'layers-model',
    generatedBy: 'Tensorloom @tensorloom/interop',
    convertedBy: null,
    weightSpecs: specs,
    weightData: data,
  };
}
