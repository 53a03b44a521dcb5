import { describe, expect, it } from 'vitest';
import { matmulSquare, psdSqrt, symmetricEigen } from './symmetric-eigen.js';

/** A seeded symmetric n×n matrix with entries in [−1, 1) (a small LCG: reproducible, no dependency). */
function symmetric(n: number, seed: number): Float64Array {
  let s = seed;
  const next = (): number => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 30) - 1;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = next();
  return a;
}

const maxAbs = (x: ArrayLike<number>): number => Array.from(x).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('symmetricEigen (cyclic Jacobi)', () => {
  it('decomposes a known 2×2 and a diagonal matrix with a repeated eigenvalue', () => {
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    expect(Array.from(values)).toEqual([expect.closeTo(1, 15), expect.closeTo(3, 15)]);
    expect(Math.abs(vectors![0]! * vectors![1]! + vectors![2]! * vectors![3]!)).toBeLessThan(1e-15); // orthogonal columns
    expect(Array.from(symmetricEigen([3, 0, 0, 0, 1, 0, 0, 0, 1], 3).values)).toEqual([1, 1, 3]);
  });

  it('gives A·V = V·Λ and VᵀV = I to rounding on a 60×60 matrix, eigenvalues ascending', () => {
    const n = 60;
    const a = symmetric(n, 7);
    const { values, vectors } = symmetricEigen(a, n);
    const v = vectors!;
    const av = matmulSquare(a, v, n);
    const residual = av.map((x, idx) => x - v[idx]! * values[idx % n]!);
    expect(maxAbs(residual)).toBeLessThan(1e-12 * maxAbs(values));
    const vt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vt[i * n + j] = v[j * n + i]!;
    const gram = matmulSquare(vt, v, n).map((x, idx) => x - (idx % (n + 1) === 0 ? 1 : 0));
    expect(maxAbs(gram)).toBeLessThan(1e-13);
    for (let k = 1; k < n; k++) expect(values[k]!).toBeGreaterThanOrEqual(values[k - 1]!);
    const trace = Array.from({ length: n }, (_, i) => a[i * n + i]!).reduce((x, y) => x + y);
    expect(values.reduce((x, y) => x + y)).toBeCloseTo(trace, 11);
  });

  it('square root of a singular positive semi-definite matrix squares back to it', () => {
    const n = 20;
    const b = symmetric(n, 3).slice(0, n * 5); // 5×n rows: BᵀB has rank 5
    const s = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let r = 0; r < 5; r++) s[i * n + j] += b[r * n + i]! * b[r * n + j]!;
    const root = psdSqrt(s, n);
    const back = matmulSquare(root, root, n).map((x, idx) => x - s[idx]!);
    expect(maxAbs(back)).toBeLessThan(1e-12 * maxAbs(s));
  });

  it('rejects a non-finite matrix', () => {
    expect(() => symmetricEigen([1, NaN, NaN, 1], 2)).toThrowError('symmetricEigen: matrix expected finite entries, got a sum of squares of NaN');
  });
});
