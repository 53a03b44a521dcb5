// Pictures for reports: image grids as PNG, heat maps blended over images.
import { tf } from '@tensorloom/core';
import { encodePng } from '@tensorloom/data/node';

/** Images of one size, `[h, w, c]` floats in [0, 1], laid out in a grid with a 2-pixel gutter. */
export function imageGridPng(images: readonly Float32Array[], h: number, w: number, c: number, columns = 8): Uint8Array {
  const cols = Math.max(1, Math.min(columns, images.length));
  const rows = Math.max(1, Math.ceil(images.length / cols));
  const gutter = 2;
  const width = cols * (w + gutter) + gutter;
  const height = rows * (h + gutter) + gutter;
  const rgb = new Float32Array(width * height * 3).fill(1);
  images.forEach((image, k) => {
    const top = gutter + Math.floor(k / cols) * (h + gutter);
    const left = gutter + (k % cols) * (w + gutter);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < 3; ch++) {
          rgb[((top + y) * width + left + x) * 3 + ch] = image[(y * w + x) * c + (c === 1 ? 0 : ch)]!;
        }
      }
    }
  });
  const tensor = tf.tensor3d(rgb, [height, width, 3]);
  try {
    return encodePng(tensor);
  } finally {
    tensor.dispose();
  }
}

/** A perceptual blue → yellow → red colour for t in [0, 1] (for heat maps over grey digits). */
function heatColour(t: number): [number, number, number] {
  const v = Math.min(1, Math.max(0, t));
  if (v < 0.5) return [v * 2, v * 2, 1 - v * 2];
  return [1, 2 - v * 2, 0];
}

/**
 * Blends a heat map (`[h, w]`, any range: normalised to its own max) over a grey or colour
 * image (`[h, w, c]` in [0, 1]); the result is an RGB image `[h, w, 3]` in [0, 1].
 */
export function overlayHeat(image: Float32Array, heat: Float32Array, h: number, w: number, c: number, alpha = 0.55): Float32Array {
  let max = 0;
  for (const v of heat) max = Math.max(max, v);
  const out = new Float32Array(h * w * 3);
  for (let i = 0; i < h * w; i++) {
    const colour = heatColour(max > 0 ? heat[i]! / max : 0);
    for (let ch = 0; ch < 3; ch++) {
      const base = image[i * c + (c === 1 ? 0 : ch)]!;
      out[i * 3 + ch] = (1 - alpha) * base + alpha * colour[ch]!;
    }
  }
  return out;
}
