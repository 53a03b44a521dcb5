import type { Rng } from '@tensorloom/core';

/** Where one digit went on a canvas. */
export interface Placement {
  /** Index of the digit in the pool. */
  digit: number;
  /** Its class (0–9); the mask holds `1 + label` where it wins. */
  label: number;
  /** Column of the digit's left edge. */
  x: number;
  /** Row of the digit's top edge. */
  y: number;
}

/** A pool of square grey digits to draw from. */
export interface DigitPool {
  /** `count * side * side` values in [0, 1]. */
  pixels: Float32Array;
  /** The class of each digit. */
  labels: Int32Array;
  /** Side of a digit, 28 for MNIST. */
  side: number;
}

/**
 * Draws `placements` in order onto a `size × size` canvas (zeros) and its mask (zeros,
 * background). At each pixel of a digit with value `p`:
 * - `p > threshold` (ink): the canvas takes `p` and the mask `1 + label` — a later digit
 *   wins over an earlier one wherever its ink is;
 * - otherwise (faint edge): the canvas takes `max(canvas, p)` and the mask is unchanged.
 *
 * So after any number of digits, `mask != 0` exactly where `canvas > threshold`.
 */
export function composeCanvas(
  pool: DigitPool,
  placements: readonly Placement[],
  size: number,
  threshold: number,
  canvas: Float32Array,
  mask: Uint8Array,
): void {
  const side = pool.side;
  for (const { digit, label, x, y } of placements) {
    const base = digit * side * side;
    for (let u = 0; u < side; u++) {
      for (let v = 0; v < side; v++) {
        const p = pool.pixels[base + u * side + v] as number;
        const at = (y + u) * size + (x + v);
        if (p > threshold) {
          canvas[at] = p;
          mask[at] = 1 + label;
        } else if (p > (canvas[at] as number)) {
          canvas[at] = p;
        }
      }
    }
  }
}

/**
 * Chooses the digits of one canvas: `minDigits + r.int(maxDigits - minDigits + 1)` digits,
 * each a uniform pick from the pool at a uniform position `x, y` in `[0, size - side]`
 * (drawn in the order digit, x, y).
 */
export function drawPlacements(r: Rng, pool: DigitPool, size: number, minDigits: number, maxDigits: number): Placement[] {
  const k = minDigits + r.int(maxDigits - minDigits + 1);
  const span = size - pool.side + 1;
  const out: Placement[] = [];
  for (let j = 0; j < k; j++) {
    const digit = r.int(pool.labels.length);
    const x = r.int(span);
    const y = r.int(span);
    out.push({ digit, label: pool.labels[digit] as number, x, y });
  }
  return out;
}

/** How canvases are drawn. */
export interface CanvasPlan {
  /** Side of the square canvas. */
  size: number;
  /** Fewest digits on a canvas. */
  minDigits: number;
  /** Most digits on a canvas. */
  maxDigits: number;
  /** Ink threshold of {@link composeCanvas}. */
  inkThreshold: number;
}

/** Canvases, masks and what was drawn on each. */
export interface Canvases {
  /** `count * size * size` values in [0, 1]. */
  images: Float32Array;
  /** `count * size * size` classes, 0 = background, `1 + d` = digit d. */
  masks: Uint8Array;
  /** The digits of each canvas, in drawing order. */
  placements: Placement[][];
}

/**
 * Builds `count` canvases; canvas `i` draws from its own stream `stream.fold(i)`, so the
 * first canvases do not depend on `count`.
 */
export function buildCanvases(pool: DigitPool, stream: Rng, count: number, plan: CanvasPlan): Canvases {
  const plane = plan.size * plan.size;
  const images = new Float32Array(count * plane);
  const masks = new Uint8Array(count * plane);
  const placements: Placement[][] = [];
  for (let i = 0; i < count; i++) {
    const drawn = drawPlacements(stream.fold(i), pool, plan.size, plan.minDigits, plan.maxDigits);
    composeCanvas(
      pool,
      drawn,
      plan.size,
      plan.inkThreshold,
      images.subarray(i * plane, (i + 1) * plane),
      masks.subarray(i * plane, (i + 1) * plane),
    );
    placements.push(drawn);
  }
  return { images, masks, placements };
}
