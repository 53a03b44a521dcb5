/** Escapes text for XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A number for an SVG coordinate: at most 2 decimals, no trailing zeros. */
export function coord(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** A value for display: integers as they are, others with `digits` decimals; NaN as "n/a". */
export function formatValue(v: number, digits: number): string {
  if (Number.isNaN(v)) return 'n/a';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
}

/** Colour-blind-friendly categorical palette (Okabe & Ito, 2008). */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

/**
 * A sequential colour for t in [0, 1]: from near-white (#f7fbff) to dark blue (#08306b),
 * linear in RGB. Returns the colour and whether dark text is readable on it.
 */
export function blues(t: number): { fill: string; darkText: boolean } {
  const u = Number.isFinite(t) ? Math.min(Math.max(t, 0), 1) : 0;
  const lo = [0xf7, 0xfb, 0xff];
  const hi = [0x08, 0x30, 0x6b];
  const rgb = lo.map((a, i) => Math.round(a + (hi[i] - a) * u));
  const hex = `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  // relative luminance (sRGB approximated as linear) decides the text colour
  const lum = (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255;
  return { fill: hex, darkText: lum > 0.5 };
}

/** The font every rendering uses. */
export const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
