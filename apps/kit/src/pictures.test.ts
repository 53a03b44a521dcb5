import { describe, expect, it } from 'vitest';
import { imageGridPng, overlayHeat } from './pictures.js';

describe('imageGridPng', () => {
  it('writes a PNG of the tiles with a gutter', () => {
    const tile = new Float32Array(4).fill(0.5);
    const png = imageGridPng([tile, tile, tile], 2, 2, 1, 2);
    expect(Array.from(png.slice(1, 4))).toEqual([0x50, 0x4e, 0x47]); // "PNG"
    const view = new DataView(png.buffer, png.byteOffset);
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([2 * 4 + 2, 2 * 4 + 2]); // width, height
  });
});

describe('overlayHeat', () => {
  it('keeps the image where the heat is zero, apart from the blend of the cold colour', () => {
    const out = overlayHeat(new Float32Array([1, 0]), new Float32Array([0, 2]), 1, 2, 1, 0.5);
    expect(Array.from(out)).toEqual([0.5, 0.5, 1, 0.5, 0, 0]); // cold = blue; hot (max) = red
  });
});
