import { ConfigError, tf } from '@tensorloom/core';

/**
 * Activation names accepted by {@link Activation} and by the `activation` option of layers.
 *
 * `gelu` is the exact form `x·Φ(x)`; `geluTanh` the tanh approximation (Hendrycks & Gimpel
 * 2016, https://arxiv.org/abs/1606.08415). `swish` is an alias of `silu`.
 *
 * @example
 * ```ts
 * const act: ActivationName = 'relu';
 * ```
 *
 * @group Core layers
 */
export type ActivationName =
  | 'linear' | 'relu' | 'relu6' | 'leakyRelu' | 'elu' | 'selu' | 'gelu' | 'geluTanh'
  | 'sigmoid' | 'hardSigmoid' | 'tanh' | 'softmax' | 'logSoftmax' | 'silu' | 'swish' | 'softplus' | 'softsign';

/**
 * An activation function of one tensor.
 *
 * @example
 * ```ts
 * const f: ActivationFn = (x) => tf.relu(x);
 * ```
 *
 * @group Core layers
 */
export type ActivationFn = (x: tf.Tensor) => tf.Tensor;

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

const ACTIVATIONS: Record<ActivationName, ActivationFn> = {
  linear: (x) => x,
  relu: (x) => tf.relu(x),
  relu6: (x) => tf.relu6(x),
  leakyRelu: (x) => tf.leakyRelu(x, 0.2),
  elu: (x) => tf.elu(x),
  selu: (x) => tf.selu(x),
  // x·Φ(x) = ½x(1 + erf(x/√2))
  gelu: (x) => tf.tidy(() => tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))))),
  // ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
  geluTanh: (x) =>
    tf.tidy(() => tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))))),
  sigmoid: (x) => tf.sigmoid(x),
  // Keras: clip(0.2x + 0.5, 0, 1)
  hardSigmoid: (x) => tf.tidy(() => tf.clipByValue(tf.add(tf.mul(0.2, x), 0.5), 0, 1)),
  tanh: (x) => tf.tanh(x),
  softmax: (x) => tf.softmax(x),
  logSoftmax: (x) => tf.logSoftmax(x),
  silu: (x) => tf.tidy(() => tf.mul(x, tf.sigmoid(x))),
  swish: (x) => tf.tidy(() => tf.mul(x, tf.sigmoid(x))),
  softplus: (x) => tf.softplus(x),
  softsign: (x) => tf.tidy(() => tf.div(x, tf.add(1, tf.abs(x)))),
};

/**
 * Looks up an activation by name (or passes a function through).
 *
 * @throws ConfigError naming the accepted names.
 * @example
 * ```ts
 * const relu = getActivation('relu');
 * ```
 *
 * @group Core layers
 */
export function getActivation(activation: ActivationName | ActivationFn, unit = 'activation'): ActivationFn {
  if (typeof activation === 'function') return activation;
  const fn = ACTIVATIONS[activation];
  if (fn === undefined) {
    throw new ConfigError(`${unit}: activation expected one of ${Object.keys(ACTIVATIONS).join(', ')}, got '${String(activation)}'`);
  }
  return fn;
}

/**
 * Activations that tfjs's fused matMul/conv2d kernels apply in the same kernel.
 *
 * @group Core layers
 */
export const FUSABLE: ReadonlySet<string> = new Set(['linear', 'relu', 'relu6', 'elu', 'sigmoid']);
