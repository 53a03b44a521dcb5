import { ConfigError, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';

/**
 * Makes the initial value of a parameter from its shape and an `Rng` (from `@tensorloom/core`).
 *
 * Fan-in and fan-out follow Keras: for a kernel of shape `[...receptiveField, in, out]`,
 * `fanIn = in · ∏receptiveField` and `fanOut = out · ∏receptiveField`; a 1-D shape has
 * `fanIn = fanOut = shape[0]`.
 *
 * @example
 * ```ts
 * const w = initializers.heNormal()([3, 3, 1, 32], rng(1));
 * ```
 */
export type Initializer = (shape: readonly number[], rng: Rng) => tf.Tensor;

/**
 * A named initializer or an initializer function.
 *
 * @example
 * ```ts
 * const init: InitializerLike = 'glorotUniform';
 * ```
 */
export type InitializerLike = InitializerName | Initializer;

/**
 * Names accepted wherever an initializer is configured.
 *
 * @example
 * ```ts
 * new Dense({ units: 10, kernelInitializer: 'heNormal' });
 * ```
 */
export type InitializerName =
  | 'zeros' | 'ones'
  | 'glorotUniform' | 'glorotNormal'
  | 'heUniform' | 'heNormal'
  | 'lecunUniform' | 'lecunNormal'
  | 'orthogonal';

/**
 * Fan-in and fan-out of a kernel shape.
 *
 * @example
 * ```ts
 * const { fanIn } = computeFans([784, 10]);
 * ```
 */
export interface Fans {
  /** Inputs feeding each output unit. */
  fanIn: number;
  /** Outputs each input unit feeds. */
  fanOut: number;
}

/**
 * Fan-in and fan-out of a kernel shape (Keras convention).
 *
 * @example
 * ```ts
 * computeFans([3, 3, 16, 32]); // { fanIn: 144, fanOut: 288 }
 * ```
 */
export function computeFans(shape: readonly number[]): Fans {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

/**
 * All zeros.
 *
 * @example
 * ```ts
 * zeros()([3], rng(0)); // [0, 0, 0]
 * ```
 */
export function zeros(): Initializer {
  return (shape) => tf.zeros([...shape]);
}

/**
 * All ones.
 *
 * @example
 * ```ts
 * ones()([2], rng(0)); // [1, 1]
 * ```
 */
export function ones(): Initializer {
  return (shape) => tf.ones([...shape]);
}

/**
 * A constant value.
 *
 * @example
 * ```ts
 * constant(0.1)([4], rng(0)); // bias of 0.1
 * ```
 */
export function constant(value: number): Initializer {
  if (!Number.isFinite(value)) throw new ConfigError(`constant: value expected a finite number, got ${value}`);
  return (shape) => tf.fill([...shape], value);
}

/**
 * Uniform in [minval, maxval).
 *
 * @example
 * ```ts
 * randomUniform(-0.05, 0.05)([10, 10], rng(1));
 * ```
 */
export function randomUniform(minval = -0.05, maxval = 0.05): Initializer {
  if (!(minval < maxval)) throw new ConfigError(`randomUniform: minval must be < maxval, got ${minval} and ${maxval}`);
  return (shape, r) => r.uniformTensor(shape, minval, maxval);
}

/**
 * Normal with the given mean and standard deviation.
 *
 * @example
 * ```ts
 * randomNormal(0, 0.02)([768, 768], rng(1));
 * ```
 */
export function randomNormal(mean = 0, stddev = 0.05): Initializer {
  if (!(stddev >= 0)) throw new ConfigError(`randomNormal: stddev must be >= 0, got ${stddev}`);
  return (shape, r) => r.normalTensor(shape, mean, stddev);
}

/**
 * Normal truncated at two standard deviations (redrawn beyond), as in Keras.
 *
 * @example
 * ```ts
 * truncatedNormal(0, 0.02)([512, 512], rng(1));
 * ```
 */
export function truncatedNormal(mean = 0, stddev = 0.05): Initializer {
  if (!(stddev >= 0)) throw new ConfigError(`truncatedNormal: stddev must be >= 0, got ${stddev}`);
  return (shape, r) => r.truncatedNormalTensor(shape, mean, stddev);
}

/**
 * Which fan a variance-scaling initializer divides by.
 *
 * @example
 * ```ts
 * varianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'uniform' });
 * ```
 */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';

/**
 * Variance scaling (Keras `VarianceScaling`): variance `scale / n` where `n` is the fan-in,
 * fan-out or their average. The truncated normal is rescaled by 0.87962566 so the variance
 * after truncation at ±2σ is the target.
 *
 * @example
 * ```ts
 * varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'truncatedNormal' }); // He normal
 * ```
 */
export function varianceScaling(config: {
  /** Multiplier of the variance. */
  scale: number;
  /** The fan to divide by. */
  mode: FanMode;
  /** The distribution to draw from. */
  distribution: 'uniform' | 'truncatedNormal' | 'normal';
}): Initializer {
  const { scale, mode, distribution } = config;
  if (!(scale > 0)) throw new ConfigError(`varianceScaling: scale must be > 0, got ${scale}`);
  return (shape, r) => {
    const { fanIn, fanOut } = computeFans(shape);
    const n = mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = scale / Math.max(1, n);
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return r.uniformTensor(shape, -limit, limit);
    }
    if (distribution === 'normal') return r.normalTensor(shape, 0, Math.sqrt(variance));
    return r.truncatedNormalTensor(shape, 0, Math.sqrt(variance) / 0.87962566103423978);
  };
}

/**
 * Glorot (Xavier) uniform: U(±√(6 / (fanIn + fanOut))). Glorot & Bengio 2010,
 * https://proceedings.mlr.press/v9/glorot10a.html
 *
 * @example
 * ```ts
 * glorotUniform()([784, 10], rng(1));
 * ```
 */
export function glorotUniform(): Initializer {
  return varianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'uniform' });
}

/**
 * Glorot (Xavier) truncated normal with variance 2 / (fanIn + fanOut).
 *
 * @example
 * ```ts
 * glorotNormal()([784, 10], rng(1));
 * ```
 */
export function glorotNormal(): Initializer {
  return varianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'truncatedNormal' });
}

/**
 * He uniform: U(±√(6 / fanIn)). He et al. 2015, https://arxiv.org/abs/1502.01852
 *
 * @example
 * ```ts
 * heUniform()([3, 3, 1, 32], rng(1));
 * ```
 */
export function heUniform(): Initializer {
  return varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'uniform' });
}

/**
 * He truncated normal with variance 2 / fanIn.
 *
 * @example
 * ```ts
 * heNormal()([3, 3, 1, 32], rng(1));
 * ```
 */
export function heNormal(): Initializer {
  return varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'truncatedNormal' });
}

/**
 * LeCun uniform: U(±√(3 / fanIn)).
 *
 * @example
 * ```ts
 * lecunUniform()([128, 64], rng(1));
 * ```
 */
export function lecunUniform(): Initializer {
  return varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'uniform' });
}

/**
 * LeCun truncated normal with variance 1 / fanIn (the SELU initializer).
 *
 * @example
 * ```ts
 * lecunNormal()([128, 64], rng(1));
 * ```
 */
export function lecunNormal(): Initializer {
  return varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'truncatedNormal' });
}

/**
 * A (semi-)orthogonal matrix times `gain`, reshaped to `shape` (the default for recurrent
 * kernels). Saxe et al. 2013, https://arxiv.org/abs/1312.6120
 *
 * Computed in float64 JavaScript with modified Gram–Schmidt on a normal matrix; that is the
 * QR factorisation with a positive diagonal in R, so the result is uniformly (Haar) distributed. `tf.linalg.qr`, which
 * tfjs's own orthogonal initializer uses, takes ~20 s for a 512×128 matrix on the cpu
 * backend; this takes milliseconds.
 *
 * @example
 * ```ts
 * orthogonal()([128, 512], rng(1)); // rows orthonormal
 * ```
 */
export function orthogonal(gain = 1): Initializer {
  return (shape, r) => {
    if (shape.length < 2) {
      throw new ConfigError(`orthogonal: shape must have rank >= 2, got [${shape.join(', ')}]`);
    }
    const cols = shape[shape.length - 1]!;
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    // Orthonormalise the longer side: build k = min(rows, cols) orthonormal vectors of length n = max.
    const n = Math.max(rows, cols);
    const k = Math.min(rows, cols);
    const q = new Float64Array(k * n);
    for (let i = 0; i < k * n; i++) q[i] = r.normal();
    for (let i = 0; i < k; i++) {
      const vi = q.subarray(i * n, (i + 1) * n);
      for (let j = 0; j < i; j++) {
        const vj = q.subarray(j * n, (j + 1) * n);
        let dot = 0;
        for (let t = 0; t < n; t++) dot += vi[t]! * vj[t]!;
        for (let t = 0; t < n; t++) vi[t] = vi[t]! - dot * vj[t]!;
      }
      let norm = 0;
      for (let t = 0; t < n; t++) norm += vi[t]! * vi[t]!;
      norm = Math.sqrt(norm);
      for (let t = 0; t < n; t++) vi[t] = vi[t]! / norm;
    }
    const out = new Float32Array(rows * cols);
    for (let a = 0; a < rows; a++) {
      for (let b = 0; b < cols; b++) {
        // rows >= cols: column b is vector b; otherwise row a is vector a.
        out[a * cols + b] = gain * (rows >= cols ? q[b * n + a]! : q[a * n + b]!);
      }
    }
    return tf.tensor(out, [...shape], 'float32');
  };
}

const BY_NAME: Record<InitializerName, () => Initializer> = {
  zeros, ones, glorotUniform, glorotNormal, heUniform, heNormal, lecunUniform, lecunNormal,
  orthogonal: () => orthogonal(),
};

/**
 * Resolves an initializer name (or passes a function through).
 *
 * @throws ConfigError for an unknown name.
 * @example
 * ```ts
 * const init = getInitializer('heNormal');
 * ```
 */
export function getInitializer(init: InitializerLike): Initializer {
  if (typeof init === 'function') return init;
  const make = BY_NAME[init];
  if (make === undefined) {
    throw new ConfigError(`initializer: name expected one of ${Object.keys(BY_NAME).join(', ')}, got '${String(init)}'`);
  }
  return make();
}
