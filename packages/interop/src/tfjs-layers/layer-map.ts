// The layers Tensorloom and tfjs-layers share: how a tfjs-layers (Keras-style, snake_case)
// layer config becomes ours and back, and how their weight names correspond. Data first: a
// table of entries, one per class, each a pair of small functions.
import { ConfigError } from '@tensorloom/core';
import {
  Activation, AlphaDropout, AvgPool1D, Bidirectional, TimeDistributed, AvgPool2D, BatchNorm, Conv1D, Conv2D, Conv2DTranspose, Cropping2D, DepthwiseConv2D,
  Dense, Dropout, Embedding, Flatten, GaussianDropout, GaussianNoise, GlobalAvgPool1D, GlobalAvgPool2D, GlobalMaxPool1D,
  GlobalMaxPool2D, GRU, LayerNorm, LSTM, MaxPool1D, MaxPool2D, Permute, Reshape, SeparableConv2D, SimpleRNN,
  SpatialDropout1D, SpatialDropout2D, UpSampling2D, ZeroPadding2D, getActivation, Add, Multiply, Concatenate,
} from '@tensorloom/layers';
import { Average, Maximum, Minimum } from './layer-graph.js';
import type { ActivationFn, ActivationName, Module } from '@tensorloom/layers';

/** A tfjs-layers layer config: snake_case keys, JSON values. */
export type TfjsConfig = Record<string, unknown>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModule = Module<any, any>;

/**
 * Reads a tfjs config, remembering which keys were used, so that an option we do not
 * understand is an error naming it rather than silently ignored.
 */
export class ConfigReader {
  private readonly used = new Set<string>(['name', 'trainable', 'dtype', 'batch_input_shape', 'input_shape', 'batch_size', 'input_dtype']);

  constructor(
    readonly unit: string,
    private readonly config: TfjsConfig,
  ) {}

  /** The value of `key`, or `fallback` when absent or null. */
  get<T>(key: string, fallback: T): T {
    this.used.add(key);
    const v = this.config[key];
    return v === undefined || v === null ? fallback : (v as T);
  }

  /** Accepts `key` only when it has one of the `allowed` values (or is absent). */
  only(key: string, allowed: readonly unknown[]): void {
    this.used.add(key);
    const v = this.config[key];
    if (v !== undefined && v !== null && !allowed.some((a) => JSON.stringify(a) === JSON.stringify(v))) {
      throw new ConfigError(`${this.unit}: option '${key}' expected ${allowed.map((a) => JSON.stringify(a)).join(' or ')}, got ${JSON.stringify(v)}`, {
        help: 'Tensorloom has no equivalent of this setting',
      });
    }
  }

  /** Marks keys that only matter for training from scratch (initializers, regularizers, constraints). */
  ignoreTrainingOnly(): void {
    for (const k of Object.keys(this.config)) {
      if (/_(initializer|regularizer|constraint)$/.test(k) || k === 'activity_regularizer') this.used.add(k);
    }
  }

  /** Throws naming the first key that no reader asked for. */
  finish(): void {
    const unknown = Object.keys(this.config).find((k) => !this.used.has(k));
    if (unknown !== undefined) {
      throw new ConfigError(`${this.unit}: option '${unknown}' (${JSON.stringify(this.config[unknown])}) is not supported`);
    }
  }
}

const TFJS_ACTIVATIONS: Record<string, ActivationName> = {
  linear: 'linear', relu: 'relu', relu6: 'relu6', elu: 'elu', selu: 'selu', sigmoid: 'sigmoid', hard_sigmoid: 'hardSigmoid',
  tanh: 'tanh', softmax: 'softmax', softplus: 'softplus', softsign: 'softsign', swish: 'swish', gelu: 'gelu', gelu_new: 'geluTanh',
};

function activationFrom(r: ConfigReader, key: string, fallback: string): ActivationName {
  const name = r.get<string>(key, fallback);
  const ours = TFJS_ACTIVATIONS[name];
  if (ours === undefined) {
    throw new ConfigError(`${r.unit}: option '${key}' expected one of ${Object.keys(TFJS_ACTIVATIONS).join(', ')}, got ${JSON.stringify(name)}`);
  }
  return ours;
}

function activationTo(unit: string, a: ActivationName | ActivationFn): string {
  const name = typeof a === 'string' ? a : (Object.values(TFJS_ACTIVATIONS).find((n) => getActivation(n) === a) ?? null);
  const entry = Object.entries(TFJS_ACTIVATIONS).find(([, ours]) => ours === name);
  if (entry === undefined) throw new ConfigError(`${unit}: activation ${String(name ?? 'function')} has no tfjs-layers equivalent`);
  return entry[0];
}

const pair = (v: number | readonly number[]): [number, number] => (typeof v === 'number' ? [v, v] : [v[0]!, v[1] ?? v[0]!]);
const one = (v: number | readonly number[]): number => (typeof v === 'number' ? v : v[0]!);

/** One shared layer: our class, the tfjs class name, and the conversions. */
export interface LayerMapping {
  /** tfjs-layers' `class_name`. */
  tfjsClass: string;
  /** Our class. */
  ours: abstract new (...args: never[]) => AnyModule;
  /** Our layer from a tfjs config (the name is set by the caller). */
  fromTfjs(r: ConfigReader, name: string): AnyModule;
  /** A tfjs config from our layer (without name, trainable and batch_input_shape). */
  toTfjs(layer: AnyModule): TfjsConfig;
  /** Our local state name for a tfjs weight path below the layer (default: the camelCase of its last part). */
  ourWeight?(path: readonly string[], layer: AnyModule): string;
  /** The tfjs weight path below the layer for our local state name (default: snake_case). */
  tfjsWeight?(ours: string, layer: AnyModule): string;
}

/** A wrapped layer's config (`{ class_name, config }`) as our layer, through the table. */
function wrapped(r: ConfigReader, allowed: readonly string[]): AnyModule {
  const inner = r.get<{ class_name?: unknown; config?: TfjsConfig } | null>('layer', null);
  const cls = String(inner?.class_name);
  const mapping = LAYER_MAP.find((m) => m.tfjsClass === cls);
  if (inner === null || mapping === undefined || !allowed.includes(cls)) {
    throw new ConfigError(`${r.unit}: option 'layer' expected one of ${allowed.join(', ')}, got ${cls}`);
  }
  const config = inner.config ?? {};
  const innerName = typeof config.name === 'string' ? config.name : cls.toLowerCase();
  const reader = new ConfigReader(`${r.unit} layer '${innerName}' (${cls})`, config);
  const layer = mapping.fromTfjs(reader, innerName);
  reader.finish();
  return layer;
}

function wrappedTo(layer: AnyModule): TfjsConfig {
  const mapping = LAYER_MAP.find((m) => layer.constructor === m.ours);
  if (mapping === undefined) throw new ConfigError(`${layer.label}: has no tfjs-layers equivalent`);
  return { class_name: mapping.tfjsClass, config: { name: layer.name, trainable: true, ...mapping.toTfjs(layer) } };
}

function kernelFrom(r: ConfigReader): { useBias: boolean } {
  r.ignoreTrainingOnly();
  return { useBias: r.get('use_bias', true) };
}

function conv2dGeometry(r: ConfigReader): { kernelSize: [number, number]; strides: [number, number]; padding: 'valid' | 'same'; dilationRate: [number, number] } {
  r.only('data_format', ['channels_last']);
  return {
    kernelSize: pair(r.get<number | number[]>('kernel_size', 1)),
    strides: pair(r.get<number | number[]>('strides', 1)),
    padding: r.get<'valid' | 'same'>('padding', 'valid'),
    dilationRate: pair(r.get<number | number[]>('dilation_rate', 1)),
  };
}

function recurrentFrom(r: ConfigReader): Record<string, unknown> {
  r.ignoreTrainingOnly();
  r.only('stateful', [false]);
  r.only('unroll', [false, true]);
  r.only('implementation', [1, 2]);
  return {
    units: r.get<number>('units', 0),
    activation: activationFrom(r, 'activation', 'tanh'),
    useBias: r.get('use_bias', true),
    returnSequences: r.get('return_sequences', false),
    returnState: r.get('return_state', false),
    goBackwards: r.get('go_backwards', false),
    dropout: r.get('dropout', 0),
    recurrentDropout: r.get('recurrent_dropout', 0),
  };
}

function recurrentTo(layer: LSTM | GRU | SimpleRNN): TfjsConfig {
  const c = layer.config;
  return {
    units: c.units, activation: activationTo(layer.label, c.activation), use_bias: c.useBias, return_sequences: c.returnSequences,
    return_state: c.returnState, go_backwards: c.goBackwards, dropout: c.dropout, recurrent_dropout: c.recurrentDropout,
  };
}

const poolFrom = (r: ConfigReader, twoD: boolean): Record<string, unknown> => {
  r.only('data_format', ['channels_last']);
  const poolSize = r.get<number | number[]>('pool_size', 2);
  const strides = r.get<number | number[] | null>('strides', null);
  return twoD
    ? { poolSize: pair(poolSize), strides: strides === null ? pair(poolSize) : pair(strides), padding: r.get('padding', 'valid') }
    : { poolSize: one(poolSize), strides: strides === null ? one(poolSize) : one(strides), padding: r.get('padding', 'valid') };
};

const dropoutLike = (tfjsClass: string, ours: new (c: { rate: number; name: string }) => AnyModule): LayerMapping => ({
  tfjsClass,
  ours,
  fromTfjs: (r, name) => {
    r.only('noise_shape', [null]);
    r.only('seed', [null]);
    return new ours({ rate: r.get('rate', 0), name });
  },
  toTfjs: (layer) => ({ rate: (layer as Dropout | SpatialDropout1D | GaussianDropout).rate }), // public on every dropout
});

/** The merge layers' tfjs classes (they take a list of tensors: functional models only). */
export const MERGES: readonly string[] = ['Add', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate'];

/** Every layer the two libraries share. */
export const LAYER_MAP: readonly LayerMapping[] = [
  {
    tfjsClass: 'Dense', ours: Dense,
    fromTfjs: (r, name) => new Dense({ name, units: r.get('units', 0), activation: activationFrom(r, 'activation', 'linear'), ...kernelFrom(r) }),
    toTfjs: (l) => { const c = (l as Dense).config; return { units: c.units, activation: activationTo(l.label, c.activation), use_bias: c.useBias }; },
  },
  {
    tfjsClass: 'Conv2D', ours: Conv2D,
    fromTfjs: (r, name) => new Conv2D({ name, filters: r.get('filters', 0), ...conv2dGeometry(r), activation: activationFrom(r, 'activation', 'linear'), ...kernelFrom(r) }),
    toTfjs: (l) => {
      const c = (l as Conv2D).config;
      return { filters: c.filters, kernel_size: c.kernelSize, strides: c.strides, padding: c.padding, data_format: 'channels_last', dilation_rate: c.dilationRate, activation: activationTo(l.label, c.activation), use_bias: c.useBias };
    },
  },
  {
    tfjsClass: 'Conv1D', ours: Conv1D,
    fromTfjs: (r, name) => {
      r.only('data_format', ['channels_last']);
      return new Conv1D({
        name, filters: r.get('filters', 0), kernelSize: one(r.get('kernel_size', 1)), strides: one(r.get('strides', 1)),
        padding: r.get('padding', 'valid'), dilationRate: one(r.get('dilation_rate', 1)), activation: activationFrom(r, 'activation', 'linear'), ...kernelFrom(r),
      });
    },
    toTfjs: (l) => {
      const c = (l as Conv1D).config;
      return { filters: c.filters, kernel_size: [c.kernelSize], strides: [c.strides], padding: c.padding, data_format: 'channels_last', dilation_rate: [c.dilationRate], activation: activationTo(l.label, c.activation), use_bias: c.useBias };
    },
  },
  {
    tfjsClass: 'Conv2DTranspose', ours: Conv2DTranspose,
    fromTfjs: (r, name) => {
      const g = conv2dGeometry(r);
      if (g.dilationRate.some((d) => d !== 1)) r.only('dilation_rate', [[1, 1]]);
      return new Conv2DTranspose({ name, filters: r.get('filters', 0), kernelSize: g.kernelSize, strides: g.strides, padding: g.padding, activation: activationFrom(r, 'activation', 'linear'), ...kernelFrom(r) });
    },
    toTfjs: (l) => {
      const c = (l as Conv2DTranspose).config;
      if (c.outputPadding !== null) throw new ConfigError(`${l.label}: outputPadding has no tfjs-layers equivalent`);
      return { filters: c.filters, kernel_size: c.kernelSize, strides: c.strides, padding: c.padding, data_format: 'channels_last', activation: activationTo(l.label, c.activation), use_bias: c.useBias };
    },
  },
  {
    tfjsClass: 'DepthwiseConv2D', ours: DepthwiseConv2D,
    fromTfjs: (r, name) => new DepthwiseConv2D({ name, ...conv2dGeometry(r), depthMultiplier: r.get('depth_multiplier', 1), activation: activationFrom(r, 'activation', 'linear'), ...kernelFrom(r) }),
    toTfjs: (l) => {
      const c = (l as DepthwiseConv2D).config;
      return { kernel_size: c.kernelSize, strides: c.strides, padding: c.padding, data_format: 'channels_last', dilation_rate: c.dilationRate, depth_multiplier: c.depthMultiplier, activation: activationTo(l.label, c.activation), use_bias: c.useBias };
    },
  },
  {
    tfjsClass: 'SeparableConv2D', ours: SeparableConv2D,
    fromTfjs: (r, name) => new SeparableConv2D({ name, filters: r.get('filters', 0), ...conv2dGeometry(r), depthMultiplier: r.get('depth_multiplier', 1), activation: activationFrom(r, 'activation', 'linear'), ...kernelFrom(r) }),
    toTfjs: (l) => {
      const c = (l as SeparableConv2D).config;
      return { filters: c.filters, kernel_size: c.kernelSize, strides: c.strides, padding: c.padding, data_format: 'channels_last', dilation_rate: c.dilationRate, depth_multiplier: c.depthMultiplier, activation: activationTo(l.label, c.activation), use_bias: c.useBias };
    },
  },
  ...([['MaxPooling2D', MaxPool2D, true], ['AveragePooling2D', AvgPool2D, true], ['MaxPooling1D', MaxPool1D, false], ['AveragePooling1D', AvgPool1D, false]] as const).map(
    ([tfjsClass, ours, twoD]): LayerMapping => ({
      tfjsClass, ours,
      fromTfjs: (r, name) => new (ours as new (c: object) => AnyModule)({ name, ...poolFrom(r, twoD) }),
      toTfjs: (l) => {
        const c = (l as MaxPool2D | MaxPool1D).config;
        return { pool_size: twoD ? c.poolSize : [c.poolSize], strides: twoD ? c.strides : [c.strides], padding: c.padding, ...(twoD ? { data_format: 'channels_last' } : {}) };
      },
    }),
  ),
  ...([['GlobalAveragePooling2D', GlobalAvgPool2D], ['GlobalMaxPooling2D', GlobalMaxPool2D], ['GlobalAveragePooling1D', GlobalAvgPool1D], ['GlobalMaxPooling1D', GlobalMaxPool1D]] as const).map(
    ([tfjsClass, ours]): LayerMapping => ({
      tfjsClass, ours,
      fromTfjs: (r, name) => {
        r.only('data_format', ['channels_last']);
        return new (ours as new (c: object) => AnyModule)({ name });
      },
      toTfjs: (l) => {
        if ((l as GlobalAvgPool2D).keepDims) throw new ConfigError(`${l.label}: keepDims has no tfjs-layers 4.22 equivalent`);
        return tfjsClass.endsWith('2D') ? { data_format: 'channels_last' } : {};
      },
    }),
  ),
  {
    tfjsClass: 'BatchNormalization', ours: BatchNorm,
    fromTfjs: (r, name) => {
      r.ignoreTrainingOnly();
      return new BatchNorm({ name, axis: r.get('axis', -1), momentum: r.get('momentum', 0.99), epsilon: r.get('epsilon', 1e-3), center: r.get('center', true), scale: r.get('scale', true) });
    },
    toTfjs: (l) => { const c = (l as BatchNorm).config; return { axis: c.axis, momentum: c.momentum, epsilon: c.epsilon, center: c.center, scale: c.scale }; },
  },
  {
    tfjsClass: 'LayerNormalization', ours: LayerNorm,
    fromTfjs: (r, name) => {
      r.ignoreTrainingOnly();
      return new LayerNorm({ name, axis: r.get('axis', -1), epsilon: r.get('epsilon', 1e-3), center: r.get('center', true), scale: r.get('scale', true) });
    },
    toTfjs: (l) => { const c = (l as LayerNorm).config; return { axis: c.axis, epsilon: c.epsilon, center: c.center, scale: c.scale }; },
  },
  {
    tfjsClass: 'Activation', ours: Activation,
    fromTfjs: (r, name) => new Activation({ name, activation: activationFrom(r, 'activation', 'linear') }),
    toTfjs: (l) => ({ activation: activationTo(l.label, (l as Activation).fn) }),
  },
  dropoutLike('Dropout', Dropout as never),
  dropoutLike('SpatialDropout1D', SpatialDropout1D as never),
  dropoutLike('SpatialDropout2D', SpatialDropout2D as never),
  dropoutLike('GaussianDropout', GaussianDropout as never),
  dropoutLike('AlphaDropout', AlphaDropout as never),
  {
    tfjsClass: 'GaussianNoise', ours: GaussianNoise,
    fromTfjs: (r, name) => new GaussianNoise({ name, stddev: r.get('stddev', 0) }),
    toTfjs: (l) => ({ stddev: (l as GaussianNoise).stddev }),
  },
  {
    tfjsClass: 'Flatten', ours: Flatten,
    fromTfjs: (r, name) => { r.only('data_format', ['channels_last']); return new Flatten({ name }); },
    toTfjs: () => ({}),
  },
  {
    tfjsClass: 'Reshape', ours: Reshape,
    fromTfjs: (r, name) => new Reshape({ name, targetShape: r.get<number[]>('target_shape', []) }),
    toTfjs: (l) => ({ target_shape: [...(l as Reshape).targetShape] }),
  },
  {
    tfjsClass: 'Permute', ours: Permute,
    fromTfjs: (r, name) => new Permute({ name, dims: r.get<number[]>('dims', []) }),
    toTfjs: (l) => ({ dims: [...(l as Permute).dims] }),
  },
  {
    tfjsClass: 'ZeroPadding2D', ours: ZeroPadding2D,
    fromTfjs: (r, name) => { r.only('data_format', ['channels_last']); return new ZeroPadding2D({ name, padding: r.get('padding', 1) }); },
    toTfjs: (l) => ({ padding: (l as ZeroPadding2D).padding, data_format: 'channels_last' }),
  },
  {
    tfjsClass: 'Cropping2D', ours: Cropping2D,
    fromTfjs: (r, name) => { r.only('data_format', ['channels_last']); return new Cropping2D({ name, cropping: r.get('cropping', 0) }); },
    toTfjs: (l) => ({ cropping: (l as Cropping2D).cropping, data_format: 'channels_last' }),
  },
  {
    tfjsClass: 'UpSampling2D', ours: UpSampling2D,
    fromTfjs: (r, name) => {
      r.only('data_format', ['channels_last']);
      return new UpSampling2D({ name, size: pair(r.get('size', 2)), interpolation: r.get('interpolation', 'nearest') });
    },
    toTfjs: (l) => {
      const c = (l as UpSampling2D).config;
      if (c.halfPixelCenters) throw new ConfigError(`${l.label}: halfPixelCenters has no tfjs-layers equivalent`);
      return { size: c.size, interpolation: c.interpolation, data_format: 'channels_last' };
    },
  },
  {
    tfjsClass: 'Embedding', ours: Embedding,
    fromTfjs: (r, name) => {
      r.ignoreTrainingOnly();
      r.get('input_length', null);
      return new Embedding({ name, inputDim: r.get('input_dim', 0), outputDim: r.get('output_dim', 0), maskZero: r.get('mask_zero', false) });
    },
    toTfjs: (l) => {
      const c = (l as Embedding).config;
      if (c.padId !== null && c.padId !== 0) throw new ConfigError(`${l.label}: padId ${c.padId} has no tfjs-layers equivalent (only mask_zero)`);
      return { input_dim: c.inputDim, output_dim: c.outputDim, mask_zero: c.padId === 0 };
    },
  },
  {
    tfjsClass: 'LSTM', ours: LSTM,
    fromTfjs: (r, name) => new LSTM({
      name, ...(recurrentFrom(r) as { units: number }), recurrentActivation: activationFrom(r, 'recurrent_activation', 'hard_sigmoid'),
      unitForgetBias: r.get('unit_forget_bias', true),
    }),
    toTfjs: (l) => ({ ...recurrentTo(l as LSTM), recurrent_activation: activationTo(l.label, (l as LSTM).recurrentActivation), unit_forget_bias: (l as LSTM).unitForgetBias }),
  },
  {
    tfjsClass: 'GRU', ours: GRU,
    fromTfjs: (r, name) => {
      r.only('reset_after', [false]);
      return new GRU({ name, ...(recurrentFrom(r) as { units: number }), recurrentActivation: activationFrom(r, 'recurrent_activation', 'hard_sigmoid') });
    },
    toTfjs: (l) => {
      if ((l as GRU).resetAfter) throw new ConfigError(`${l.label}: resetAfter has no tfjs-layers 4.22 equivalent`);
      return { ...recurrentTo(l as GRU), recurrent_activation: activationTo(l.label, (l as GRU).recurrentActivation), reset_after: false };
    },
  },
  {
    tfjsClass: 'SimpleRNN', ours: SimpleRNN,
    fromTfjs: (r, name) => new SimpleRNN({ name, ...(recurrentFrom(r) as { units: number }) }),
    toTfjs: (l) => recurrentTo(l as SimpleRNN),
  },
  {
    tfjsClass: 'Bidirectional', ours: Bidirectional,
    fromTfjs: (r, name) => {
      const layer = wrapped(r, ['LSTM', 'GRU', 'SimpleRNN']) as LSTM;
      const mergeMode = r.get<'concat' | 'sum' | 'mul' | 'ave'>('merge_mode', 'concat');
      return new Bidirectional({ name, layer, mergeMode });
    },
    toTfjs: (l) => {
      const b = l as Bidirectional;
      if ((b.mergeMode as string) === 'none') throw new ConfigError(`${l.label}: mergeMode 'none' has no tfjs-layers 4.22 equivalent`);
      return { merge_mode: b.mergeMode, layer: wrappedTo(b.forwardLayer) };
    },
    // tfjs: `<bidirectional>/forward_<lstm>/kernel`, `…/backward_<lstm>/kernel`.
    ourWeight: (path) => `${path[0]!.startsWith('backward') ? 'backward' : 'forward'}.${ourWeightName(path[path.length - 1]!)}`,
    tfjsWeight: (ours, l) => {
      const [direction, rest] = [ours.slice(0, ours.indexOf('.')), ours.slice(ours.indexOf('.') + 1)];
      return `${direction}_${(l as Bidirectional).forwardLayer.name}/${tfjsWeightName(rest)}`;
    },
  },
  ...([['Add', Add], ['Multiply', Multiply], ['Average', Average], ['Maximum', Maximum], ['Minimum', Minimum]] as const).map(
    ([tfjsClass, ours]): LayerMapping => ({
      tfjsClass, ours,
      fromTfjs: (_r, name) => new (ours as new (c: object) => AnyModule)({ name }),
      toTfjs: () => ({}),
    }),
  ),
  {
    tfjsClass: 'Concatenate', ours: Concatenate,
    fromTfjs: (r, name) => new Concatenate({ name, axis: r.get('axis', -1) }),
    toTfjs: (l) => ({ axis: (l as Concatenate).axis }),
  },
  {
    tfjsClass: 'TimeDistributed', ours: TimeDistributed,
    fromTfjs: (r, name) => new TimeDistributed({ name, layer: wrapped(r, LAYER_MAP.map((m) => m.tfjsClass).filter((c) => !['Bidirectional', 'TimeDistributed', ...MERGES].includes(c))) }),
    toTfjs: (l) => ({ layer: wrappedTo((l as TimeDistributed).layer) }),
    // tfjs keeps the inner layer's weights directly under the wrapper: `<td>/kernel`.
    ourWeight: (path, l) => `${(l as TimeDistributed).layer.name}.${ourWeightName(path[path.length - 1]!)}`,
    tfjsWeight: (ours) => tfjsWeightName(ours.slice(ours.indexOf('.') + 1)),
  },
];

/** tfjs weight names (the part after the layer's `/`) → our parameter names. */
export function ourWeightName(tfjsName: string): string {
  return tfjsName.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
}

/** Our parameter names → tfjs weight names. */
export function tfjsWeightName(ours: string): string {
  return ours.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);
}
