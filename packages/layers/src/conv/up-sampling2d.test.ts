import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { UpSampling2D, upSampling2d, upSampling2dOutputShape } from '@tensorloom/layers';
import type { UpSampling2DConfig } from '@tensorloom/layers';
import { checkFunctionGradients, checkModuleGradients, compareArrays } from '../internal/testing.js';
import { compareWithReference } from './internal/parity.js';

function reference(config: UpSampling2DConfig): tfl.layers.Layer {
  const s = config.size ?? 2;
  return tfl.layers.upSampling2d({ size: typeof s === 'number' ? [s, s] : [...s], interpolation: config.interpolation });
}

/**
 * Float64 bilinear upsampling as TensorFlow's resize_bilinear computes it
 * (compute_interpolation_weights): output i samples input p = i·(in/out), or with half-pixel
 * centres p = (i + 0.5)·(in/out) − 0.5; it interpolates between max(⌊p⌋, 0) and
 * min(⌊p⌋ + 1, in − 1) with weight p − ⌊p⌋.
 */
function bilinearReference(x: tf.Tensor, [sh, sw]: [number, number], halfPixel: boolean): Float64Array {
  const [B, H, W, C] = x.shape as [number, number, number, number];
  const v = x.dataSync();
  const [OH, OW] = [H * sh, W * sw];
  const y = new Float64Array(B * OH * OW * C);
  for (let b = 0; b < B; b++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++) {
        const r = halfPixel ? ((i + 0.5) * H) / OH - 0.5 : (i * H) / OH;
        const q = halfPixel ? ((j + 0.5) * W) / OW - 0.5 : (j * W) / OW;
        const [fr, fq] = [Math.floor(r), Math.floor(q)];
        const [dr, dq] = [r - fr, q - fq];
        const [r0, q0] = [Math.max(fr, 0), Math.max(fq, 0)];
        const [r1, q1] = [Math.min(fr + 1, H - 1), Math.min(fq + 1, W - 1)];
        for (let c = 0; c < C; c++) {
          const at = (p: number, s: number) => v[((b * H + p) * W + s) * C + c]!;
          const top = at(r0, q0) * (1 - dq) + at(r0, q1) * dq;
          const bottom = at(r1, q0) * (1 - dq) + at(r1, q1) * dq;
          y[((b * OH + i) * OW + j) * C + c] = top * (1 - dr) + bottom * dr;
        }
      }
  return y;
}

describe('UpSampling2D', () => {
  it.each([
    { input: [null, 3, 4, 2], config: {}, out: [null, 6, 8, 2] },
    { input: [1, 3, 4, 2], config: { size: 3 }, out: [1, 9, 12, 2] },
    { input: [2, 3, 4, 2], config: { size: [2, 3], interpolation: 'bilinear' }, out: [2, 6, 12, 2] },
    { input: [2, 3, 4, 2], config: { size: [1, 2] }, out: [2, 3, 8, 2] },
    { input: [null, null, 4, 2], config: { size: 2 }, out: [null, null, 8, 2] },
  ] as { input: (number | null)[]; config: UpSampling2DConfig; out: (number | null)[] }[])('$config on $input → $out', ({ input, config, out }) => {
    const layer = new UpSampling2D(config).build(input);
    expect(layer.outputShape(input)).toEqual(out);
    expect(reference(config).computeOutputShape(input)).toEqual(out);
    if (input[1] !== null) {
      const y = layer.apply(tf.zeros(input.map((d) => d ?? 2)));
      expect(y.shape).toEqual(out.map((d) => d ?? 2));
      y.dispose();
    }
  });

  it('repeats pixels with nearest (hand-checked)', () => {
    const y = upSampling2d(tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]), { size: [1, 2] });
    expect(y.arraySync()).toEqual([[[[1], [1], [2], [2]], [[3], [3], [4], [4]]]]);
  });

  it.each([
    { size: 2 },
    { size: [3, 2] },
    { size: 7 },
    { size: 2, interpolation: 'bilinear' },
    { size: [3, 2], interpolation: 'bilinear' },
  ] as UpSampling2DConfig[])('matches tfjs-layers: outputs (batch 2, non-square), and gradients where tfjs computes them right: %o', (config) => {
    const layer = new UpSampling2D(config);
    expect(compareWithReference(layer, reference(config), rng(1).normalTensor([2, 3, 4, 2]), [], { gradients: false })).toBeNull();
    // tfjs's resize gradients are right for one square image only (see the test below).
    expect(compareWithReference(layer, reference(config), rng(2).normalTensor([1, 3, 3, 2]), [])).toBeNull();
  });

  it("is needed: tfjs's resize gradients are wrong for a second batch entry (nearest) and non-square images (bilinear)", () => {
    // If tfjs fixes ResizeNearestNeighborGrad / ResizeBilinearGrad, these fail and upSampling2d could call tf.image directly.
    const x = rng(3).normalTensor([2, 2, 3, 1]);
    expect(checkFunctionGradients((t) => tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [4, 6]), [x])).toMatch(/^input 0 element \d+: analytic/);
    expect(() => tf.grad((t: tf.Tensor) => tf.sum(tf.image.resizeBilinear(t as tf.Tensor4D, [4, 6])))(x)).toThrowError(/does not match the shape of the input/);
  });

  it('bilinear matches a float64 reference of the tfjs mapping', () => {
    const x = rng(4).normalTensor([2, 3, 4, 2]);
    expect(compareArrays(upSampling2d(x, { size: [3, 2], interpolation: 'bilinear' }).dataSync(), bilinearReference(x, [3, 2], false))).toBeNull();
  });

  it.each([{ size: [2, 2] }, { size: [3, 4] }, { size: [1, 3] }] as { size: [number, number] }[])(
    'bilinear with half-pixel centres, size $size, matches a float64 reference and tf.image.resizeBilinear',
    ({ size }) => {
      const x = rng(5).normalTensor([2, 3, 4, 2]);
      const y = upSampling2d(x, { size, interpolation: 'bilinear', halfPixelCenters: true });
      expect(compareArrays(y.dataSync(), bilinearReference(x, size, true))).toBeNull();
      const core = tf.image.resizeBilinear(x as tf.Tensor4D, [3 * size[0], 4 * size[1]], false, true);
      expect(compareArrays(y.dataSync(), core.dataSync())).toBeNull();
    },
  );

  it.each([
    { interpolation: 'nearest' },
    { interpolation: 'bilinear' },
    { interpolation: 'bilinear', halfPixelCenters: true },
  ] as UpSampling2DConfig[])('has input gradients that match finite differences (batch 2, non-square): %o', (config) => {
    const layer = new UpSampling2D({ size: [2, 3], ...config });
    expect(checkModuleGradients(layer, rng(6).normalTensor([2, 3, 2, 1]))).toBeNull();
  });

  it('does not leak', async () => {
    for (const config of [{ interpolation: 'nearest' }, { interpolation: 'bilinear', halfPixelCenters: true }] as UpSampling2DConfig[]) {
      const layer = new UpSampling2D(config);
      const x = tf.ones([1, 3, 3, 2]);
      await expectNoLeaks(() => layer.apply(x).dispose(), 'UpSampling2D apply');
      await expectNoLeaks(() => tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t)))(x).dispose(), 'UpSampling2D gradient');
    }
  });

  it('names itself, the argument and the expected value in errors', () => {
    expect(() => new UpSampling2D({ size: 0, name: 'up' })).toThrowError(
      new ConfigError("UpSampling2D 'up': size expected a positive integer or [h, w] of positive integers, got 0"),
    );
    expect(() => new UpSampling2D({ interpolation: 'bicubic' as never, name: 'up' })).toThrowError(
      new ConfigError("UpSampling2D 'up': interpolation expected 'nearest' or 'bilinear', got 'bicubic'"),
    );
    expect(() => new UpSampling2D({ name: 'up' }).apply(tf.zeros([3, 4, 2]))).toThrowError(
      new ShapeError("UpSampling2D 'up': input must be rank 4 [batch, h, w, c], got [3, 4, 2]"),
    );
    expect(() => new UpSampling2D({ halfPixelCenters: true, name: 'up' })).toThrowError(
      new ConfigError("UpSampling2D 'up': halfPixelCenters expected only with interpolation 'bilinear', got interpolation 'nearest'", {
        help: 'nearest repetition by an integer factor is the same with either mapping',
      }),
    );
    expect(upSampling2dOutputShape([5, 1, 1, 3], { size: [4, 2] })).toEqual([5, 4, 2, 3]);
  });
});
