import { rng, tf } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { data, expectClose, expectNoWasmLeaks, runOn, tensor } from '../../test/helpers.js';

type Pad = 'same' | 'valid';
interface Case {
  batch: number;
  channels: number;
  window: [number, number];
  stride: [number, number];
  pad: Pad;
}

// Table: square and non-square windows (the 1-D pools are [1, k] and [k, 1]) × strides
// 1–2 × 'same'/'valid' × batch 1/2 × channels 1/3, on a 7×6 input.
const cases: Case[] = [];
for (const window of [[2, 2], [3, 3], [1, 2], [3, 1], [2, 3]] as [number, number][]) {
  for (const stride of [[1, 1], [2, 2], [1, 2]] as [number, number][]) {
    for (const pad of ['same', 'valid'] as Pad[]) {
      cases.push({ batch: 1 + (cases.length % 2), channels: cases.length % 3 === 0 ? 1 : 3, window, stride, pad });
    }
  }
}

function name(c: Case): string {
  return `window ${c.window.join('×')}, stride ${c.stride.join('×')}, ${c.pad}, batch ${c.batch}, channels ${c.channels}`;
}

/**
 * Float64 reference of TensorFlow's pools and their gradients on NHWC data: a window reads
 * the pixels inside the image ('same' padding adds none); max takes the first maximum in
 * row-major order, avg divides by the number of pixels read.
 */
function reference(kind: 'max' | 'avg', x: Float32Array, shape: number[], dy: Float32Array, c: Case): { y: Float64Array; dx: Float64Array } {
  const [n, h, w, ch] = shape as [number, number, number, number];
  const info = tf.backend_util.computePool2DInfo([n, h, w, ch], c.window, c.stride, 1, c.pad);
  const { outHeight, outWidth } = info;
  const y = new Float64Array(n * outHeight * outWidth * ch);
  const dx = new Float64Array(x.length);
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        for (let k = 0; k < ch; k++) {
          const cells: number[] = [];
          for (let i = oh * c.stride[0] - info.padInfo.top; i < oh * c.stride[0] - info.padInfo.top + c.window[0]; i++) {
            for (let j = ow * c.stride[1] - info.padInfo.left; j < ow * c.stride[1] - info.padInfo.left + c.window[1]; j++) {
              if (i >= 0 && i < h && j >= 0 && j < w) cells.push(((b * h + i) * w + j) * ch + k);
            }
          }
          const o = ((b * outHeight + oh) * outWidth + ow) * ch + k;
          if (kind === 'avg') {
            y[o] = cells.reduce((s, p) => s + (x[p] as number), 0) / cells.length;
            for (const p of cells) dx[p] += (dy[o] as number) / cells.length;
          } else {
            let best = cells[0] as number;
            for (const p of cells) if ((x[p] as number) > (x[best] as number)) best = p;
            y[o] = x[best] as number;
            dx[best] += dy[o] as number;
          }
        }
      }
    }
  }
  return { y, dx };
}

describe.each(['max', 'avg'] as const)('%s pool gradient on wasm', (kind) => {
  it.each(cases.map((c) => [name(c), c] as const))('matches the float64 reference: %s', async (_label, c) => {
    const r = rng(cases.indexOf(c) + (kind === 'max' ? 800 : 900));
    const x = data(r, [c.batch, 7, 6, c.channels]);
    const outShape = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], c.window, c.stride, 1, c.pad).outShape;
    const dy = data(r, outShape);
    const pool = (t: tf.Tensor) => (kind === 'max' ? tf.maxPool : tf.avgPool)(t as tf.Tensor4D, c.window, c.stride, c.pad);
    const [y, dx] = await runOn('wasm', () => {
      const { value, grads } = tf.valueAndGrads((t: tf.Tensor) => tf.sum(tf.mul(pool(t), tensor(dy))))([tensor(x)]);
      return [pool(tensor(x)), value, ...grads];
    }).then(([yy, , g]) => [yy, g] as Float64Array[]);
    const want = reference(kind, x.values, x.shape, dy.values, c);
    expectClose([y as Float64Array], [want.y], 1e-5, `${name(c)} forward`);
    expectClose([dx as Float64Array], [want.dx], 1e-5, `${name(c)} gradient`);
  });
});

describe('pool gradients', () => {
  it('match hand-computed values at a same-padded border', async () => {
    // A 3×3 average over a 1×2 image with 'same' padding: each output reads both pixels, so
    // y = (1 + 3) / 2 = 2 twice, and each pixel gets dy/2 from both outputs: 1/2 + 1/2 = 1.
    const [dx] = await runOn('wasm', () =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.avgPool(t as tf.Tensor4D, 3, 1, 'same')))(tf.tensor4d([1, 3], [1, 1, 2, 1])),
    );
    expect(Array.from(dx as Float64Array)).toEqual([1, 1]);
  });

  it('route a tie to the first maximum, as the forward pass', async () => {
    const [dx] = await runOn('wasm', () =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.maxPool(t as tf.Tensor4D, [1, 2], [1, 2], 'valid')))(tf.tensor4d([5, 5], [1, 1, 2, 1])),
    );
    expect(Array.from(dx as Float64Array)).toEqual([1, 0]);
  });

  it('leak neither tensors nor wasm memory', async () => {
    await tf.setBackend('wasm');
    const x = tensor(data(rng(1), [2, 6, 6, 3]));
    const run = () =>
      tf.dispose(tf.grads((t: tf.Tensor) => tf.add(tf.sum(tf.maxPool(t as tf.Tensor4D, 2, 2, 'same')), tf.sum(tf.avgPool(t as tf.Tensor4D, 3, 1, 'same'))))([x]));
    await expectNoWasmLeaks(run, 'pool gradients');
    x.dispose();
  });
});
