// The gradients of UpSampling2D on wasm. tfjs-backend-cpu cannot serve as their reference
// (its nearest gradient is wrong, its bilinear gradient has the shape (B, W, H, C), and
// both ignore halfPixelCenters, as tfjs-backend-wasm's do), so they are compared with the
// transposed Jacobian of the forward resize, which is linear in the image; wasm's forward
// is checked against cpu's.
import { rng, tf } from '@tensorloom/core';
import { describe, it } from 'vitest';
import { data, expectClose, runOn, tensor } from '../../test/helpers.js';

const cases: { label: string; size: [number, number]; alignCorners: boolean; halfPixelCenters: boolean }[] = [
  { label: '3×4 → 6×8', size: [6, 8], alignCorners: false, halfPixelCenters: false },
  { label: '3×4 → 5×7, aligned corners', size: [5, 7], alignCorners: true, halfPixelCenters: false },
  { label: '3×4 → 7×9, half-pixel centers', size: [7, 9], alignCorners: false, halfPixelCenters: true },
  { label: '3×4 → 2×3 (downsampling)', size: [2, 3], alignCorners: false, halfPixelCenters: false },
  { label: '3×4 → 1×1, aligned corners', size: [1, 1], alignCorners: true, halfPixelCenters: false },
  { label: '3×4 → 2×3, half-pixel centers (downsampling)', size: [2, 3], alignCorners: false, halfPixelCenters: true },
  { label: '3×4 → 6×9, half-pixel centers', size: [6, 9], alignCorners: false, halfPixelCenters: true },
];

describe.each(['nearest', 'bilinear'] as const)('%s resize gradient on wasm, non-square images', (kind) => {
  it.each(cases.map((c) => [c.label, c] as const))('matches the transposed Jacobian of the forward pass: %s', async (_label, c) => {
    const resize = (x: tf.Tensor) =>
      (kind === 'nearest' ? tf.image.resizeNearestNeighbor : tf.image.resizeBilinear)(x as tf.Tensor4D, c.size, c.alignCorners, c.halfPixelCenters);
    const r = rng(cases.indexOf(c) + (kind === 'nearest' ? 1100 : 1200));
    const image = [3, 4, 2];
    const pixels = 24;
    const x = data(r, [2, ...image]);
    const dy = data(r, [2, ...c.size, 2]);
    const [dx, yWasm] = await runOn('wasm', () => [tf.grad((t: tf.Tensor) => tf.sum(tf.mul(resize(t), tensor(dy))))(tensor(x)), resize(tensor(x))]);
    const [yCpu] = await runOn('cpu', () => resize(tensor(x)));
    expectClose([yWasm as Float64Array], [yCpu as Float64Array], 1e-6, `${kind} ${c.label} forward`);
    // J[p, o]: output o of the resize of the p-th one-hot image, on cpu.
    const [jacobian] = await runOn('cpu', () => resize(tf.reshape(tf.oneHot(tf.range(0, pixels, 1, 'int32'), pixels, 1, 0, 'float32'), [pixels, ...image])));
    const outputs = (jacobian as Float64Array).length / pixels;
    const expected = new Float64Array(2 * pixels);
    for (let n = 0; n < 2; n++) {
      for (let p = 0; p < pixels; p++) {
        for (let o = 0; o < outputs; o++) expected[n * pixels + p] += ((jacobian as Float64Array)[p * outputs + o] as number) * (dy.values[n * outputs + o] as number);
      }
    }
    expectClose([dx as Float64Array], [expected], 1e-5, `${kind} ${c.label}`);
  });
});
