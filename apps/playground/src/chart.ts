/** A line chart of one or more series on a canvas: plain, no library, redrawn whole. */
export interface Series {
  values: readonly number[];
  color: string;
}

export function drawChart(canvas: HTMLCanvasElement, series: readonly Series[], options: { min?: number; max?: number; xCount?: number } = {}): void {
  const ctx = canvas.getContext('2d')!;
  const { width, height } = canvas;
  const pad = 32;
  ctx.clearRect(0, 0, width, height);
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  if (all.length === 0) return;
  const lo = options.min ?? Math.min(...all);
  const hi = options.max ?? Math.max(...all);
  const span = hi - lo || 1;
  const n = Math.max(options.xCount ?? 0, ...series.map((s) => s.values.length), 2);
  ctx.strokeStyle = '#99a';
  ctx.fillStyle = '#445';
  ctx.font = '11px system-ui, sans-serif';
  ctx.strokeRect(pad, 4, width - pad - 4, height - pad);
  ctx.fillText(hi.toPrecision(3), 2, 14);
  ctx.fillText(lo.toPrecision(3), 2, height - pad);
  ctx.fillText(String(n), width - 30, height - 10);
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    s.values.forEach((v, i) => {
      const x = pad + (i / (n - 1)) * (width - pad - 4);
      const y = 4 + (1 - (v - lo) / span) * (height - pad - 4);
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
  }
}
