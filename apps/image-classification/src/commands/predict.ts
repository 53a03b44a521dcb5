// `image-classification predict <file.png | folder> --run <folder>`: the top-3 classes of each image.
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { tf } from '@tensorloom/core';
import { readImage } from '@tensorloom/data/node';
import type { BackendFlag } from '@tensorloom/app-kit';
import { selectBackend } from '@tensorloom/app-kit';
import { loadRun } from '../run-folder.js';

/** One image's prediction. */
export interface Prediction {
  file: string;
  top: { label: string; probability: number }[];
  /** What was done to fit the image to the model's input, if anything. */
  converted: string[];
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

async function imageFiles(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (cause) {
    throw new Error(`predict: no such file or folder '${path}'`, { cause });
  }
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => IMAGE_EXTENSIONS.has(extname(n).toLowerCase())).sort();
  if (names.length === 0) throw new Error(`predict: folder '${path}' expected PNG or JPEG files, got none`);
  return names.map((n) => join(path, n));
}

/**
 * Reads an image of any size and channel count as the model's input `[1, h, w, c]`: channels
 * converted (RGB to grey by luma), size changed bilinearly; `converted` says what was done.
 */
async function readAsInput(file: string, [h, w, c]: readonly [number, number, number]): Promise<{ x: tf.Tensor4D; converted: string[] }> {
  const original = await readImage(file, { channels: 4, dtype: 'float32' });
  const [ih, iw] = original.shape;
  original.dispose();
  const image = await readImage(file, { channels: c as 1 | 3, dtype: 'float32' });
  const converted: string[] = [];
  if (c === 1) converted.push('converted to grey');
  if (ih !== h || iw !== w) converted.push(`resized from ${iw}×${ih} to ${w}×${h}`);
  const x = tf.tidy(() => tf.image.resizeBilinear(image.expandDims(0) as tf.Tensor4D, [h, w]));
  image.dispose();
  return { x, converted };
}

/** Predicts the top-k classes of every image under `path`. */
export async function predictFiles(flags: { path: string; run: string; top: number; backend: BackendFlag }): Promise<Prediction[]> {
  await selectBackend(flags.backend);
  const { config, model } = await loadRun(flags.run);
  const classNames = config.classNames;
  const results: Prediction[] = [];
  for (const file of await imageFiles(flags.path)) {
    const { x, converted } = await readAsInput(file, config.spec.inputShape);
    const probs = tf.tidy(() => tf.softmax(model.apply(x)));
    const p = Array.from(probs.dataSync());
    tf.dispose([x, probs]);
    const order = p.map((v, k) => [v, k] as const).sort((a, b) => b[0] - a[0]).slice(0, flags.top);
    results.push({ file, converted, top: order.map(([probability, k]) => ({ label: classNames[k]!, probability })) });
  }
  model.dispose();
  return results;
}
