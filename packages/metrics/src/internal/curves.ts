// Exact threshold curves on kept scores, following scikit-learn's _ranking.py
// (confusion_matrix_at_thresholds / _binary_clf_curve, roc_curve, precision_recall_curve,
// average_precision_score, auc).

/** Cumulative weighted counts at each distinct score, highest score first. */
export interface ClfCurve {
  /** Weighted false positives with score >= thresholds[i]. */
  fps: number[];
  /** Weighted true positives with score >= thresholds[i]. */
  tps: number[];
  /** The distinct scores, decreasing. */
  thresholds: number[];
}

/**
 * Sorts scores decreasingly and accumulates weighted positives and negatives, one point per
 * distinct score: tied scores form one threshold, so a tie between a positive and a negative
 * becomes a diagonal step (half credit in the AUC), as scikit-learn.
 */
export function binaryClfCurve(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights: ArrayLike<number>,
): ClfCurve {
  const n = scores.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[b] - scores[a]);
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r];
    if (labels[i] === 1) tp += weights[i];
    else fp += weights[i];
    if (r === n - 1 || scores[order[r + 1]] !== scores[i]) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(scores[i]);
    }
  }
  return { fps, tps, thresholds };
}

/** A ROC curve: fpr, tpr and their thresholds, starting at (0, 0) with threshold +Infinity. */
export interface RocPoints {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
}

/**
 * scikit-learn's `roc_curve`: optionally drops points collinear with their neighbours
 * (a zero second difference of both fps and tps), prepends (0, 0) at +Infinity, and
 * normalises (NaN rates when a class is absent).
 */
export function rocFromCurve(curve: ClfCurve, dropIntermediate: boolean): RocPoints {
  let { fps, tps, thresholds } = curve;
  if (dropIntermediate && fps.length > 2) {
    const keep: number[] = [0];
    for (let i = 1; i < fps.length - 1; i++) {
      const d2f = fps[i + 1] - 2 * fps[i] + fps[i - 1];
      const d2t = tps[i + 1] - 2 * tps[i] + tps[i - 1];
      if (d2f !== 0 || d2t !== 0) keep.push(i);
    }
    keep.push(fps.length - 1);
    fps = keep.map((i) => curve.fps[i]);
    tps = keep.map((i) => curve.tps[i]);
    thresholds = keep.map((i) => curve.thresholds[i]);
  }
  fps = [0, ...fps];
  tps = [0, ...tps];
  thresholds = [Infinity, ...thresholds];
  const negatives = fps[fps.length - 1];
  const positives = tps[tps.length - 1];
  return {
    fpr: fps.map((v) => (negatives > 0 ? v / negatives : NaN)),
    tpr: tps.map((v) => (positives > 0 ? v / positives : NaN)),
    thresholds,
  };
}

/** Area under a piecewise-linear curve (trapezoidal rule), x increasing. */
export function trapezoid(x: readonly number[], y: readonly number[]): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return area;
}

/** A precision–recall curve: recall decreasing to a final (recall 0, precision 1) point. */
export interface PrPoints {
  precision: number[];
  recall: number[];
  /** Increasing; one fewer than the points (the final point has none). */
  thresholds: number[];
}

/** scikit-learn's `precision_recall_curve` (no intermediate points dropped). */
export function prFromCurve(curve: ClfCurve): PrPoints {
  const { fps, tps, thresholds } = curve;
  const n = tps.length;
  const positives = n === 0 ? 0 : tps[n - 1];
  const precision: number[] = [];
  const recall: number[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const ps = tps[i] + fps[i];
    precision.push(ps !== 0 ? tps[i] / ps : 0);
    recall.push(positives === 0 ? 1 : tps[i] / positives);
  }
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds: thresholds.slice().reverse() };
}

/** Average precision: `Σ_n (R_n − R_{n−1}) P_n`, the step integral (never interpolated). */
export function averagePrecisionOf(points: PrPoints): number {
  let sum = 0;
  for (let i = 0; i < points.recall.length - 1; i++) {
    sum -= (points.recall[i + 1] - points.recall[i]) * points.precision[i];
  }
  return Math.max(0, sum);
}
