// `segmentation predict <file.png> --run <folder> --out mask.png`: the coloured mask of one image.
import { tf } from '@tensorloom/core';
import { readImage, writePng } from '@tensorloom/data/node';
import { selectBackend } from '@tensorloom/app-kit';
import type { BackendFlag } from '@tensorloom/app-kit';
import { maskRgb } from '../evaluation.js';
import { loadRun } from '../run-folder.js';

/** What `predict` found. */
export interface MaskPrediction {
  /** The PNG written: the mask in the palette, at the input's own size. */
  out: string;
  /** Pixels of each class in the model's 64×64 mask, by class name, for the classes present. */
  pixels: Record<string, number>;
  /** What was done to fit the image to the model's input, if anything. */
  converted: string[];
}

/**
 * Segments one image: read as grey (RGB by luma), resized bilinearly to the model's canvas
 * if it is another size, classified per pixel; the coloured mask is resized back (nearest
 * neighbour, so colours stay palette colours) and written as PNG. Digits are expected light
 * on dark, as in MNIST.
 */
export async function predictMask(flags: { path: string; run: string; out: string; backend: BackendFlag }): Promise<MaskPrediction> {
  await selectBackend(flags.backend);
  const { config, model } = await loadRun(flags.run);
  const [h, w] = config.spec.inputShape;
  let original: tf.Tensor3D;
  try {
    original = await readImage(flags.path, { channels: 4, dtype: 'float32' });
  } catch (error) {
    model.dispose();
    throw error;
  }
  const [ih, iw] = original.shape;
  original.dispose();
  const image = await readImage(flags.path, { channels: 1, dtype: 'float32' });
  const converted: string[] = [];
  if (ih !== h || iw !== w) converted.push(`resized from ${iw}×${ih} to ${w}×${h}, the mask back to ${iw}×${ih}`);
  const labels = tf.tidy(() => {
    const x = tf.image.resizeBilinear(image.expandDims(0) as tf.Tensor4D, [h, w]); // (1, h, w, 1)
    return tf.argMax(model.apply(x, { training: false }), -1).reshape([h * w]); // (h·w)
  });
  const mask = labels.dataSync();
  tf.dispose([image, labels]);
  model.dispose();
  const pixels: Record<string, number> = {};
  for (const k of mask) pixels[config.classNames[k]!] = (pixels[config.classNames[k]!] ?? 0) + 1;
  const rgb = tf.tidy(() => tf.image.resizeNearestNeighbor(tf.tensor3d(maskRgb(mask), [h, w, 3]), [ih!, iw!])); // (ih, iw, 3)
  try {
    await writePng(flags.out, rgb);
  } finally {
    rgb.dispose();
  }
  return { out: flags.out, pixels, converted };
}
