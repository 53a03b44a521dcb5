import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DTypeError, FormatError, ShapeError, readSafetensors, readSafetensorsHeader, readSafetensorsRaw, tf, writeSafetensors,
} from '@tensorloom/core';

const fixture = new Uint8Array(readFileSync(new URL('./__fixtures__/python-written.safetensors', import.meta.url)));
// Written by Python's safetensors package: __fixtures__/make-every-dtype.py.
const everyDtype = new Uint8Array(readFileSync(new URL('./__fixtures__/every-dtype.safetensors', import.meta.url)));

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

  it('writes an 8-byte aligned header in name order within a dtype size, as the reference writer does', () => {
    const ones = tf.ones([1]);
    const zeros = tf.zeros([2]);
    const flags = tf.tensor([true], [1], 'bool');
    const bytes = writeSafetensors({ c: flags, b: ones, a: zeros, d: { tensor: ones, dtype: 'F64' } });
    tf.dispose([ones, zeros, flags]);
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const header = readSafetensorsHeader(bytes);
    expect([...header.entries.keys()]).toEqual(['d', 'a', 'b', 'c']);
    expect(header.entries.get('a')!.dataOffsets).toEqual([8, 16]);
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
    expect(() => readSafetensors(fileWith('{not json'))).toThrowError("safetensors '<bytes>': not a safetensors file: header is not valid UTF-8 JSON");
    expect(() => readSafetensors(fileWith([1, 2]))).toThrowError("not a safetensors file: header expected a JSON object, got an array");
    expect(() => readSafetensors(fileWith({ w: { dtype: 'F8', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)))).toThrowError(
      /entry 'w' dtype expected one of BOOL, .*, got "F8"/,
    );
    expect(() => readSafetensors(fileWith({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)))).toThrowError(
      "entry 'w' shape must be a list of non-negative integers, got [-1]",
    );
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 40n, true);
    expect(() => readSafetensors(huge)).toThrowError(/header length 1099511627776 exceeds the limit/);
    // A PNG's first 8 bytes read as a header length far beyond the limit.
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    expect(() => readSafetensors(png, { source: 'digit.png' })).toThrowError(
      new FormatError("safetensors 'digit.png': not a safetensors file: header length 727905341920923785 exceeds the limit 100000000"),
    );
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

describe('safetensors dtypes', () => {
  const { tensors: raw, metadata } = readSafetensorsRaw(everyDtype, { source: 'every-dtype.safetensors' });

  it('writes back a file of every dtype from Python byte for byte', () => {
    const again = writeSafetensors(raw, metadata);
    expect(again.byteLength).toBe(everyDtype.byteLength);
    expect(Buffer.from(again).equals(Buffer.from(everyDtype))).toBe(true);
  });

  it('keeps each dtype exactly when read raw', () => {
    expect(metadata).toEqual({ format: 'pt', written_by: 'make-every-dtype.py' });
    const dtypes = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.dtype]));
    expect(dtypes).toMatchObject({
      'z.f64': 'F64', 'layer.weight': 'F32', half: 'F16', brain: 'BF16', 'bn.num_batches_tracked': 'I64', 'big.u64': 'U64',
      ids: 'I32', u32: 'U32', i16: 'I16', u16: 'U16', i8: 'I8', pixels: 'U8', mask: 'BOOL', empty: 'F32',
    });
    expect(raw['z.f64']!.data).toEqual(new Float64Array([0.1, -2.5, 1e300, -0]));
    expect(raw['big.i64']!.data).toEqual(new BigInt64Array([-(2n ** 62n), 2n ** 40n, -1n]));
    expect(raw['big.u64']!.data).toEqual(new BigUint64Array([0n, 2n ** 63n + 5n]));
    expect(raw['bn.num_batches_tracked']!.shape).toEqual([]);
    expect(raw['bn.num_batches_tracked']!.data).toEqual(new BigInt64Array([123456n]));
    expect(raw.u32!.data).toEqual(new Uint32Array([0, 4294967295]));
    expect(raw.i16!.data).toEqual(new Int16Array([-32768, 32767, 3]));
    expect(raw.half!.data).toEqual(new Uint16Array([0x3c00, 0xb800, 0x7bff, 0x03ff, 0x0001])); // IEEE half bits
    expect(raw.empty!.shape).toEqual([0, 3]);
    expect(raw.empty!.data.length).toBe(0);
  });

  it('rounds float32 to F16 and BF16 bit for bit as PyTorch does', () => {
    const source = tf.tensor(raw['round.source']!.data as Float32Array);
    const bytes = writeSafetensors({ h: { tensor: source, dtype: 'F16' }, b: { tensor: source, dtype: 'BF16' } });
    const back = readSafetensorsRaw(bytes).tensors;
    expect(Array.from(back.h!.data as Uint16Array)).toEqual(Array.from(raw['round.f16']!.data as Uint16Array));
    expect(Array.from(back.b!.data as Uint16Array)).toEqual(Array.from(raw['round.bf16']!.data as Uint16Array));
    source.dispose();
  });

  it('saves float32 state as F16 or BF16 on request and reads it back as float32', () => {
    const w = tf.variable(tf.tensor([[0.1, -1 / 3], [1000.5, 2 ** -20]]));
    const steps = tf.variable(tf.scalar(7, 'int32'), false);
    const before = tf.memory().numTensors;
    for (const [floatDtype, bits] of [['F16', 11], ['BF16', 8]] as const) {
      const bytes = writeSafetensors({ w, steps: { tensor: steps, dtype: 'I64' } }, {}, { floatDtype });
      const header = readSafetensorsHeader(bytes);
      expect(header.entries.get('w')!.dtype).toBe(floatDtype);
      expect(header.entries.get('steps')!.dtype).toBe('I64');
      expect(bytes.byteLength).toBeLessThan(8 + 128 + 4 * 2 + 8); // two bytes a float
      const { tensors } = readSafetensors(bytes);
      expect(tensors.w!.dtype).toBe('float32');
      expect(tensors.steps!.dtype).toBe('int32');
      expect(tensors.steps!.arraySync()).toBe(7);
      const got = tensors.w!.dataSync();
      w.dataSync().forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -bits));
      w.assign(tensors.w!); // back into the float32 parameter
      tf.dispose(Object.values(tensors));
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([w, steps]);
  });

  it('converts int32 and bool tensors to the integer dtypes with range checks', () => {
    const ints = tf.tensor([0, 200, 255], [3], 'int32');
    const flags = tf.tensor([true, false], [2], 'bool');
    const back = readSafetensorsRaw(writeSafetensors({ u8: { tensor: ints, dtype: 'U8' }, b: { tensor: flags, dtype: 'U8' } })).tensors;
    expect(back.u8!.data).toEqual(new Uint8Array([0, 200, 255]));
    expect(back.b!.data).toEqual(new Uint8Array([1, 0]));
    expect(() => writeSafetensors({ x: { tensor: ints, dtype: 'I8' } })).toThrowError(
      new DTypeError("writeSafetensors: tensor 'x' value 200 at index 1 expected to fit I8 [-128, 127]"),
    );
    expect(() => writeSafetensors({ x: { tensor: ints, dtype: 'F16' } })).toThrowError(
      "writeSafetensors: tensor 'x' (int32) stored dtype expected one of U8, I8, U16, I16, U32, I32, I64, U64, got F16",
    );
    const floats = tf.ones([2]);
    expect(() => writeSafetensors({ x: { tensor: floats, dtype: 'I64' } })).toThrowError(
      "writeSafetensors: tensor 'x' (float32) stored dtype expected one of F32, F16, BF16, F64, got I64",
    );
    expect(() => writeSafetensors({ x: floats }, {}, { floatDtype: 'I32' as 'F32' })).toThrowError(
      'writeSafetensors: floatDtype expected one of F32, F16, BF16, F64, got "I32"',
    );
    tf.dispose([ints, flags, floats]);
  });

  it('rejects raw tensors whose data does not match their dtype or shape', () => {
    expect(() => writeSafetensors({ n: { dtype: 'I64', shape: [1], data: new Int32Array([1]) } })).toThrowError(
      new DTypeError("writeSafetensors: tensor 'n' (I64) data expected a BigInt64Array, got Int32Array"),
    );
    expect(() => writeSafetensors({ w: { dtype: 'F32', shape: [2, 2], data: new Float32Array(3) } })).toThrowError(
      new ShapeError("writeSafetensors: tensor 'w' (F32 [2, 2]) data expected 4 values, got 3"),
    );
  });
});
