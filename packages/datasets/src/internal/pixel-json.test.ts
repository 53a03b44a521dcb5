import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { FormatError } from '@tensorloom/core';
import { parsePixelJson } from './pixel-json.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('parsePixelJson', () => {
  it('reads a flat array into whole rows of float32', () => {
    const r = parsePixelJson(bytes('{ "data": [0, 0.5, 1, 0.25,\n 0.125, 0.992] }'), 'f', 3, 'float32');
    expect(r.count).toBe(2);
    expect(r.emptyRows).toBe(0);
    expect(Array.from(r.pixels)).toEqual([0, 0.5, 1, 0.25, 0.125, Math.fround(0.992)]);
  });

  it('reads nested rows of bytes and skips empty rows', () => {
    const r = parsePixelJson(bytes('{"data":[[1,2],[],[255,0],[]]}'), 'f', 2, 'uint8');
    expect(r.count).toBe(2);
    expect(r.emptyRows).toBe(2);
    expect(r.pixels).toBeInstanceOf(Uint8Array);
    expect(Array.from(r.pixels)).toEqual([1, 2, 255, 0]);
  });

  it('gives Number() values for exponents, signs and long mantissas (slow path)', () => {
    const tokens = ['1e-1', '-0', '2.5E+1', '0.1234567890123456789', '3'];
    const r = parsePixelJson(bytes(`[${tokens.join(', ')}]`), 'f', 5, 'float32');
    expect(Array.from(r.pixels)).toEqual(tokens.map((t) => Math.fround(Number(t))));
  });

  it('matches JSON.parse + Float32Array bit for bit on a real mnist file', () => {
    const file = createRequire(import.meta.url).resolve('mnist/src/digits/5.json');
    const raw = readFileSync(file);
    const expected = new Float32Array((JSON.parse(raw.toString('utf8')) as { data: number[] }).data);
    const r = parsePixelJson(raw, 'mnist/5', 784, 'float32');
    expect(r.count).toBe(863);
    expect(r.pixels.length).toBe(expected.length);
    let mismatches = 0;
    for (let i = 0; i < expected.length; i++) if (!Object.is(expected[i], r.pixels[i])) mismatches++;
    expect(mismatches).toBe(0);
  });

  it.each([
    ['{"data": 5}', 'f', "f: expected a JSON array of pixel values, found none at byte 0"],
    ['[1, 2, 3', 'g', 'g: the array is not closed at byte 8'],
    ['[1, 2, 3]', 'h', 'h: 3 values do not make whole rows of 2 at byte 0'],
    ['[[1, 2], [3]]', 'i', 'i: row 1 has 1 values, expected 2 at byte 11'],
    ['[[[1]]]', 'j', 'j: arrays nested deeper than 2 at byte 2'],
    ['[1, [2, 3]]', 'k', 'k: a nested row after flat values at byte 4'],
    ['[[2, 3], 1]', 'l', 'l: a value outside the rows of a nested array at byte 9'],
    ['[1, x]', 'm', "m: unexpected character 'x' at byte 4"],
    ['[1, 1e999]', 'n', "n: '1e999' is not a finite number at byte 4"],
  ])('rejects %s', (text, source, message) => {
    const call = (): unknown => parsePixelJson(bytes(text), source, 2, 'float32');
    expect(call).toThrowError(FormatError);
    expect(call).toThrowError(message);
  });

  it('rejects bytes outside [0, 255] or fractional in uint8 mode', () => {
    expect(() => parsePixelJson(bytes('[[256, 0]]'), 'u', 2, 'uint8')).toThrowError(
      'u: value 256 is not an integer in [0, 255] at byte 2',
    );
    expect(() => parsePixelJson(bytes('[[0.5, 0]]'), 'u', 2, 'uint8')).toThrowError(
      'u: value 0.5 is not an integer in [0, 255] at byte 2',
    );
  });
});
