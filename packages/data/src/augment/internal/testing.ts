// Test helpers shared by the augmentation tests (not exported from the package).
import { tf } from '@tensorloom/core';

/**
 * A batch whose pixels encode where they came from: channel 0 = row, channel 1 = column,
 * channel 2 = 1 (the "crispness" channel: after a bilinear warp it is exactly 1 only where
 * every contributing source pixel was inside the image, which is where the coordinate
 * channels are exact). The mask holds the pixel's id `row · w + col` (int32, `[n, h, w]`).
 */
export function coordinateBatch(n: number, h: number, w: number): { image: tf.Tensor4D; mask: tf.Tensor3D } {
  const img = new Float32Array(n * h * w * 3);
  const ids = new Int32Array(n * h * w);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const p = (i * h + y) * w + x;
        img.set([y, x, 1], p * 3);
        ids[p] = y * w + x;
      }
  return { image: tf.tensor4d(img, [n, h, w, 3]), mask: tf.tensor3d(ids, [n, h, w], 'int32') };
}

/**
 * Checks that a warped coordinate image and its warped id mask agree: wherever the
 * crispness channel is 1 and the mask holds a real id (≥ 0), the image's bilinear source
 * coordinates must round to the mask's nearest-neighbour pixel (|Δ| ≤ 0.5). Returns, per
 * image, the fraction of pixels that were checked, and the worst disagreement.
 */
export function alignment(
  image: tf.Tensor,
  mask: tf.Tensor,
  sourceWidth: number,
): { checkedFraction: number[]; worst: number } {
  const [n, h, w] = image.shape as [number, number, number, number];
  const img = image.dataSync();
  const ids = mask.dataSync();
  const checkedFraction: number[] = [];
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let checked = 0;
    for (let p = i * h * w; p < (i + 1) * h * w; p++) {
      const id = ids[p] as number;
      if (Math.abs((img[p * 3 + 2] as number) - 1) > 1e-5 || id < 0) continue;
      checked++;
      const dy = Math.abs((img[p * 3] as number) - Math.floor(id / sourceWidth));
      const dx = Math.abs((img[p * 3 + 1] as number) - (id % sourceWidth));
      worst = Math.max(worst, dy, dx);
    }
    checkedFraction.push(checked / (h * w));
  }
  return { checkedFraction, worst };
}

/** Plain nested arrays of a tensor, for `toEqual`. */
export function values(t: tf.Tensor): unknown {
  return t.arraySync();
}

/** Largest absolute difference between a tensor and a flat reference. */
export function maxAbsDiff(t: tf.Tensor, expected: ArrayLike<number>): number {
  const got = t.dataSync();
  if (got.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs((got[i] as number) - (expected[i] as number)));
  return worst;
}
