import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DTypeError, FormatError, ShapeError, readSafetensors, readSafetensorsHeader, tf, writeSafetensors } from '@tensorloom/core';

const fixture = new Uint8Array(readFileSync(new URL('./__fixtures__/python-written.safetensors', import.meta.url)));

/** A file whose header is `header` (a JS value or raw text) followed by `data`. */
function fileWith(header: unknown, data = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors', () => {
  it('round-trips float32, int32 and bool tensors with metadata', () => {
    const tensors = {
      'fc.kernel': tf.tensor([[1.5, -2], [3, 4e-8]]),
      'fc.bias': tf.tensor([0.1, 0.2], [2]),
      steps: tf.tensor([1, -7, 2 ** 30], [3], 'int32'),
      mask: tf.tensor([true, false], [2], 'bool'),
      scalar: tf.scalar(3.25),
    };
    const bytes = writeSafetensors(tensors, { framework: 'tensorloom' });
    const { tensors: back, metadata } = readSafetensors(bytes);
    expect(metadata).toEqual({ framework: 'tensorloom' });
    for (const [name, t] of Object.entries(tensors)) {
      expect(back[name]!.dtype).toBe(t.dtype);
      expect(back[name]!.shape).toEqual(t.shape);
      expect(Array.from(back[name]!.dataSync())).toEqual(Array.from(t.dataSync()));
    }
    tf.dispose([...Object.values(tensors), ...Object.values(back)]);
  });

  it('writes an 8-byte aligned header in name order, as the reference writer does', () => {
    const bytes = writeSafetensors({ b: tf.ones([1]), a: tf.zeros([2]) });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const header = readSafetensorsHeader(bytes);
    expect([...header.entries.keys()]).toEqual(['a', 'b']);
    expect(header.entries.get('a')!.dataOffsets).toEqual([0, 8]);
  });

  it('reads a file written by an independent implementation (tools/fixtures/make-safetensors-fixture.py)', () => {
    const { tensors, metadata } = readSafetensors(fixture);
    expect(metadata).toEqual({ format: 'pt', written_by: 'make-safetensors-fixture.py' });
    expect(tensors['layer.weight']!.arraySync()).toEqual([[1, -2, 3.5], [0.25, -0.125, 100]]);
    expect(tensors['layer.bias']!.arraySync()).toEqual([0.5, -1.5]);
    expect(tensors.half!.arraySync()).toEqual([1, -0.5, 65504]);
    expect(tensors.brain!.arraySync()).toEqual([1, -3]);
    expect(tensors.step!.dtype).toBe('int32');
    expect(tensors.step!.shape).toEqual([]);
    expect(tensors.step!.arraySync()).toBe(123456);
    expect(tensors.ids!.arraySync()).toEqual([[0, -1], [7, 2147483647]]);
    expect(tensors.pixels!.arraySync()).toEqual([0, 1, 128, 255]);
    expect(tensors.mask!.dtype).toBe('bool');
    expect(tensors.mask!.arraySync()).toEqual([1, 0, 1]);
    tf.dispose(Object.values(tensors));
  });

  it('rejects truncated files', () => {
    expect(() => readSafetensors(fixture.subarray(0, 5), { source: 'x.safetensors' })).toThrowError(
      new FormatError("safetensors 'x.safetensors': file is truncated: expected at least 8 bytes, got 5"),
    );
    expect(() => readSafetensors(fixture.subarray(0, 40))).toThrowError(/file is truncated: header needs \d+ bytes after the length prefix, got 32/);
    expect(() => readSafetensors(fixture.subarray(0, fixture.length - 3))).toThrowError(
      /file is truncated: entry 'mask' ends at data byte \d+, but the data section has \d+ bytes/,
    );
  });

  it('rejects bad headers', () => {
    expect(() => readSafetensors(fileWith('{not json'))).toThrowError("safetensors '<bytes>': header is not valid UTF-8 JSON");
    expect(() => readSafetensors(fileWith([1, 2]))).toThrowError('header must be a JSON object');
    expect(() => readSafetensors(fileWith({ w: { dtype: 'F8', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)))).toThrowError(
      /entry 'w' dtype expected one of BOOL, .*, got "F8"/,
    );
    expect(() => readSafetensors(fileWith({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)))).toThrowError(
      "entry 'w' shape must be a list of non-negative integers, got [-1]",
    );
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 40n, true);
    expect(() => readSafetensors(huge)).toThrowError(/header length 1099511627776 exceeds the limit/);
  });

  it('rejects offsets that disagree with the dtype and shape, or leave gaps', () => {
    expect(() => readSafetensors(fileWith({ w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 12] } }, new Uint8Array(12)))).toThrowError(
      new FormatError("safetensors '<bytes>': entry 'w' (F32 [2, 2]) expected 16 bytes, got data_offsets spanning 12"),
    );
    expect(() =>
      readSafetensors(fileWith({ a: { dtype: 'U8', shape: [1], data_offsets: [1, 2] } }, new Uint8Array(2))),
    ).toThrowError("entry 'a' starts at data byte 1, expected 0 (entries must be contiguous and not overlap)");
    expect(() => readSafetensors(fileWith({ a: { dtype: 'U8', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(3)))).toThrowError(
      'data section has 3 bytes, but the entries cover 1',
    );
  });

  it('checks an expectation of names, shapes and dtypes', () => {
    const before = tf.memory().numTensors;
    expect(() => readSafetensors(fixture, { expect: { 'layer.weight': { shape: [3, 2] } } })).toThrowError(ShapeError);
    const wide = tf.ones([2, 3]);
    expect(() =>
      readSafetensors(writeSafetensors({ w: wide }), { source: 'm.safetensors', expect: { w: { shape: [3, 2] } } }),
    ).toThrowError("safetensors 'm.safetensors': entry 'w' expected shape [3, 2], got [2, 3]");
    wide.dispose();
    const ones = tf.ones([2]);
    const bytes = writeSafetensors({ w: ones });
    ones.dispose();
    expect(() => readSafetensors(bytes, { expect: { w: { shape: [2] }, b: { shape: [2] } } })).toThrowError("entry 'b' is missing (expected shape [2])");
    expect(() => readSafetensors(bytes, { expect: {} })).toThrowError("entry 'w' is not expected (shape [2])");
    expect(() => readSafetensors(bytes, { expect: { w: { shape: [2], dtype: 'int32' } } })).toThrowError(
      new DTypeError("safetensors '<bytes>': entry 'w' expected dtype int32, got float32"),
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses integers that do not fit int32 and dtypes it cannot write', () => {
    const big = new Uint8Array(8);
    new DataView(big.buffer).setBigInt64(0, 2n ** 40n, true);
    expect(() => readSafetensors(fileWith({ n: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, big))).toThrowError(
      "entry 'n' (I64) value 1099511627776 at index 0 does not fit int32",
    );
    const s = tf.tensor(['a']);
    expect(() => writeSafetensors({ s })).toThrowError("writeSafetensors: tensor 's' dtype expected float32, int32 or bool, got string");
    s.dispose();
  });
});
