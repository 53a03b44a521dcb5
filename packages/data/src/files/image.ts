import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError, DTypeError, FormatError, ShapeError, formatShape, tf } from '@tensorloom/core';
import { fileReadError } from '@tensorloom/core/node';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';

const { PNG } = pngjs;

/**
 * Options of {@link readImage} and {@link decodeImage}.
 *
 * @example
 * ```ts
 * await readImage('digit.png', { channels: 1, dtype: 'float32' });
 * ```
 *
 * @group Files
 */
export interface ReadImageOptions {
  /**
   * Channels of the result: 1 (grey, ITU-R 601 luma `(19595·R + 38470·G + 7471·B + 2¹⁵) >> 16`
   * as Pillow's `convert('L')`), 3 (RGB) or 4 (RGBA). Alpha is dropped, not composited, for
   * 1 and 3. Default 3.
   */
  channels?: 1 | 3 | 4;
  /**
   * `'float32'` for values in [0, 1] (value / 255), what a model takes; `'int32'` for the
   * raw values 0…255 (to keep memory small, or to augment on bytes). Default `'float32'`.
   */
  dtype?: 'int32' | 'float32';
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

function checkReadOptions(unit: string, options: ReadImageOptions): { channels: 1 | 3 | 4; dtype: 'int32' | 'float32' } {
  const channels = options.channels ?? 3;
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new ConfigError(`${unit}: channels expected 1, 3 or 4, got ${String(channels)}`);
  }
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'int32' && dtype !== 'float32') {
    throw new ConfigError(`${unit}: dtype expected 'int32' or 'float32', got '${String(dtype)}'`);
  }
  return { channels, dtype };
}

/**
 * Decodes PNG or JPEG bytes (the format is told by the file's signature, not its name) into
 * an `[height, width, channels]` tensor.
 *
 * @param bytes - the encoded image.
 * @param options - channels and dtype of the result.
 * @param source - names the image in error messages (a path, a URL). Default `'bytes'`.
 * @throws `FormatError` naming `source` when the bytes are not a PNG or JPEG, or do not decode.
 * @example
 * ```ts
 * import { decodeImage } from '@tensorloom/data/node';
 * const image = decodeImage(await readFile('cat.jpg'), { dtype: 'float32' }); // [h, w, 3]
 * ```
 *
 * @group Files
 */
export function decodeImage(bytes: Uint8Array, options: ReadImageOptions = {}, source = 'bytes'): tf.Tensor3D {
  const unit = `readImage '${source}'`;
  const { channels, dtype } = checkReadOptions(unit, options);
  let width: number;
  let height: number;
  let rgba: Uint8Array;
  if (startsWith(bytes, PNG_SIGNATURE)) {
    try {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      ({ width, height } = png);
      rgba = png.data;
    } catch (cause) {
      throw new FormatError(`${unit}: the PNG file is truncated or corrupt (decoder: ${(cause as Error).message})`, { cause });
    }
  } else if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    try {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
      ({ width, height } = img);
      rgba = img.data;
    } catch (cause) {
      throw new FormatError(`${unit}: the JPEG file is truncated or corrupt (decoder: ${(cause as Error).message})`, { cause });
    }
  } else {
    const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new FormatError(
      `${unit}: expected a PNG or JPEG file, got ${bytes.length === 0 ? 'an empty file' : `bytes ${head}`}`,
    );
  }
  if (rgba.length !== width * height * 4) {
    throw new FormatError(`${unit}: expected ${width * height * 4} bytes of pixels for ${width}×${height}, got ${rgba.length}`);
  }
  const n = width * height;
  const out = dtype === 'int32' ? new Int32Array(n * channels) : new Float32Array(n * channels);
  const scale = dtype === 'int32' ? 1 : 1 / 255;
  for (let p = 0; p < n; p++) {
    const r = rgba[4 * p]!;
    const g = rgba[4 * p + 1]!;
    const b = rgba[4 * p + 2]!;
    if (channels === 1) {
      out[p] = ((19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16) * scale;
    } else {
      out[channels * p] = r * scale;
      out[channels * p + 1] = g * scale;
      out[channels * p + 2] = b * scale;
      if (channels === 4) out[4 * p + 3] = rgba[4 * p + 3]! * scale;
    }
  }
  return tf.tensor3d(out, [height, width, channels], dtype);
}

/**
 * Reads a PNG or JPEG file into an `[height, width, channels]` tensor (owned by the caller).
 *
 * @throws `FormatError` naming the file when it cannot be read, is not a PNG or JPEG, or
 *   does not decode (truncated, corrupt).
 * @example
 * ```ts
 * import { readImage } from '@tensorloom/data/node';
 * const image = await readImage('data/cats/001.png', { channels: 3, dtype: 'float32' });
 * ```
 *
 * @group Files
 */
export async function readImage(path: string, options: ReadImageOptions = {}): Promise<tf.Tensor3D> {
  checkReadOptions(`readImage '${path}'`, options);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw fileReadError(`readImage '${path}'`, cause);
  }
  return decodeImage(bytes, options, path);
}

function pixels(unit: string, image: tf.Tensor): { height: number; width: number; channels: number; values: Uint8Array } {
  if (image.dtype !== 'int32' && image.dtype !== 'float32') {
    throw new DTypeError(`${unit}: image dtype expected int32 (0…255) or float32 ([0, 1]), got ${image.dtype}`);
  }
  const shape = image.shape;
  const channels = shape.length === 2 ? 1 : (shape[2] ?? 0);
  if ((shape.length !== 2 && shape.length !== 3) || ![1, 3, 4].includes(channels) || shape[0] === 0 || shape[1] === 0) {
    throw new ShapeError(`${unit}: image expected shape [h, w] or [h, w, 1|3|4], got ${formatShape(shape)}`);
  }
  const data = image.dataSync();
  const scale = image.dtype === 'float32' ? 255 : 1;
  const values = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = Math.round((data[i] as number) * scale);
    values[i] = v < 0 ? 0 : v > 255 ? 255 : v; // NaN → 0
  }
  return { height: shape[0]!, width: shape[1]!, channels, values };
}

/**
 * Encodes an image tensor as PNG bytes: `[h, w]` or `[h, w, 1]` as grey, `[h, w, 3]` as
 * RGB, `[h, w, 4]` as RGBA; int32 values 0…255 or float32 values in [0, 1], clamped.
 *
 * @throws `ShapeError` or `DTypeError` for other shapes or dtypes.
 * @example
 * ```ts
 * import { encodePng } from '@tensorloom/data/node';
 * const bytes = encodePng(tf.zeros([28, 28, 1]));
 * ```
 *
 * @group Files
 */
export function encodePng(image: tf.Tensor, source = 'image'): Uint8Array {
  const unit = `writePng '${source}'`;
  const { height, width, channels, values } = pixels(unit, image);
  const png = new PNG({ width, height });
  const data = png.data;
  for (let p = 0; p < width * height; p++) {
    const r = values[channels * p]!;
    const g = channels === 1 ? r : values[channels * p + 1]!;
    const b = channels === 1 ? r : values[channels * p + 2]!;
    data[4 * p] = r;
    data[4 * p + 1] = g;
    data[4 * p + 2] = b;
    data[4 * p + 3] = channels === 4 ? values[4 * p + 3]! : 255;
  }
  const colorType = channels === 1 ? 0 : channels === 3 ? 2 : 6;
  return new Uint8Array(PNG.sync.write(png, { colorType, inputColorType: 6, inputHasAlpha: true }));
}

/**
 * Writes an image tensor to a PNG file (see {@link encodePng}), creating its folder. The
 * tensor is not disposed.
 *
 * @throws `ShapeError` or `DTypeError` naming the file for other shapes or dtypes.
 * @example
 * ```ts
 * import { writePng } from '@tensorloom/data/node';
 * await writePng('out/sample-0.png', tf.div(image, 255));
 * ```
 *
 * @group Files
 */
export async function writePng(path: string, image: tf.Tensor): Promise<void> {
  const bytes = encodePng(image, path);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}
