// The reliability diagram (SVG) of the report, and the calibration error it shows.

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
