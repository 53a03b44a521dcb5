"""Reference values for the log-loss and calibration-error tests: float64 numpy re-derivations
of sklearn.metrics.log_loss and torchmetrics' _binning_bucketize / _ce_compute (bin =
bucketize(conf, boundaries, right=True) - 1, clamped to [0, M - 1]). The boundaries are
exactly j / M (the documented convention); torch builds them with linspace, whose rounding
can differ in the last bit, which only matters for a confidence on a boundary.
Run: python3 packages/metrics/scripts/reference_probabilistic.py
"""
import numpy as np


def log_loss(y, p, w=None, eps=1e-15):
    p = np.clip(np.asarray(p, float), eps, 1 - eps)
    y = np.asarray(y)
    if p.ndim == 1:
        l = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    else:
        l = -np.log(p[np.arange(len(y)), y])
    return np.average(l, weights=w)


def ce(conf, acc, w, m, norm):
    conf = np.asarray(conf, float); acc = np.asarray(acc, float); w = np.asarray(w, float)
    b = np.arange(m + 1) / m
    idx = np.clip(np.searchsorted(b, conf, side='right') - 1, 0, m - 1)
    tot = w.sum(); s = 0.0; mx = 0.0
    for j in range(m):
        sel = idx == j
        if not sel.any():
            continue
        wj = w[sel].sum()
        gap = abs((w[sel] * acc[sel]).sum() / wj - (w[sel] * conf[sel]).sum() / wj)
        s += wj / tot * (gap if norm == 'l1' else gap * gap)
        mx = max(mx, gap)
    return s if norm == 'l1' else np.sqrt(s) if norm == 'l2' else mx


print('log_loss docstring', log_loss([1, 0, 0, 1], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]))
print('log_loss binary', log_loss([1, 0], [0.8, 0.3]))
yb = [1, 0, 1, 1, 0]; pb = [0.9, 0.2, 0.6, 0.35, 0.05]; wb = [1, 2, 1, 0.5, 3]
print('log_loss binary weighted', log_loss(yb, pb, wb))
z = np.array([[2.0, -1.0, 0.5], [0.1, 0.2, 0.3], [-3.0, 4.0, 0.0]])
sm = np.exp(z - z.max(1, keepdims=True)); sm /= sm.sum(1, keepdims=True)
print('log_loss from logits', log_loss([0, 2, 1], sm))
print('log_loss clip (p=0 for true class)', log_loss([1], [[1.0, 0.0]]))

P = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]); Y = [0, 1, 1]
conf = P.max(1); acc = (P.argmax(1) == Y).astype(float)
for norm in ('l1', 'l2', 'max'):
    print('ce docstring', norm, ce(conf, acc, np.ones(3), 5, norm))
P2 = np.array([[0.25, 0.5, 0.25], [0.7, 0.2, 0.1], [0.05, 0.15, 0.8], [0.4, 0.35, 0.25], [0.1, 0.3, 0.6], [0.33, 0.33, 0.34]])
Y2 = [1, 0, 2, 1, 1, 2]; W2 = [1, 2, 1, 1, 0.5, 1]
conf2 = P2.max(1); acc2 = (P2.argmax(1) == Y2).astype(float)
for norm in ('l1', 'l2', 'max'):
    for m in (3, 10):
        print('ce multiclass', norm, m, ce(conf2, acc2, W2, m, norm))
pb2 = [0.1, 0.35, 0.5, 0.65, 0.9, 1.0, 0.0, 0.75]; yb2 = [0, 1, 0, 1, 1, 1, 0, 0]
for m in (4, 15):
    print('ce binary', m, ce(pb2, yb2, np.ones(8), m, 'l1'))
