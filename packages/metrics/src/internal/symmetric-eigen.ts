// Eigen-decomposition of a real symmetric matrix by the cyclic Jacobi method, in float64.
// Used by the Fréchet distance for matrix square roots of covariance matrices (a few hundred
// dimensions at most). Jacobi is slower than tridiagonal QR but short, unconditionally
// convergent, and accurate to high relative precision on the small eigenvalues of positive
// semi-definite matrices, which is what a covariance square root needs.
//
// Reference: G. H. Golub & C. F. Van Loan, Matrix Computations, 4th ed., §8.5 (the cyclic
// Jacobi method; the rotation that zeroes a_pq is chosen with |θ| ≤ π/4).

/** Eigenvalues (ascending) and, when asked for, the eigenvectors as the columns of a row-major n×n matrix. */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Float64Array | null;
}

const MAX_SWEEPS = 100;

/**
 * The eigenvalues (and eigenvectors) of the symmetric n×n matrix `a` (row-major; only its
 * symmetric part is used, read as (a + aᵀ)/2). `a` is not modified.
 *
 * @throws Error when the sweeps do not converge (a NaN or infinite entry).
 */
export function symmetricEigen(a: ArrayLike<number>, n: number, withVectors = true): SymmetricEigen {
  const m = new Float64Array(n * n);
  let norm2 = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = 0.5 * (a[i * n + j] + a[j * n + i]);
      m[i * n + j] = v;
      norm2 += v * v;
    }
  }
  if (!Number.isFinite(norm2)) throw new Error(`symmetricEigen: matrix expected finite entries, got a sum of squares of ${norm2}`);
  const v = withVectors ? new Float64Array(n * n) : null;
  if (v !== null) for (let i = 0; i < n; i++) v[i * n + i] = 1;
  // Converged when the off-diagonal mass is negligible against the whole matrix.
  const tol2 = (Number.EPSILON * Number.EPSILON * norm2) / 4;
  let sweep = 0;
  for (; sweep < MAX_SWEEPS; sweep++) {
    let off2 = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off2 += 2 * m[p * n + q] * m[p * n + q];
    if (off2 <= tol2) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        const app = m[p * n + p];
        const aqq = m[q * n + q];
        // Skip an entry already below the rounding of both diagonal entries.
        if (sweep > 3 && Math.abs(apq) * 2 ** 60 < Math.abs(app) && Math.abs(apq) * 2 ** 60 < Math.abs(aqq)) {
          m[p * n + q] = 0;
          m[q * n + p] = 0;
          continue;
        }
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          if (k === p || k === q) continue;
          const akp = m[k * n + p];
          const akq = m[k * n + q];
          const kp = c * akp - s * akq;
          const kq = s * akp + c * akq;
          m[k * n + p] = kp;
          m[p * n + k] = kp;
          m[k * n + q] = kq;
          m[q * n + k] = kq;
        }
        m[p * n + p] = app - t * apq;
        m[q * n + q] = aqq + t * apq;
        m[p * n + q] = 0;
        m[q * n + p] = 0;
        if (v !== null) {
          for (let k = 0; k < n; k++) {
            const vkp = v[k * n + p];
            const vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
          }
        }
      }
    }
  }
  if (sweep === MAX_SWEEPS) throw new Error(`symmetricEigen: expected convergence within ${MAX_SWEEPS} sweeps, got none (n = ${n})`);
  // Sort ascending, carrying the vectors along.
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[i * n + i] - m[j * n + j]);
  const values = Float64Array.from(order, (i) => m[i * n + i]);
  let vectors: Float64Array | null = null;
  if (v !== null) {
    vectors = new Float64Array(n * n);
    for (let r = 0; r < n; r++) for (let k = 0; k < n; k++) vectors[r * n + k] = v[r * n + order[k]];
  }
  return { values, vectors };
}

/** C = A·B for row-major n×n matrices. */
export function matmulSquare(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      const bRow = k * n;
      const cRow = i * n;
      for (let j = 0; j < n; j++) c[cRow + j] += aik * b[bRow + j];
    }
  }
  return c;
}

/**
 * The principal square root of a symmetric positive semi-definite matrix, V·diag(√λ)·Vᵀ;
 * eigenvalues below zero (rounding of a singular matrix) are taken as zero.
 */
export function psdSqrt(a: ArrayLike<number>, n: number): Float64Array {
  const { values, vectors } = symmetricEigen(a, n, true);
  const vec = vectors!;
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const r = Math.sqrt(Math.max(0, values[k]));
    if (r === 0) continue;
    for (let i = 0; i < n; i++) {
      const vik = vec[i * n + k] * r;
      if (vik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += vik * vec[j * n + k];
    }
  }
  return out;
}
