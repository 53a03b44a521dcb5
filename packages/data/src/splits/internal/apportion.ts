import type { Rng } from '@tensorloom/core';

/**
 * Controlled rounding of the proportional allocation `q[c][s] = rows[c] * cols[s] / n`
 * (with `n = Σ rows = Σ cols`): an integer matrix with exactly these row and column sums
 * whose every entry is `floor(q)` or `ceil(q)`, so within one of its exact share.
 *
 * Such a rounding always exists (the fractional parts form a feasible point of a bipartite
 * transportation polytope, whose vertices are integral — Cox & Ernst, "Controlled rounding",
 * INFOR 1982). We find it as a maximum flow: start from the floors, then choose which cells
 * round up. Cells with larger fractional parts are tried first (ties in a seeded random
 * order), then augmenting paths fix what the greedy pass could not.
 */
export function apportion(rows: readonly number[], cols: readonly number[], rng: Rng): number[][] {
  const n = rows.reduce((a, b) => a + b, 0);
  const C = rows.length;
  const S = cols.length;
  const out: number[][] = rows.map(() => new Array<number>(S).fill(0));
  if (n === 0) return out;
  const frac: number[][] = rows.map(() => new Array<number>(S).fill(0));
  const rowNeed = new Array<number>(C).fill(0);
  const colNeed = new Array<number>(S).fill(0);
  for (let c = 0; c < C; c++) {
    let used = 0;
    for (let s = 0; s < S; s++) {
      const num = rows[c]! * cols[s]!; // exact integer below 2**53 for any realistic data set
      const base = Math.floor(num / n);
      out[c]![s] = base;
      frac[c]![s] = num - base * n;
      used += base;
    }
    rowNeed[c] = rows[c]! - used;
  }
  for (let s = 0; s < S; s++) {
    let used = 0;
    for (let c = 0; c < C; c++) used += out[c]![s]!;
    colNeed[s] = cols[s]! - used;
  }
  // up[c][s]: this cell rounds up
  const up: boolean[][] = rows.map(() => new Array<boolean>(S).fill(false));
  const cells: { c: number; s: number; f: number; key: number }[] = [];
  for (let c = 0; c < C; c++) for (let s = 0; s < S; s++) if (frac[c]![s]! > 0) cells.push({ c, s, f: frac[c]![s]!, key: rng.uint32() });
  cells.sort((a, b) => b.f - a.f || a.key - b.key);
  const rowLeft = rowNeed.slice();
  const colLeft = colNeed.slice();
  for (const { c, s } of cells) {
    if (rowLeft[c]! > 0 && colLeft[s]! > 0) {
      up[c]![s] = true;
      rowLeft[c]!--;
      colLeft[s]!--;
    }
  }
  // Augment: from a row with need left, alternate row -(unused cell)-> col -(used cell)-> row
  // until a column with need left; flip the cells along the path.
  for (let c0 = 0; c0 < C; c0++) {
    while (rowLeft[c0]! > 0) {
      const prevOfCol = new Array<number>(S).fill(-1);
      const prevOfRow = new Array<number>(C).fill(-1);
      prevOfRow[c0] = c0;
      const queue = [c0];
      let found = -1;
      for (let qi = 0; qi < queue.length && found < 0; qi++) {
        const c = queue[qi]!;
        for (let s = 0; s < S; s++) {
          if (prevOfCol[s] !== -1 || up[c]![s] || frac[c]![s] === 0) continue;
          prevOfCol[s] = c;
          if (colLeft[s]! > 0) {
            found = s;
            break;
          }
          for (let c2 = 0; c2 < C; c2++) {
            if (prevOfRow[c2] === -1 && up[c2]![s]) {
              prevOfRow[c2] = s;
              queue.push(c2);
            }
          }
        }
      }
      if (found < 0) throw new Error('apportion: no controlled rounding found (unreachable for consistent totals)');
      colLeft[found]!--;
      rowLeft[c0]!--;
      let s = found;
      for (;;) {
        const c = prevOfCol[s]!;
        up[c]![s] = true;
        if (c === c0) break;
        const sPrev = prevOfRow[c]!;
        up[c]![sPrev] = false;
        s = sPrev;
      }
    }
  }
  for (let c = 0; c < C; c++) for (let s = 0; s < S; s++) if (up[c]![s]) out[c]![s]!++;
  return out;
}
