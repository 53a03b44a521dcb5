import { ConfigError, formatShape } from '@tensorloom/core';
import type { Module, Shape } from '@tensorloom/layers';
import { GraphBuilder } from './graph.js';
import type { ElemType, ValueInfo } from './graph.js';
import { convertLayer, registerCustom } from './layers.js';
import { toFloatMask } from './emit.js';
import { layerGraphInputDtype, layerGraphShapeArg } from './layer-graph.js';
import type { ApplyInputs, OnnxInput, OnnxValue } from './emit.js';

/** The apply options exportOnnx can take as mask graph inputs. */
const MASK_OPTIONS = ['mask', 'keyMask', 'attentionMask', 'memoryMask'];

/**
 * Options of {@link exportOnnx}.
 *
 * @example
 * ```ts
 * const options: ExportOnnxOptions = { inputShape: [null, 28, 28, 1], opset: 17 };
 * const attention: ExportOnnxOptions = {
 *   inputShape: { query: [null, null, 8], value: [null, null, 8] }, // two graph inputs, 'query' and 'value'
 *   masks: { keyMask: [null, null] },                              // a third, 'keyMask' (1 = attend)
 * };
 * ```
 */
export interface ExportOnnxOptions {
  /**
   * The input shape(s); `null` sizes (the batch, usually) become dynamic dimensions of the
   * graph. One shape for a one-input model (graph input `inputName`); a record for a model
   * that takes named inputs (`{ query, value }`, `{ target, memory }`, `{ source, target }`:
   * one graph input per key, named by it); a list for one that takes a list (the merges:
   * graph inputs `input_0`, `input_1`, ...). A LayerGraph takes either: a record keyed by its
   * input names (graph inputs of those names) or a list in its `inputs` order. Required.
   */
  inputShape: Shape | readonly Shape[] | Readonly<Record<string, Shape>>;
  /** The ONNX opset (default domain), 17 to 21. Default `17`. */
  opset?: number;
  /**
   * The element type of the input(s): one for all, or per input name. Default `'int32'` for
   * token ids (a model that starts with an Embedding, the language models and classifiers,
   * `source`/`target` of the seq2seq models, a LayerGraph's inputs declared `int32`), else
   * `'float32'` (give `'int32'` for a model of your own that starts with an Embedding).
   */
  inputDtype?: 'float32' | 'int32' | Readonly<Record<string, 'float32' | 'int32'>>;
  /**
   * Masks the model's `apply` takes as options, each an extra float32 graph input named after
   * the option, with its shape: `mask` (`[batch, time]`: a Sequential's or a transformer
   * layer's padding mask, the decoder layer's target mask), `keyMask` (`[batch, keyLength]`)
   * and `attentionMask` (`[batch, queryLength, keyLength]`) of MultiHeadAttention,
   * `memoryMask` of TransformerDecoderLayer. 1 (any non-zero) = a real step / attend, 0 =
   * padding. Models with a `padId` build their masks from the ids in the graph instead.
   */
  masks?: Readonly<Record<string, Shape>>;
  /** MultiHeadAttention's `useCausalMask`, built in the graph for any length. Default `false`. */
  causal?: boolean;
  /**
   * The longest sequence a graph with a dynamic length serves, for position tables with no
   * bound of their own (SinusoidalPositionalEncoding: a table of this many rows, sliced to the
   * input's length in the graph). Default none: such a layer then needs a known length.
   */
  maxSequenceLength?: number;
  /** The graph input's name for a one-input model. Default `'input'`. */
  inputName?: string;
  /** The graph output's name; a model with several outputs (`returnState`, `mergeMode: 'none'`) gives `<name>_0`, `<name>_1`, .... Default `'output'`. */
  outputName?: string;
  /** Free-form string metadata stored in the model (`metadata_props`). */
  metadata?: Record<string, string>;
}

/** The opsets exportOnnx writes valid graphs for. */
const OPSETS = [17, 18, 19, 20, 21];

/**
 * Exports a built model as an ONNX inference graph (`.onnx` bytes): its layers as ONNX
 * operators, its weights as initializers, `null` input sizes as dynamic dimensions (`batch`,
 * `dim_1`, ...). Dropout and noise layers are left out; batch norm is folded into a scale and
 * shift; LSTM, GRU and SimpleRNN become ONNX's LSTM, GRU and RNN (gates reordered; with a
 * padding mask, one op per step, unrolled, padded steps keeping the state); tensors keep the
 * NHWC layout, with transposes around convolutions and pooling.
 *
 * Several inputs: `inputShape` as a record (`{ query, value }`, `{ target, memory }`,
 * `{ source, target }`, or your own model's names) gives one graph input per key, named by
 * it; as a list of shapes (the merges) inputs `input_0`, `input_1`, .... Masks: a model with a
 * `padId` builds `ids != padId` in the graph; a mask apply option (`mask`, `keyMask`,
 * `attentionMask`, `memoryMask`) becomes a float32 graph input with `masks`. Sequence lengths
 * may be dynamic where the model allows (attention, GPT's in-graph causal mask, learned
 * positions up to their table's length).
 *
 * Supported: every layer of `@tensorloom/layers` that inference uses (Sequential, Dense,
 * MultiAxisDense, the convolutions and pools, the normalizations, activations, reshapes,
 * padding, resampling, the merges, Embedding, the recurrent layers, Bidirectional,
 * TimeDistributed, MultiHeadAttention, the positional encodings, the transformer encoder and
 * decoder layers) and every model family of `@tensorloom/models` (the CNN backbones, ViT,
 * U-Net, the GANs, the autoencoders, the VAE's reconstruction through the posterior mean,
 * MLP, perceptron, RBF network, the RNN classifier, GPT, the transformer classifier, the
 * seq2seq transformer and LSTM, teacher-forced), and a LayerGraph (a tfjs-layers functional
 * model: its calls in order, a shared layer's weights stored once, outputs `output_0`, ...).
 * A module class of your own exports with {@link registerOnnxConverter}.
 *
 * @param model - a built model (a layer or a Sequential).
 * @param options - the input shape(s) (required), opset, input dtypes and names, masks, metadata.
 * @returns the serialized `ModelProto`.
 * @throws ConfigError naming the first layer that cannot be exported (with the supported
 *   list) and why, a missing or extra input, a mask option the model does not take, an
 *   unbuilt model, or an unsupported opset.
 * @example
 * ```ts
 * const model = new Sequential([new Dense({ units: 8, activation: 'relu' }), new Dense({ units: 2 })])
 *   .build([null, 4], rng(1));
 * const bytes = exportOnnx(model, { inputShape: [null, 4] });
 * // onnxruntime: const session = await InferenceSession.create(bytes);
 * const s2s = exportOnnx(translator, { inputShape: { source: [null, null], target: [null, null] } });
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function exportOnnx(model: Module<any, any>, options: ExportOnnxOptions): Uint8Array {
  const opset = options.opset ?? 17;
  if (!OPSETS.includes(opset)) {
    throw new ConfigError(`exportOnnx: opset expected one of ${OPSETS.join(', ')}, got ${opset}`);
  }
  if (!model.built) {
    throw new ConfigError(`exportOnnx: model ${model.label} expected a built model, got an unbuilt one`, {
      help: 'call model.build(inputShape, rng) or load its weights first',
    });
  }
  const isShape = (v: unknown): v is Shape =>
    Array.isArray(v) && v.length > 0 && v.every((d) => d === null || (Number.isInteger(d) && (d as number) > 0));
  const given = options.inputShape;
  const named: [string, Shape][] = Array.isArray(given) && given.length > 0 && given.every((s) => Array.isArray(s))
    ? (given as Shape[]).map((s, i) => [`input_${i}`, s])
    : isShape(given) ? [[options.inputName ?? 'input', given]]
    : given !== null && typeof given === 'object' && !Array.isArray(given) ? Object.entries(given as Record<string, Shape>)
    : [];
  if (named.length === 0 || named.some(([, s]) => !isShape(s))) {
    throw new ConfigError(`exportOnnx: inputShape expected a shape (a list of positive integers or null), a list of shapes or a record of them, got ${JSON.stringify(given)}`);
  }
  const first = firstLayer(model);
  const idModels = ['Embedding', 'CausalLM', 'RNNClassifier', 'TransformerClassifier', 'Seq2SeqTransformer', 'Seq2SeqLSTM'];
  const idsByDefault = idModels.includes(model.className) || idModels.includes(first.className);
  const recordGiven = !isShape(given) && !Array.isArray(given);
  const dtypeOf = (name: string, position: number): ElemType => {
    const d = options.inputDtype;
    if (typeof d === 'string') return d;
    if (d !== undefined && d[name] !== undefined) return d[name]!;
    // A LayerGraph's inputs say their own dtype (int32 token ids).
    const own = layerGraphInputDtype(model, recordGiven ? name : position);
    if (own !== undefined) return own;
    return idsByDefault ? 'int32' : 'float32';
  };
  const g = new GraphBuilder(opset);
  if (options.maxSequenceLength !== undefined) {
    if (!(Number.isInteger(options.maxSequenceLength) && options.maxSequenceLength > 0)) {
      throw new ConfigError(`exportOnnx: maxSequenceLength expected a positive integer, got ${options.maxSequenceLength}`);
    }
    g.maxSequenceLength = options.maxSequenceLength;
  }
  const outputName = options.outputName ?? 'output';
  // The inputs' names first, so no node output takes one of them.
  const values = named.map(([name, shape]): OnnxValue => {
    g.fresh(name);
    return { name, shape, mask: null };
  });
  const masks: Record<string, string> = {};
  for (const [name, shape] of Object.entries(options.masks ?? {})) {
    if (!MASK_OPTIONS.includes(name)) throw new ConfigError(`exportOnnx: masks expected options among ${MASK_OPTIONS.join(', ')}, got '${name}'`);
    if (!isShape(shape)) throw new ConfigError(`exportOnnx: masks.${name} expected a shape, got ${JSON.stringify(shape)}`);
    if (named.some(([n]) => n === name)) throw new ConfigError(`exportOnnx: masks.${name} has the name of an input`);
    g.fresh(name);
    masks[name] = toFloatMask(g, name);
  }
  const apply: ApplyInputs = { masks, causal: options.causal ?? false, used: new Set() };
  let input: OnnxInput;
  let modelShape: unknown;
  if (isShape(given)) {
    // A one-input model's `mask` option rides on its input, as Sequential hands it to its first layer.
    input = { ...values[0]!, mask: masks['mask'] ?? null };
    if (masks['mask'] !== undefined) apply.used.add('mask');
    modelShape = given;
  } else if (Array.isArray(given)) {
    input = values;
    modelShape = given;
  } else {
    input = Object.fromEntries(values.map((v) => [v.name, v]));
    modelShape = layerGraphShapeArg(model, given); // a LayerGraph's outputShape takes its list
  }
  const out = convertLayer(model, input, { g, path: model.name, apply });
  const unused = Object.keys(masks).filter((k) => !apply.used.has(k));
  if (unused.length > 0) throw new ConfigError(`exportOnnx: model ${model.label} does not take the mask option${unused.length > 1 ? 's' : ''} ${unused.join(', ')}`);
  if (options.causal && !(model.className === 'MultiHeadAttention')) throw new ConfigError(`exportOnnx: causal expected a MultiHeadAttention model, got ${model.label}`);
  // A model with several outputs (returnState, mergeMode 'none') gives `output_0`, `output_1`, ...
  const outs = [out, ...(out.rest ?? [])];
  const expected = model.outputShape(modelShape as never) as Shape | Shape[];
  const expectedList = outs.length > 1 ? (expected as Shape[]) : [expected as Shape];
  outs.forEach((o, i) => {
    if (formatShape(expectedList[i] ?? []) !== formatShape(o.shape)) {
      throw new ConfigError(`exportOnnx: model ${model.label} output${outs.length > 1 ? ` ${i}` : ''} expected shape ${formatShape(expectedList[i] ?? [])}, the graph gives ${formatShape(o.shape)}`);
    }
  });
  const outputNames = outs.length === 1 ? [outputName] : outs.map((_, i) => `${outputName}_${i}`);
  outs.forEach((o, i) => g.identity(o.name, outputNames[i]!));
  // Dynamic sizes: `batch` first; then `dim_<i>` for a one-input model's input, `<value>_dim_<i>`
  // for the others and for outputs (an output's size may differ from the input's: a strided conv).
  const dims = (shape: Shape, name: string): (number | string)[] =>
    shape.map((d, i) => d ?? (i === 0 ? 'batch' : named.length === 1 && name === named[0]![0] && Object.keys(masks).length === 0 ? `dim_${i}` : `${name}_dim_${i}`));
  const graphInputs: ValueInfo[] = [
    ...named.map(([name, shape], i) => ({ name, elemType: dtypeOf(name, i), dims: dims(shape, name) })),
    ...Object.entries(options.masks ?? {}).map(([name, shape]) => ({ name, elemType: 'float32' as const, dims: dims(shape, name) })),
  ];
  return g.encode(model.name, graphInputs, outs.map((o, i) => ({ name: outputNames[i]!, elemType: 'float32' as const, dims: dims(o.shape, outputNames[i]!) })), options.metadata ?? {});
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function firstLayer(model: Module<any, any>): Module<any, any> {
  const layers = (model as { layers?: readonly Module[] }).layers;
  return Array.isArray(layers) && layers.length > 0 ? firstLayer(layers[0] as Module) : model;
}

/**
 * A value of the ONNX graph being built, as a custom converter sees it: its name in the
 * graph and its shape (`null` for a dynamic size).
 *
 * @example
 * ```ts
 * const v: OnnxGraphValue = { name: 'input', shape: [null, 4] };
 * ```
 */
export interface OnnxGraphValue {
  /** The value's name in the graph. */
  readonly name: string;
  /** Its shape, `null` for a dynamic size. */
  readonly shape: Shape;
  /** A layer's further outputs, when it has several (an LSTM's `returnState`: `[h, c]`). */
  readonly rest?: readonly OnnxGraphValue[];
}

/**
 * What a converter receives and returns: one value, a list (merges), or named values
 * (MultiHeadAttention's `{ query, value }`, a decoder layer's `{ target, memory }`).
 *
 * @example
 * ```ts
 * const pair: OnnxGraphInput = { a: { name: 'a', shape: [null, 3] }, b: { name: 'b', shape: [null, 3] } };
 * ```
 */
export type OnnxGraphInput = OnnxGraphValue | readonly OnnxGraphValue[] | { readonly [name: string]: OnnxGraphValue };

/**
 * Teaches exportOnnx a model class of your own (a subclass of `Module` with its own `call`):
 * `convert(model, input, child)` says how its children are wired, `child(module, input)`
 * exports one child (any supported layer — Dense, the merges Add/Multiply/Concatenate,
 * MultiHeadAttention, ... — or another registered model) and returns its output. exportOnnx
 * cannot read `call`, so this states its data flow once; the graph is then checked against
 * `model.apply` by you, as the tests do.
 *
 * @param cls - the model's class (matched exactly, not subclasses).
 * @param convert - the wiring: returns the model's output value.
 * @example
 * ```ts
 * class TwoTower extends Module<{ a: tf.Tensor; b: tf.Tensor }, tf.Tensor> {
 *   // fa, fb: Dense; join: Concatenate; head: Dense; call: head(join([fa(a), fb(b)]))
 * }
 * registerOnnxConverter(TwoTower, (m, { a, b }, child) => child(m.head, child(m.join, [child(m.fa, a), child(m.fb, b)])));
 * const bytes = exportOnnx(model, { inputShape: { a: [null, 4], b: [null, 6] } });
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function registerOnnxConverter<M extends Module<any, any>>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  cls: abstract new (...args: any[]) => M,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  convert: (model: M, input: any, child: (module: Module<any, any>, input: OnnxGraphInput) => OnnxGraphValue) => OnnxGraphInput,
): void {
  registerCustom(cls as never, (layer, x, child) => convert(layer as M, x, child as never) as OnnxInput);
}
