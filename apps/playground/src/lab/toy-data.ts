import type { Rng } from '@tensorloom/core';

/** The toy problems of the 2-D lab: two classes of points in [-1, 1]². */
export type ToyName = 'xor' | 'circles' | 'moons' | 'spirals' | 'blobs';

/** Points `xy` (`[x0, y0, x1, y1, …]`) and their class (0 or 1). */
export interface ToyData {
  xy: Float32Array;
  labels: Int32Array;
  count: number;
}

/**
 * `count` points of the toy problem `name`, half of each class, with Gaussian noise of
 * standard deviation `noise` (in plane units) added to every coordinate.
 *
 * - xor: uniform in the square; class 1 where x·y < 0 (the four quadrants);
 * - circles: class 0 inside radius 0.4, class 1 in the ring 0.6–0.9;
 * - moons: two interleaved half circles of radius 0.5;
 * - spirals: two arms, 1.75 turns each, interleaved;
 * - blobs: two Gaussians (σ 0.2) centred on (−0.4, −0.4) and (0.4, 0.4).
 */
export function toyData(name: ToyName, count: number, noise: number, random: Rng): ToyData {
  const xy = new Float32Array(count * 2);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const c = i % 2;
    let x: number;
    let y: number;
    switch (name) {
      case 'xor': {
        // Away from the axes by a small margin so the noise-free problem is separable.
        const sx = random.uniform() < 0.5 ? -1 : 1;
        const sy = c === 1 ? -sx : sx;
        x = sx * random.range(0.05, 1);
        y = sy * random.range(0.05, 1);
        break;
      }
      case 'circles': {
        const r = c === 0 ? 0.4 * Math.sqrt(random.uniform()) : random.range(0.6, 0.9);
        const a = random.range(0, 2 * Math.PI);
        x = r * Math.cos(a);
        y = r * Math.sin(a);
        break;
      }
      case 'moons': {
        const a = random.range(0, Math.PI);
        x = c === 0 ? 0.5 * Math.cos(a) - 0.25 : 0.5 - 0.5 * Math.cos(a) - 0.25;
        y = c === 0 ? 0.5 * Math.sin(a) - 0.1 : 0.1 - 0.5 * Math.sin(a);
        break;
      }
      case 'spirals': {
        const t = random.uniform();
        const a = t * 1.75 * 2 * Math.PI + c * Math.PI;
        x = 0.9 * t * Math.cos(a);
        y = 0.9 * t * Math.sin(a);
        break;
      }
      case 'blobs': {
        const m = c === 0 ? -0.4 : 0.4;
        x = random.normal(m, 0.2);
        y = random.normal(m, 0.2);
        break;
      }
    }
    xy[2 * i] = x + (noise > 0 ? random.normal(0, noise) : 0);
    xy[2 * i + 1] = y + (noise > 0 ? random.normal(0, noise) : 0);
    labels[i] = c;
  }
  return { xy, labels, count };
}
