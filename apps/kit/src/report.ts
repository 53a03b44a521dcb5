// The run's report: one self-contained HTML page (SVG inline, PNG as data URIs) a person opens.

/** One section of the report page. */
export interface ReportSection {
  title: string;
  /** Inline HTML or SVG. */
  html: string;
  /** A sentence that says how to read it. */
  note?: string;
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** An `<img>` of PNG bytes, inlined. */
export function pngImg(png: Uint8Array, alt: string, scale = 3): string {
  const b64 = Buffer.from(png).toString('base64');
  return `<img alt="${escapeHtml(alt)}" src="data:image/png;base64,${b64}" style="image-rendering:pixelated;width:calc(${scale} * var(--w, auto))" onload="this.style.setProperty('--w', this.naturalWidth + 'px')">`;
}

/** An HTML table; the first row is the header. */
export function htmlTable(rows: readonly (readonly (string | number)[])[]): string {
  const [head, ...body] = rows;
  const cell = (v: string | number, tag: string): string => `<${tag}>${typeof v === 'number' ? v.toFixed(4) : escapeHtml(v)}</${tag}>`;
  return `<table><thead><tr>${(head ?? []).map((v) => cell(v, 'th')).join('')}</tr></thead><tbody>${body
    .map((r) => `<tr>${r.map((v) => cell(v, 'td')).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** The whole page. */
export function reportHtml(title: string, summary: string, sections: readonly ReportSection[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#222}
section{margin:2rem 0}h2{font-size:1.2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:right}
th{background:#f4f4f4}.note{color:#555;font-size:.9rem}.tiles{display:flex;flex-wrap:wrap;gap:.8rem}
figure{margin:0;text-align:center;font-size:.8rem}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>${summary}</p>
${sections
  .map((s) => `<section><h2>${escapeHtml(s.title)}</h2>${s.note ? `<p class="note">${escapeHtml(s.note)}</p>` : ''}${s.html}</section>`)
  .join('\n')}
</body></html>
`;
}
