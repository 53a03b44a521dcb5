// The report's pictures: image grids (PNG), heat-map overlays, and the reliability diagram (SVG).
import { tf } from '@tensorloom/core';
import { encodePng } from '@tensorloom/data/node';

/** Images of one size, `[h, w, c]` floats in [0, 1], laid out in a grid with a 2-pixel gutter. */
export function imageGridPng(images: readonly Float32Array[], h: number, w: number, c: number, columns = 8): Uint8Array {
  const cols = Math.max(1, Math.min(columns, images.length));
  const rows = Math.max(1, Math.ceil(images.length / cols));
  const gutter = 2;
  const width = cols * (w + gutter) + gutter;
  const height = rows * (h + gutter) + gutter;
  const rgb = new Float32Array(width * height * 3).fill(1);
  images.forEach((image, k) => {
    const top = gutter + Math.floor(k / cols) * (h + gutter);
    const left = gutter + (k % cols) * (w + gutter);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < 3; ch++) {
          rgb[((top + y) * width + left + x) * 3 + ch] = image[(y * w + x) * c + (c === 1 ? 0 : ch)]!;
        }
      }
    }
  });
  const tensor = tf.tensor3d(rgb, [height, width, 3]);
  try {
    return encodePng(tensor);
  } finally {
    tensor.dispose();
  }
}

/** A perceptual blue → yellow → red colour for t in [0, 1] (for heat maps over grey digits). */
function heatColour(t: number): [number, number, number] {
  const v = Math.min(1, Math.max(0, t));
  if (v < 0.5) return [v * 2, v * 2, 1 - v * 2];
  return [1, 2 - v * 2, 0];
}

/**
 * Blends a heat map (`[h, w]`, any range: normalised to its own max) over a grey or colour
 * image (`[h, w, c]` in [0, 1]); the result is an RGB image `[h, w, 3]` in [0, 1].
 */
export function overlayHeat(image: Float32Array, heat: Float32Array, h: number, w: number, c: number, alpha = 0.55): Float32Array {
  let max = 0;
  for (const v of heat) max = Math.max(max, v);
  const out = new Float32Array(h * w * 3);
  for (let i = 0; i < h * w; i++) {
    const colour = heatColour(max > 0 ? heat[i]! / max : 0);
    for (let ch = 0; ch < 3; ch++) {
      const base = image[i * c + (c === 1 ? 0 : ch)]!;
      out[i * 3 + ch] = (1 - alpha) * base + alpha * colour[ch]!;
    }
  }
  return out;
}

/** One reliability bin: mean confidence, accuracy and count of the predictions that fell in it. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  confidence: number;
  accuracy: number;
  count: number;
}

/** Bins the top-1 confidence of each prediction into `bins` equal-width bins over [0, 1]. */
export function reliabilityBins(confidences: ArrayLike<number>, correct: ArrayLike<boolean>, bins = 10): ReliabilityBin[] {
  const sums = Array.from({ length: bins }, () => ({ conf: 0, right: 0, count: 0 }));
  for (let i = 0; i < confidences.length; i++) {
    const p = confidences[i]!;
    const b = Math.min(bins - 1, Math.floor(p * bins));
    sums[b]!.conf += p;
    sums[b]!.right += correct[i] ? 1 : 0;
    sums[b]!.count++;
  }
  return sums.map((s, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    confidence: s.count ? s.conf / s.count : 0,
    accuracy: s.count ? s.right / s.count : 0,
    count: s.count,
  }));
}

/** Expected calibration error: the count-weighted mean gap between accuracy and confidence. */
export function expectedCalibrationError(bins: readonly ReliabilityBin[]): number {
  const total = bins.reduce((n, b) => n + b.count, 0);
  return total ? bins.reduce((e, b) => e + (b.count / total) * Math.abs(b.accuracy - b.confidence), 0) : 0;
}

/** The reliability diagram: accuracy per confidence bin as bars, the diagonal of perfect calibration. */
export function reliabilitySvg(bins: readonly ReliabilityBin[], title = 'Reliability'): string {
  const size = 300;
  const m = { left: 44, top: 28, right: 12, bottom: 40 };
  const plot = size - m.left - m.right;
  const x = (v: number): number => m.left + v * plot;
  const y = (v: number): number => m.top + (1 - v) * plot;
  const bars = bins
    .filter((b) => b.count > 0)
    .map((b) => {
      const top = y(b.accuracy);
      return `<rect x="${x(b.lower) + 1}" y="${top}" width="${plot / bins.length - 2}" height="${y(0) - top}" fill="#4878d0"><title>${b.lower.toFixed(1)}–${b.upper.toFixed(1)}: accuracy ${b.accuracy.toFixed(3)}, confidence ${b.confidence.toFixed(3)}, ${b.count} predictions</title></rect>`;
    })
    .join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => `<text x="${x(t)}" y="${y(0) + 14}" text-anchor="middle">${t}</text><text x="${m.left - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text>`)
    .join('');
  const ece = expectedCalibrationError(bins);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size + 10}" font-family="sans-serif" font-size="11">
<text x="${size / 2}" y="16" text-anchor="middle" font-size="13">${title} (ECE ${ece.toFixed(4)})</text>
<rect x="${m.left}" y="${m.top}" width="${plot}" height="${plot}" fill="none" stroke="#888"/>
${bars}<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#d65f5f" stroke-dasharray="4 3"/>${ticks}
<text x="${size / 2}" y="${size}" text-anchor="middle">confidence (top-1 probability)</text>
<text transform="translate(12 ${m.top + plot / 2}) rotate(-90)" text-anchor="middle">accuracy</text>
</svg>`;
}
