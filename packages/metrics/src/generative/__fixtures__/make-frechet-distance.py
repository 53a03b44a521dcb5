"""Reference values for frechet-distance.test.ts, in float64 numpy.

d^2 = |mu1 - mu2|^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2)), with np.cov (unbiased, n - 1) and the
trace of the square root from numpy's eigh in the symmetric form Tr (S1^(1/2) S2 S1^(1/2))^(1/2).
It is cross-checked against the eigenvalues of the product S1 S2 (np.linalg.eigvals) and,
when scipy is installed, against scipy.linalg.sqrtm as pytorch-fid computes it.
Inputs are rounded to 4 decimals so the JSON is small and exactly what the test reads.

Run (with numpy installed): python3 packages/metrics/src/generative/__fixtures__/make-frechet-distance.py
"""
import json
import pathlib

import numpy as np


def psd_sqrt(s):
    w, v = np.linalg.eigh(s)
    return (v * np.sqrt(np.clip(w, 0, None))) @ v.T


def frechet(x, y):
    mu1, mu2 = x.mean(0), y.mean(0)
    s1, s2 = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
    r = psd_sqrt(s1)
    inner = r @ s2 @ r
    inner = (inner + inner.T) / 2
    tr_root = np.sqrt(np.clip(np.linalg.eigvalsh(inner), 0, None)).sum()
    d = float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * tr_root)
    # independent check: eigenvalues of the (non-symmetric) product
    ev = np.linalg.eigvals(s1 @ s2)
    d2 = float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.sqrt(np.clip(ev.real, 0, None)).sum())
    assert abs(d - d2) <= 1e-8 * max(1.0, abs(d)), (d, d2)
    try:
        from scipy import linalg

        covmean = linalg.sqrtm(s1 @ s2)
        d3 = float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean.real))
        print('scipy sqrtm:', d3)
    except ImportError:
        pass
    return d


def cloud(rng, n, d, shift, scale):
    mix = rng.normal(size=(d, d)) * scale / np.sqrt(d)
    return np.round(rng.normal(size=(n, d)) @ mix + shift, 4)


rng = np.random.default_rng(20261207)
cases = []
for name, d, n1, n2 in [('correlated', 16, 150, 120), ('fewer vectors than dimensions', 12, 7, 9), ('wider', 32, 100, 80)]:
    x = cloud(rng, n1, d, rng.normal(size=d) * 0.5, 1.0)
    y = cloud(rng, n2, d, rng.normal(size=d) * 0.5, 1.5)
    value = frechet(x, y)
    print(f'{name}: D={d} n={n1}/{n2} d={value!r}')
    case = {'name': name, 'x': x.tolist(), 'y': y.tolist(), 'distance': value}
    if name == 'correlated':
        case['meanX'] = x.mean(0).tolist()
        case['covarianceX'] = np.cov(x, rowvar=False).ravel().tolist()
    cases.append(case)

out = pathlib.Path(__file__).with_name('frechet-distance.json')
out.write_text(json.dumps({'cases': cases}, separators=(',', ':')) + '\n')
print('wrote', out, out.stat().st_size, 'bytes')
