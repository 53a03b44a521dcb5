import { ConfigError, ShapeError, formatShape, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import { Dense, Module, initializers } from '@tensorloom/layers';
import type { ActivationName, ApplyOptions, ModuleConfig, Shape } from '@tensorloom/layers';
import { activationName, bool, positive, positiveInt } from '../transfer/internal/validate.js';

/**
 * Configuration of {@link RBFNetwork}.
 *
 * @example
 * ```ts
 * const config: RBFNetworkConfig = { centres: 20, outputs: 3, learnCentres: false };
 * ```
 */
export interface RBFNetworkConfig extends ModuleConfig {
  /** Number of Gaussian units. Default `10`. */
  centres?: number;
  /** Output units of the linear read-out. Default `1`. */
  outputs?: number;
  /** Whether gradient descent moves the centres; `false` keeps them where {@link RBFNetwork.fitCentres} put them. Default `true`. */
  learnCentres?: boolean;
  /** Whether gradient descent changes the widths. Default `true`. */
  learnWidths?: boolean;
  /** The initial width σ of every unit (before {@link RBFNetwork.fitCentres}). Default `1`. */
  initialWidth?: number;
  /** Activation of the read-out. Default `'linear'`. */
  outputActivation?: ActivationName;
}

/**
 * The Gaussian activations `φ_j(x) = exp(−‖x − c_j‖² / (2σ_j²))`.
 *
 * @param x - `[batch, d]`.
 * @param centres - `[k, d]`.
 * @param widths - `[k]` (σ; its sign does not matter).
 * @returns `[batch, k]`.
 * @example
 * ```ts
 * gaussianRbf(tf.zeros([1, 2]), tf.zeros([1, 2]), tf.ones([1])); // [[1]]
 * ```
 */
export function gaussianRbf(x: tf.Tensor, centres: tf.Tensor, widths: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    // ‖x − c‖² = ‖x‖² − 2x·c + ‖c‖², (B, k)
    const x2 = tf.sum(tf.square(x), 1, true); // (B, 1)
    const c2 = tf.sum(tf.square(centres), 1).reshape([1, -1]); // (1, k)
    const cross = tf.matMul(x, tf.transpose(centres)); // (B, k)
    const d2 = tf.relu(tf.add(tf.sub(x2, tf.mul(cross, 2)), c2)); // clamp the rounding below 0
    return tf.exp(tf.neg(tf.div(d2, tf.mul(2, tf.square(widths)).reshape([1, -1]))));
  });
}

/**
 * What {@link kMeans} returns.
 *
 * @example
 * ```ts
 * const { centres, assignment }: KMeansResult = kMeans(values, 100, 2, 3, rng(1));
 * ```
 */
export interface KMeansResult {
  /** `k × d` centres, row-major. */
  centres: Float64Array;
  /** Each row's cluster index. */
  assignment: Int32Array;
}

/**
 * k-means (Lloyd's algorithm, k-means++ seeding) on rows of `data`, in float64.
 *
 * @param data - `n × d` values, row-major.
 * @param n - rows.
 * @param d - columns.
 * @param k - clusters (≤ n).
 * @param rng - the seeding's randomness.
 * @param iterations - at most this many Lloyd steps. Default 50.
 * @returns the centres (`k × d`, row-major) and each row's cluster.
 * @example
 * ```ts
 * const { centres, assignment } = kMeans(values, 100, 2, 3, rng(1));
 * ```
 */
export function kMeans(data: ArrayLike<number>, n: number, d: number, k: number, rng: Rng, iterations = 50): KMeansResult {
  const dist = (i: number, c: Float64Array, j: number): number => {
    let s = 0;
    for (let t = 0; t < d; t++) s += (data[i * d + t]! - c[j * d + t]!) ** 2;
    return s;
  };
  const centres = new Float64Array(k * d);
  const setCentre = (j: number, i: number): void => {
    for (let t = 0; t < d; t++) centres[j * d + t] = data[i * d + t]!;
  };
  setCentre(0, rng.int(n));
  const nearest = new Float64Array(n).fill(Infinity);
  for (let j = 1; j < k; j++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      nearest[i] = Math.min(nearest[i]!, dist(i, centres, j - 1));
      total += nearest[i]!;
    }
    let u = rng.uniform() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      u -= nearest[i]!;
      if (u <= 0 && nearest[i]! > 0) {
        pick = i;
        break;
      }
    }
    setCentre(j, pick);
  }
  const assignment = new Int32Array(n).fill(-1);
  for (let it = 0; it < iterations; it++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let j = 0; j < k; j++) {
        const dj = dist(i, centres, j);
        if (dj < bestD) [best, bestD] = [j, dj];
      }
      if (assignment[i] !== best) [assignment[i], changed] = [best, true];
    }
    if (!changed) break;
    const sums = new Float64Array(k * d);
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const j = assignment[i]!;
      counts[j]!++;
      for (let t = 0; t < d; t++) sums[j * d + t]! += data[i * d + t]!;
    }
    for (let j = 0; j < k; j++) if (counts[j]! > 0) for (let t = 0; t < d; t++) centres[j * d + t] = sums[j * d + t]! / counts[j]!;
  }
  return { centres, assignment };
}

/**
 * A radial basis function network (Broomhead & Lowe, "Multivariable Functional Interpolation
 * and Adaptive Networks", Complex Systems 1988; Moody & Darken 1989): Gaussian units with
 * centres `centres` `[k, d]` and widths `widths` `[k]` (see {@link gaussianRbf}), then a
 * linear read-out `readout`. Centres and widths are learnable, or fixed from data with
 * {@link RBFNetwork.fitCentres} (k-means on a sample, widths from each cluster's spread).
 *
 * Default config on 2 inputs: 10·2 + 10 + 10·1 + 1 = 41 parameters.
 *
 * Input shape: `[batch, d]`. Output shape: `[batch, outputs]`.
 *
 * @example
 * ```ts
 * const net = new RBFNetwork({ centres: 8, outputs: 1, learnCentres: false }).build([null, 2], rng(1));
 * net.fitCentres(sample, rng(2));
 * const y = net.apply(x);
 * ```
 */
export class RBFNetwork extends Module {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<RBFNetworkConfig, 'name'>>;
  /** The read-out: kernel `[k, outputs]`, bias `[outputs]`. */
  readonly readout: Dense;
  /** Centres `[k, d]`, after build. */
  centres: tf.Variable | null = null;
  /** Widths σ `[k]`, after build. */
  widths: tf.Variable | null = null;

  constructor(config: RBFNetworkConfig = {}) {
    super({ name: config.name ?? 'rbf_network' });
    const unit = this.label;
    this.config = {
      centres: positiveInt(unit, 'centres', config.centres ?? 10),
      outputs: positiveInt(unit, 'outputs', config.outputs ?? 1),
      learnCentres: bool(unit, 'learnCentres', config.learnCentres ?? true),
      learnWidths: bool(unit, 'learnWidths', config.learnWidths ?? true),
      initialWidth: positive(unit, 'initialWidth', config.initialWidth ?? 1),
      outputActivation: activationName(unit, 'outputActivation', config.outputActivation ?? 'linear'),
    };
    this.readout = this.addModule('readout', new Dense({ name: 'readout', units: this.config.outputs, activation: this.config.outputActivation }));
  }

  protected override onBuild(inputShape: Shape): void {
    const d = inputShape[inputShape.length - 1];
    if (inputShape.length !== 2 || typeof d !== 'number') {
      throw new ShapeError(`${this.label}: input expected [batch, features] with known features, got ${formatShape(inputShape)}`);
    }
    const c = this.config;
    this.centres = this.addParameter('centres', [c.centres, d], initializers.randomNormal(), { trainable: c.learnCentres });
    this.widths = this.addParameter('widths', [c.centres], initializers.constant(c.initialWidth), { trainable: c.learnWidths });
    this.readout.build([inputShape[0] ?? null, c.centres]);
  }

  override outputShape(inputShape: Shape): Shape {
    return [inputShape[0] ?? null, this.config.outputs];
  }

  /**
   * The Gaussian activations of `x` `[batch, k]`.
   *
   * @param x - `[batch, d]`.
   * @returns `[batch, k]`.
   * @example
   * ```ts
   * const phi = net.activations(x);
   * ```
   */
  activations(x: tf.Tensor): tf.Tensor {
    if (!this.built) this.build(x.shape);
    if (x.rank !== 2 || x.shape[1] !== this.centres!.shape[1]) {
      throw new ShapeError(`${this.label}: input expected [batch, ${this.centres!.shape[1]}], got ${formatShape(x.shape)}`);
    }
    return gaussianRbf(x, this.centres!, this.widths!);
  }

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    return tf.tidy(() => this.readout.apply(this.activations(x), options));
  }

  /**
   * Places the centres by k-means on a data sample and sets each width to the RMS distance
   * of its cluster's points from the centre (half the distance to the nearest other centre
   * for a cluster of one point, so neighbouring units overlap little).
   *
   * @param sample - `[n, d]` with `n ≥ centres`.
   * @param rng - the k-means seeding.
   * @param iterations - at most this many Lloyd steps. Default 50.
   * @throws ShapeError for a sample of the wrong shape or with fewer rows than centres.
   * @example
   * ```ts
   * net.fitCentres(trainX.slice([0, 0], [500, -1]), rng(3));
   * ```
   */
  fitCentres(sample: tf.Tensor, rng: Rng, iterations = 50): void {
    if (!this.built) this.build([null, sample.shape[sample.rank - 1]!]);
    const k = this.config.centres;
    const d = this.centres!.shape[1]!;
    if (sample.rank !== 2 || sample.shape[1] !== d || sample.shape[0]! < k) {
      throw new ShapeError(`${this.label}: fitCentres expected a sample [n ≥ ${k}, ${d}], got ${formatShape(sample.shape)}`);
    }
    const n = sample.shape[0]!;
    const data = sample.dataSync();
    const { centres, assignment } = kMeans(data, n, d, k, rng, iterations);
    const spread = new Float64Array(k);
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const j = assignment[i]!;
      counts[j]!++;
      for (let t = 0; t < d; t++) spread[j]! += (data[i * d + t]! - centres[j * d + t]!) ** 2;
    }
    const widths = Array.from(spread, (s, j) => {
      if (counts[j]! > 1 && s > 0) return Math.sqrt(s / counts[j]!);
      let closest = Infinity;
      for (let o = 0; o < k; o++) {
        if (o === j) continue;
        let s2 = 0;
        for (let t = 0; t < d; t++) s2 += (centres[j * d + t]! - centres[o * d + t]!) ** 2;
        closest = Math.min(closest, Math.sqrt(s2));
      }
      return Number.isFinite(closest) && closest > 0 ? closest / 2 : this.config.initialWidth;
    });
    if (widths.some((w) => !(w > 0))) throw new ConfigError(`${this.label}: fitCentres found a zero width; the sample has repeated points`);
    tf.tidy(() => {
      this.centres!.assign(tf.tensor2d(Array.from(centres), [k, d]));
      this.widths!.assign(tf.tensor1d(widths));
    });
  }
}
