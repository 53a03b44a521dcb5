import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from './errors.js';

/** splitmix32: turns any 32-bit word into a well-mixed one; used for seeding and splitting. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** FNV-1a over the UTF-16 code units of a string. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const TWO_POW_32 = 4294967296;

/**
 * A seeded, splittable pseudo-random generator (xoshiro128**, seeded with splitmix32).
 *
 * Every random choice in Tensorloom (initializers, dropout masks, shuffles, augmentation)
 * draws from an `Rng` passed in explicitly. Numbers are generated in JavaScript, not on the
 * backend, so the same seed gives bit-identical tensors on every run.
 *
 * - `split()` makes an independent child stream and advances the parent;
 * - `fold(key)` derives a child from a name (`'conv1.kernel'`) without advancing the parent,
 *   so adding a layer does not change the initial weights of the others.
 *
 * @example
 * ```ts
 * const r = rng(42);
 * const [init, data] = r.split(2);
 * const w = init.normalTensor([3, 3], 0, 0.1);
 * const order = data.permutation(10);
 * ```
 *
 * @group Randomness
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  /**
   * @param seed - a 32-bit integer seed, or a 4-word state from {@link Rng.getState}.
   * @throws {@link ConfigError} when the seed is not a finite integer.
   */
  constructor(seed: number | readonly number[]) {
    if (typeof seed === 'number') {
      if (!Number.isInteger(seed)) {
        throw new ConfigError(`rng: seed must be an integer, got ${seed}`);
      }
      // Fold the high bits of large seeds in, so 2**32 + 1 and 1 differ.
      const lo = seed >>> 0;
      const hi = Math.floor(seed / TWO_POW_32) >>> 0;
      this.s0 = mix32(lo);
      this.s1 = mix32(this.s0 ^ hi);
      this.s2 = mix32(this.s1);
      this.s3 = mix32(this.s2);
    } else {
      if (seed.length !== 4) {
        throw new ConfigError(`rng: state must have 4 words, got ${seed.length}`);
      }
      [this.s0, this.s1, this.s2, this.s3] = seed.map((w) => w >>> 0) as [number, number, number, number];
    }
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /**
   * The generator's full state, for checkpoints; `new Rng(state)` resumes it.
   *
   * @example
   * ```ts
   * const saved = r.getState(); const again = new Rng(saved);
   * ```
   */
  getState(): [number, number, number, number] {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  /**
   * An independent copy of this generator in its current state.
   *
   * @example
   * ```ts
   * const a = rng(1); const b = a.clone(); a.uint32() === b.uint32(); // true
   * ```
   */
  clone(): Rng {
    return new Rng(this.getState());
  }

  /**
   * The next uniformly distributed unsigned 32-bit integer.
   *
   * @example
   * ```ts
   * rng(7).uint32(); // an integer in [0, 2**32)
   * ```
   */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /**
   * A uniform float in [0, 1) with 53 random bits.
   *
   * @example
   * ```ts
   * const u = rng(1).uniform();
   * ```
   */
  uniform(): number {
    const hi = this.uint32() >>> 5; // 27 bits
    const lo = this.uint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * A uniform float in [min, max).
   *
   * @example
   * ```ts
   * rng(1).range(-0.1, 0.1);
   * ```
   */
  range(min: number, max: number): number {
    return min + (max - min) * this.uniform();
  }

  /**
   * A uniform integer in [0, n), without modulo bias.
   *
   * @throws {@link ConfigError} when `n` is not a positive integer ≤ 2**32.
   * @example
   * ```ts
   * const die = rng(3).int(6) + 1;
   * ```
   */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_32) {
      throw new ConfigError(`rng.int: n must be an integer in [1, 2**32], got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.uint32();
      if (x < limit) return x % n;
    }
  }

  /**
   * A normally distributed float (Box–Muller).
   *
   * @param mean - the mean; default 0.
   * @param std - the standard deviation; default 1.
   * @example
   * ```ts
   * const z = rng(5).normal(0, 1);
   * ```
   */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /**
   * `true` with probability `p`.
   *
   * @example
   * ```ts
   * if (rng(1).bernoulli(0.5)) flip();
   * ```
   */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /**
   * Shuffles an array in place (Fisher–Yates) and returns it.
   *
   * @example
   * ```ts
   * rng(1).shuffle([1, 2, 3, 4]);
   * ```
   */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /**
   * A random permutation of `0 … n-1`.
   *
   * @example
   * ```ts
   * const order = rng(1).permutation(5); // e.g. Int32Array [3, 0, 4, 1, 2]
   * ```
   */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = out[i] as number;
      out[i] = out[j] as number;
      out[j] = tmp;
    }
    return out;
  }

  /**
   * An independent child generator; advances this one.
   *
   * @example
   * ```ts
   * const child = rng(1).split();
   * ```
   */
  split(): Rng;
  /**
   * `n` independent child generators; advances this one.
   *
   * @param n - how many children.
   * @example
   * ```ts
   * const [a, b, c] = rng(1).split(3);
   * ```
   */
  split(n: number): Rng[];
  split(n?: number): Rng | Rng[] {
    const make = (): Rng =>
      new Rng([mix32(this.uint32()), mix32(this.uint32() ^ 0x5bd1e995), mix32(this.uint32()), mix32(this.uint32())]);
    if (n === undefined) return make();
    return Array.from({ length: n }, make);
  }

  /**
   * A child generator derived from a key, without advancing this one. The same key on the
   * same state always gives the same child.
   *
   * @example
   * ```ts
   * const kernelRng = modelRng.fold('conv1.kernel');
   * ```
   */
  fold(key: string | number): Rng {
    if (typeof key === 'number' && !Number.isSafeInteger(key)) {
      throw new ConfigError(`rng.fold: key expected a string or a safe integer, got ${key}`);
    }
    // Numbers fold in both 32-bit halves, so fold(2 ** 32) and fold(0) differ.
    let h: number;
    if (typeof key === 'number') {
      const hi = Math.floor(key / TWO_POW_32) >>> 0;
      h = hi === 0 ? mix32(key >>> 0) : mix32((key >>> 0) ^ mix32(hi));
    } else {
      h = hashString(key);
    }
    return new Rng([mix32(this.s0 ^ h), mix32(this.s1 ^ rotl(h, 8)), mix32(this.s2 ^ rotl(h, 16)), mix32(this.s3 ^ rotl(h, 24))]);
  }

  /**
   * Fills a Float32Array with draws from `sample`.
   *
   * @example
   * ```ts
   * const noise = r.fill(16, () => r.normal());
   * ```
   */
  fill(size: number, sample: () => number): Float32Array {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = sample();
    return out;
  }

  /**
   * A float32 tensor of uniform draws in [min, max).
   *
   * @example
   * ```ts
   * const w = rng(1).uniformTensor([784, 10], -0.05, 0.05);
   * ```
   */
  uniformTensor(shape: readonly number[], min = 0, max = 1): tf.Tensor {
    return tf.tensor(this.fill(sizeOf(shape), () => this.range(min, max)), [...shape], 'float32');
  }

  /**
   * A float32 tensor of normal draws.
   *
   * @example
   * ```ts
   * const w = rng(1).normalTensor([3, 3, 1, 8], 0, 0.1);
   * ```
   */
  normalTensor(shape: readonly number[], mean = 0, std = 1): tf.Tensor {
    return tf.tensor(this.fill(sizeOf(shape), () => this.normal(mean, std)), [...shape], 'float32');
  }

  /**
   * A float32 tensor of normal draws, redrawing any beyond two standard deviations (as
   * Keras' and tfjs's `truncatedNormal` do).
   *
   * @example
   * ```ts
   * const w = rng(1).truncatedNormalTensor([64, 64], 0, 0.02);
   * ```
   */
  truncatedNormalTensor(shape: readonly number[], mean = 0, std = 1): tf.Tensor {
    const draw = (): number => {
      for (;;) {
        const z = this.normal();
        if (Math.abs(z) <= 2) return mean + std * z;
      }
    };
    return tf.tensor(this.fill(sizeOf(shape), draw), [...shape], 'float32');
  }

  /**
   * A float32 tensor of 0/1 draws that are 1 with probability `p`.
   *
   * @example
   * ```ts
   * const keep = rng(1).bernoulliTensor([32, 128], 0.9);
   * ```
   */
  bernoulliTensor(shape: readonly number[], p: number): tf.Tensor {
    return tf.tensor(this.fill(sizeOf(shape), () => (this.uniform() < p ? 1 : 0)), [...shape], 'float32');
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ConfigError(`rng: shape must hold non-negative integers, got [${shape.join(', ')}]`);
    }
    n *= d;
  }
  return n;
}

/**
 * Creates a seeded {@link Rng}.
 *
 * @param seed - any integer; the same seed gives the same stream.
 * @example
 * ```ts
 * import { rng } from '@tensorloom/core';
 * const r = rng(42);
 * const [initRng, dropoutRng] = r.split(2);
 * ```
 *
 * @group Randomness
 */
export function rng(seed: number): Rng {
  return new Rng(seed);
}
