import { ConfigError, formatShape } from '@tensorloom/core';
import type { Module, Shape } from '@tensorloom/layers';
import { GraphBuilder } from './graph.js';
import type { ElemType } from './graph.js';
import { convertLayer } from './layers.js';

/**
 * Options of {@link exportOnnx}.
 *
 * @example
 * ```ts
 * const options: ExportOnnxOptions = { inputShape: [null, 28, 28, 1], opset: 17 };
 * ```
 */
export interface ExportOnnxOptions {
  /** The input shape; `null` sizes (the batch, usually) become dynamic dimensions of the graph. Required. */
  inputShape: Shape;
  /** The ONNX opset (default domain), 17 to 21. Default `17`. */
  opset?: number;
  /** The input's element type. Default `'int32'` when the model starts with an Embedding, else `'float32'`. */
  inputDtype?: 'float32' | 'int32';
  /** The graph input's name. Default `'input'`. */
  inputName?: string;
  /** The graph output's name. Default `'output'`. */
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
 * shift; LSTM, GRU and SimpleRNN become ONNX's LSTM, GRU and RNN (gates reordered); tensors
 * keep the NHWC layout, with transposes around convolutions and pooling.
 *
 * Supported: Sequential; Dense; Conv1D (incl. causal), Conv2D (dilated), DepthwiseConv2D,
 * SeparableConv2D, Conv2DTranspose; Max/AvgPool 1D and 2D, the four global pools; BatchNorm,
 * LayerNorm (trailing axes), GroupNorm, InstanceNorm; Activation and every named activation; Dropout, SpatialDropout,
 * GaussianNoise/Dropout, AlphaDropout, Identity (removed); Flatten, Reshape, Permute,
 * ZeroPadding2D, Cropping2D, UpSampling2D; Embedding (Gather); LSTM, GRU (both bias forms),
 * SimpleRNN (goBackwards for the last state), Bidirectional (concat, sum, ave, mul), TimeDistributed; SinusoidalPositionalEncoding, PositionalEmbedding; TransformerEncoderLayer. From
 * `@tensorloom/models`: every BackboneModel (ResNet, CIFAR ResNet, MobileNetV2, LeNet-5, ...)
 * and CausalLM (GPT; its sequence length must be known, for the causal mask).
 *
 * @param model - a built model (a layer or a Sequential).
 * @param options - the input shape (required), opset, input dtype and names, metadata.
 * @returns the serialized `ModelProto`.
 * @throws ConfigError naming the first layer that cannot be exported (with the supported
 *   list), an unbuilt model, or an unsupported opset.
 * @example
 * ```ts
 * const model = new Sequential([new Dense({ units: 8, activation: 'relu' }), new Dense({ units: 2 })])
 *   .build([null, 4], rng(1));
 * const bytes = exportOnnx(model, { inputShape: [null, 4] });
 * // onnxruntime: const session = await InferenceSession.create(bytes);
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
  const inputShape = options.inputShape;
  if (!Array.isArray(inputShape) || inputShape.length === 0 || inputShape.some((d) => d !== null && !(Number.isInteger(d) && d > 0))) {
    throw new ConfigError(`exportOnnx: inputShape expected a list of positive integers or null, got ${JSON.stringify(inputShape)}`);
  }
  const first = firstLayer(model);
  const inputDtype: ElemType = options.inputDtype ?? (['Embedding', 'CausalLM', 'RNNClassifier'].includes(first.className) ? 'int32' : 'float32');
  const g = new GraphBuilder(opset);
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'output';
  g.fresh(inputName);
  const out = convertLayer(model, { name: inputName, shape: inputShape }, { g, path: model.name });
  const expected = model.outputShape(inputShape);
  if (formatShape(expected as Shape) !== formatShape(out.shape)) {
    throw new ConfigError(`exportOnnx: model ${model.label} output expected shape ${formatShape(expected as Shape)}, the graph gives ${formatShape(out.shape)}`);
  }
  g.identity(out.name, outputName);
  const dims = (shape: Shape): (number | string)[] => shape.map((d, i) => d ?? (i === 0 ? 'batch' : `dim_${i}`));
  return g.encode(model.name, [{ name: inputName, elemType: inputDtype, dims: dims(inputShape) }], [
    { name: outputName, elemType: 'float32', dims: dims(out.shape) },
  ], options.metadata ?? {});
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function firstLayer(model: Module<any, any>): Module<any, any> {
  const layers = (model as { layers?: readonly Module[] }).layers;
  return Array.isArray(layers) && layers.length > 0 ? firstLayer(layers[0] as Module) : model;
}
