// What every ONNX converter shares: the value and context types, the error for what has no
// ONNX form, and the activations (used by the layer converters and the model converters alike).
import { ConfigError, tf } from '@tensorloom/core';
import { getActivation } from '@tensorloom/layers';
import type { ActivationFn, ActivationName, Module, Shape } from '@tensorloom/layers';
import { attr } from './graph.js';
import type { GraphBuilder } from './graph.js';

/** A value flowing through the graph: its ONNX name and its shape (`null` for dynamic sizes). */
export interface OnnxValue {
  name: string;
  shape: Shape;
}

/** What a converter gets: the graph, the layer's dotted path (for messages and node names). */
export interface ConvertContext {
  g: GraphBuilder;
  path: string;
}

/** Any module, whatever its input and output. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = Module<any, any>;

/** Throws the error for a layer or option that has no ONNX form. */
export function unsupported(ctx: ConvertContext, layer: AnyModule, what: string): never {
  throw new ConfigError(`exportOnnx: layer '${ctx.path}' (${layer.className}) ${what}`);
}

/** The float32 values of a tensor computed by `fn` (disposed afterwards). */
export function values(fn: () => tf.Tensor): Float32Array {
  const t = tf.tidy(fn);
  const out = Float32Array.from(t.dataSync() as Float32Array);
  t.dispose();
  return out;
}

const ACTIVATION_NAMES = [
  'linear', 'relu', 'relu6', 'leakyRelu', 'elu', 'selu', 'gelu', 'geluTanh', 'sigmoid', 'hardSigmoid', 'tanh',
  'softmax', 'logSoftmax', 'silu', 'swish', 'softplus', 'softsign',
] as const satisfies readonly ActivationName[];

/** The name of an activation given as a name or as one of the library's own functions, else `null`. */
export function activationName(a: ActivationName | ActivationFn): ActivationName | null {
  if (typeof a === 'string') return a;
  return ACTIVATION_NAMES.find((n) => getActivation(n) === a) ?? null;
}

/** Emits an activation; a custom function cannot be exported. */
export function emitActivation(g: GraphBuilder, x: string, activation: ActivationName | ActivationFn, ctx: ConvertContext, layer: AnyModule): string {
  const name = activationName(activation);
  if (name === null) unsupported(ctx, layer, 'has a custom activation function, which cannot be exported; use a named activation');
  const half = (): string => g.constant('half', [0.5], []);
  switch (name) {
    case 'linear': return x;
    case 'relu': return g.op('Relu', [x]);
    case 'relu6': return g.op('Clip', [x, g.constant('zero', [0], []), g.constant('six', [6], [])]);
    case 'leakyRelu': return g.op('LeakyRelu', [x], { alpha: attr.float(0.2) });
    case 'elu': return g.op('Elu', [x], { alpha: attr.float(1) });
    case 'selu': return g.op('Selu', [x]);
    case 'gelu': {
      // ½x(1 + erf(x/√2))
      const erf = g.op('Erf', [g.op('Mul', [x, g.constant('inv_sqrt2', [Math.SQRT1_2], [])])]);
      return g.op('Mul', [g.op('Mul', [x, half()]), g.op('Add', [erf, g.constant('one', [1], [])])]);
    }
    case 'geluTanh': {
      // ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
      const cube = g.op('Mul', [g.op('Mul', [x, x]), x]);
      const inner = g.op('Add', [x, g.op('Mul', [cube, g.constant('c', [0.044715], [])])]);
      const t = g.op('Tanh', [g.op('Mul', [inner, g.constant('sqrt_2_over_pi', [Math.sqrt(2 / Math.PI)], [])])]);
      return g.op('Mul', [g.op('Mul', [x, half()]), g.op('Add', [t, g.constant('one', [1], [])])]);
    }
    case 'sigmoid': return g.op('Sigmoid', [x]);
    case 'hardSigmoid': return g.op('HardSigmoid', [x], { alpha: attr.float(0.2), beta: attr.float(0.5) });
    case 'tanh': return g.op('Tanh', [x]);
    case 'softmax': return g.op('Softmax', [x], { axis: attr.int(-1) });
    case 'logSoftmax': return g.op('LogSoftmax', [x], { axis: attr.int(-1) });
    case 'silu':
    case 'swish': return g.op('Mul', [x, g.op('Sigmoid', [x])]);
    case 'softplus': return g.op('Softplus', [x]);
    case 'softsign': return g.op('Softsign', [x]);
  }
}
