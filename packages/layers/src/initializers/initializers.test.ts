import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ConfigError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { initializers } from '@tensorloom/layers';

const stats = (t: tf.Tensor) => {
  const v = Array.from(t.dataSync());
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
  return { mean, variance, min: Math.min(...v), max: Math.max(...v) };
};

describe('initializers', () => {
  it('computes fans as Keras does', () => {
    expect(initializers.computeFans([784, 10])).toEqual({ fanIn: 784, fanOut: 10 });
    expect(initializers.computeFans([3, 3, 16, 32])).toEqual({ fanIn: 144, fanOut: 288 });
    expect(initializers.computeFans([5])).toEqual({ fanIn: 5, fanOut: 5 });
  });

  // Target variances from the papers: Glorot 2/(in+out), He 2/in, LeCun 1/in.
  it.each([
    { name: 'glorotUniform', variance: 2 / (200 + 100), uniform: true },
    { name: 'glorotNormal', variance: 2 / (200 + 100), uniform: false },
    { name: 'heUniform', variance: 2 / 200, uniform: true },
    { name: 'heNormal', variance: 2 / 200, uniform: false },
    { name: 'lecunUniform', variance: 1 / 200, uniform: true },
    { name: 'lecunNormal', variance: 1 / 200, uniform: false },
  ] as const)('$name has the target variance and support', ({ name, variance, uniform }) => {
    const w = initializers.getInitializer(name)([200, 100], rng(1));
    const s = stats(w);
    expect(Math.abs(s.mean)).toBeLessThan(0.01 * Math.sqrt(variance) * 10);
    expect(Math.abs(s.variance / variance - 1)).toBeLessThan(0.03);
    const bound = uniform ? Math.sqrt(3 * variance) : (2 * Math.sqrt(variance)) / 0.87962566103423978;
    expect(s.max).toBeLessThanOrEqual(bound + 1e-6);
    expect(s.min).toBeGreaterThanOrEqual(-bound - 1e-6);
  });

  it('corrects the truncation that tfjs-layers does not (Keras ≥ 2.3 behaviour)', () => {
    // A normal truncated at ±2σ keeps 0.7737 of its variance. Keras rescales σ by 1/0.87962566
    // to hit the target 2/fanIn; tfjs-layers 4.22 does not, so its He normal is 23% narrow.
    const target = 2 / 300;
    const ours = stats(initializers.heNormal()([300, 50], rng(2)));
    const theirs = stats(tfl.initializers.heNormal({ seed: 2 }).apply([300, 50]));
    expect(Math.abs(ours.variance / target - 1)).toBeLessThan(0.03);
    expect(Math.abs(theirs.variance / target - 0.7737)).toBeLessThan(0.03);
  });

  it('is seeded: same rng, same values', () => {
    const a = initializers.glorotUniform()([4, 4], rng(3)).dataSync();
    const b = initializers.glorotUniform()([4, 4], rng(3)).dataSync();
    const c = initializers.glorotUniform()([4, 4], rng(4)).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it.each([[512, 128], [128, 512], [3, 3, 4, 8], [16, 16]])('orthogonal %j has orthonormal rows or columns', (...shape) => {
    // A 512×128 matrix: tfjs's tf.linalg.qr route takes ~20 s on cpu; ours must simply finish.
    const w = initializers.orthogonal(1.5)(shape, rng(5));
    expect(w.shape).toEqual(shape);
    const cols = shape[shape.length - 1]!;
    const m = tf.reshape(w, [-1, cols]);
    const rows = m.shape[0]!;
    const gram = rows >= cols ? tf.matMul(m, m, true, false) : tf.matMul(m, m, false, true); // (k, k)
    const k = Math.min(rows, cols);
    const expected = tf.mul(tf.eye(k), 1.5 * 1.5);
    expect(tf.max(tf.abs(tf.sub(gram, expected))).dataSync()[0]).toBeLessThan(1e-4);
  });

  it('constant, zeros, ones, random uniform/normal and truncated normal', () => {
    expect(Array.from(initializers.constant(0.5)([3], rng(0)).dataSync())).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(initializers.zeros()([2], rng(0)).dataSync())).toEqual([0, 0]);
    expect(Array.from(initializers.ones()([2], rng(0)).dataSync())).toEqual([1, 1]);
    const u = stats(initializers.randomUniform(-1, 1)([5000], rng(6)));
    expect(u.min).toBeGreaterThanOrEqual(-1);
    expect(u.max).toBeLessThan(1);
    const n = stats(initializers.randomNormal(2, 0.5)([5000], rng(7)));
    expect(n.mean).toBeCloseTo(2, 1);
    const t = stats(initializers.truncatedNormal(0, 1)([5000], rng(8)));
    expect(t.max).toBeLessThanOrEqual(2);
    expect(t.min).toBeGreaterThanOrEqual(-2);
  });

  it('reports bad configuration by name and does not leak', async () => {
    expect(() => initializers.getInitializer('xavier' as never)).toThrowError(
      new ConfigError("initializer: name expected one of zeros, ones, glorotUniform, glorotNormal, heUniform, heNormal, lecunUniform, lecunNormal, orthogonal, got 'xavier'"),
    );
    expect(() => initializers.orthogonal()([4], rng(0))).toThrowError('orthogonal: shape must have rank >= 2, got [4]');
    expect(() => initializers.randomUniform(1, 1)).toThrowError('randomUniform: minval must be < maxval, got 1 and 1');
    expect(() => initializers.varianceScaling({ scale: 0, mode: 'fanIn', distribution: 'normal' })).toThrowError('varianceScaling: scale must be > 0, got 0');
    await expectNoLeaks(() => initializers.orthogonal()([8, 4], rng(1)));
  });
});
