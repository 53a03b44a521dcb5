import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DTypeError, FormatError, ShapeError, expectNoLeaks, tf } from '@tensorloom/core';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { decodeImage, encodePng, readImage, writePng } from './image.js';

const { PNG } = pngjs;

/** A 2×3 RGBA image with known pixels: red, green, blue / grey 128, white, half-transparent black. */
const W = 3;
const H = 2;
const RGBA = [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 128, 128, 128, 255, 255, 255, 255, 255, 0, 0, 0, 128];

function pngBytes(colorType: 0 | 2 | 6 = 6): Buffer {
  const png = new PNG({ width: W, height: H });
  png.data.set(RGBA);
  return PNG.sync.write(png, { colorType });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tensorloom-image-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readImage', () => {
  it('reads a PNG as RGB float32 in [0, 1] by default (what a model takes), int32 0…255 and RGBA on request', async () => {
    const path = join(dir, 'known.png');
    await writeFile(path, pngBytes());
    const rgb = await readImage(path, { dtype: 'int32' });
    expect(rgb.shape).toEqual([H, W, 3]);
    expect(rgb.dtype).toBe('int32');
    expect(Array.from(rgb.dataSync())).toEqual(RGBA.filter((_, i) => i % 4 !== 3));
    const byDefault = await readImage(path);
    expect(byDefault.dtype).toBe('float32');
    Array.from(byDefault.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(RGBA.filter((_, j) => j % 4 !== 3)[i]! / 255, 6));
    byDefault.dispose();
    const rgba = await readImage(path, { channels: 4, dtype: 'float32' });
    expect(rgba.dtype).toBe('float32');
    Array.from(rgba.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(RGBA[i]! / 255, 6));
    tf.dispose([rgb, rgba]);
  });

  it('converts to grey with the ITU-R 601 luma weights (as Pillow)', async () => {
    const grey = decodeImage(pngBytes(), { channels: 1, dtype: 'int32' });
    expect(grey.shape).toEqual([H, W, 1]);
    // Pillow: L = R·299/1000 + G·587/1000 + B·114/1000, rounded (76 for pure red, 150 for
    // pure green, 29 for pure blue); grey and white stay themselves.
    expect(Array.from(grey.dataSync())).toEqual([76, 150, 29, 128, 255, 0]);
    grey.dispose();
  });

  it('reads grey and RGB PNGs', async () => {
    const fromGrey = decodeImage(pngBytes(0), { channels: 1, dtype: 'int32' });
    // pngjs writes a grey PNG as (R+G+B)/3 (red, green, blue → 85), compositing alpha over
    // white: black at alpha 128/255 → round((1 - 128/255)·255) = 127
    expect(Array.from(fromGrey.dataSync())).toEqual([85, 85, 85, 128, 255, 127]);
    const fromRgb = decodeImage(pngBytes(2), { channels: 4, dtype: 'int32' });
    expect(Array.from(fromRgb.dataSync()).filter((_, i) => i % 4 === 3)).toEqual([255, 255, 255, 255, 255, 255]);
    tf.dispose([fromGrey, fromRgb]);
  });

  it('reads a JPEG as jpeg-js decodes it, close to the encoded colours', async () => {
    const w = 16;
    const h = 8;
    const data = new Uint8Array(w * h * 4);
    for (let p = 0; p < w * h; p++) data.set(p < (w * h) / 2 ? [200, 40, 40, 255] : [30, 60, 220, 255], 4 * p);
    const bytes = jpeg.encode({ width: w, height: h, data }, 100).data;
    const path = join(dir, 'photo.jpg');
    await writeFile(path, bytes);
    const image = await readImage(path, { dtype: 'int32' });
    expect(image.shape).toEqual([h, w, 3]);
    const ref = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true }).data;
    const values = image.dataSync();
    for (let p = 0; p < w * h; p++) {
      for (let c = 0; c < 3; c++) {
        expect(values[3 * p + c]).toBe(ref[4 * p + c]);
        expect(Math.abs(values[3 * p + c]! - data[4 * p + c]!)).toBeLessThanOrEqual(8); // lossy
      }
    }
    image.dispose();
  });

  it('names the file when it is truncated, not an image, or missing', async () => {
    const truncated = join(dir, 'truncated.png');
    const full = pngBytes();
    await writeFile(truncated, full.subarray(0, full.length - 20));
    await expect(readImage(truncated)).rejects.toThrow(FormatError);
    await expect(readImage(truncated)).rejects.toThrow(`readImage '${truncated}': the PNG file is truncated or corrupt (decoder: `);
    const text = join(dir, 'notes.png');
    await writeFile(text, 'hello, not an image');
    await expect(readImage(text)).rejects.toThrow(
      new FormatError(`readImage '${text}': expected a PNG or JPEG file, got bytes 68 65 6c 6c 6f 2c 20 6e`),
    );
    const empty = join(dir, 'empty.png');
    await writeFile(empty, '');
    await expect(readImage(empty)).rejects.toThrow(`readImage '${empty}': expected a PNG or JPEG file, got an empty file`);
    const missing = join(dir, 'missing.png');
    await expect(readImage(missing)).rejects.toThrow(new FormatError(`readImage '${missing}': cannot read the file: no such file`));
    const badJpeg = join(dir, 'bad.jpg');
    await writeFile(badJpeg, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 1, 2, 3]));
    await expect(readImage(badJpeg)).rejects.toThrow(`readImage '${badJpeg}': the JPEG file is truncated or corrupt (decoder: `);
    const cutJpeg = join(dir, 'cut.jpg');
    const fullJpeg = Buffer.from(jpeg.encode({ data: Buffer.from(new Uint8Array(8 * 8 * 4).fill(200)), width: 8, height: 8 }, 90).data);
    await writeFile(cutJpeg, fullJpeg.subarray(0, Math.floor(fullJpeg.length / 2)));
    await expect(readImage(cutJpeg)).rejects.toThrow(`readImage '${cutJpeg}': the JPEG file is truncated or corrupt`);
  });

  it('rejects bad options', async () => {
    await expect(readImage('x.png', { channels: 2 as 3 })).rejects.toThrow(
      new ConfigError("readImage 'x.png': channels expected 1, 3 or 4, got 2"),
    );
    expect(() => decodeImage(pngBytes(), { dtype: 'uint8' as 'int32' })).toThrow(
      "readImage 'bytes': dtype expected 'int32' or 'float32', got 'uint8'",
    );
  });
});

describe('writePng', () => {
  it('round-trips int32 and float32 images of 1, 3 and 4 channels', async () => {
    await expectNoLeaks(async () => {
      for (const channels of [1, 3, 4] as const) {
        const values = Array.from({ length: H * W * channels }, (_, i) => (i * 37) % 256);
        const image = tf.tensor3d(values, [H, W, channels], 'int32');
        const path = join(dir, 'out', `c${channels}.png`);
        await writePng(path, image);
        const back = await readImage(path, { channels, dtype: 'int32' });
        expect(Array.from(back.dataSync())).toEqual(values);
        const png = PNG.sync.read(await readFile(path));
        expect(png.colorType).toBe({ 1: 0, 3: 2, 4: 6 }[channels]);
        tf.dispose([image, back]);
      }
    }, 'writePng round trip');
    const floats = tf.tensor2d([
      [0, 0.5],
      [1, 2],
    ]);
    const decoded = decodeImage(encodePng(floats), { channels: 1, dtype: 'int32' });
    expect(Array.from(decoded.dataSync())).toEqual([0, 128, 255, 255]); // ×255, rounded, clamped
    tf.dispose([floats, decoded]);
  });

  it('rejects shapes and dtypes it cannot write, naming the file', async () => {
    const two = tf.zeros([2, 2, 2]);
    await expect(writePng('a.png', two)).rejects.toThrow(
      new ShapeError("writePng 'a.png': image expected shape [h, w] or [h, w, 1|3|4], got [2, 2, 2]"),
    );
    const bool = tf.zeros([2, 2], 'bool');
    expect(() => encodePng(bool)).toThrow(
      new DTypeError("writePng 'image': image dtype expected int32 (0…255) or float32 ([0, 1]), got bool"),
    );
    tf.dispose([two, bool]);
  });
});
