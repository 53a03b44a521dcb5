"""Reference values for the ROC / precision-recall tests, re-derived in float64 with numpy
following scikit-learn's _ranking.py (_binary_clf_curve, roc_curve with drop_intermediate,
precision_recall_curve, average_precision_score, auc, _average_binary_score), plus a
brute-force pairwise AUC (Mann-Whitney, ties = 1/2) as an independent cross-check.
Run: python3 packages/metrics/scripts/reference_curves.py
"""
import numpy as np


def clf_curve(y, s, w=None):
    y = np.asarray(y, float); s = np.asarray(s, float)
    w = np.ones_like(s) if w is None else np.asarray(w, float)
    keep = w != 0
    y, s, w = y[keep], s[keep], w[keep]
    order = np.argsort(s, kind='mergesort')[::-1]
    s, y, w = s[order], y[order], w[order]
    idx = np.r_[np.where(np.diff(s))[0], y.size - 1]
    tps = np.cumsum(y * w)[idx]
    fps = np.cumsum((1 - y) * w)[idx]
    return fps, tps, s[idx]


def roc(y, s, w=None, drop=True):
    fps, tps, thr = clf_curve(y, s, w)
    if drop and len(fps) > 2:
        opt = np.where(np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True])[0]
        fps, tps, thr = fps[opt], tps[opt], thr[opt]
    tps = np.r_[0, tps]; fps = np.r_[0, fps]; thr = np.r_[np.inf, thr]
    fpr = fps / fps[-1] if fps[-1] > 0 else np.full(fps.shape, np.nan)
    tpr = tps / tps[-1] if tps[-1] > 0 else np.full(tps.shape, np.nan)
    return fpr, tpr, thr


def auc(x, y):
    return float(np.trapezoid(y, x))


def pr(y, s, w=None):
    fps, tps, thr = clf_curve(y, s, w)
    ps = tps + fps
    prec = np.where(ps != 0, tps / np.where(ps == 0, 1, ps), 0.0)
    rec = np.ones_like(tps) if tps[-1] == 0 else tps / tps[-1]
    return np.r_[prec[::-1], 1], np.r_[rec[::-1], 0], thr[::-1]


def ap(y, s, w=None):
    p, r, _ = pr(y, s, w)
    return max(0.0, -np.sum(np.diff(r) * p[:-1]))


def pairwise_auc(y, s, w=None):
    w = np.ones(len(y)) if w is None else np.asarray(w, float)
    num = den = 0.0
    for yi, si, wi in zip(y, s, w):
        for yj, sj, wj in zip(y, s, w):
            if yi == 1 and yj == 0:
                den += wi * wj
                num += wi * wj * (1.0 if si > sj else 0.5 if si == sj else 0.0)
    return num / den


print('--- docstring binary ---')
y = [0, 0, 1, 1]; s = [0.1, 0.4, 0.35, 0.8]
print('roc', [a.tolist() for a in roc(y, s)], 'auc', auc(*roc(y, s)[:2]), 'pairwise', pairwise_auc(y, s))
print('pr', [a.tolist() for a in pr(y, s)], 'ap', ap(y, s))

print('--- ties ---')
y = [0, 1, 1, 0, 1, 0]; s = [0.3, 0.3, 0.7, 0.7, 0.9, 0.1]
f, t, th = roc(y, s)
print('roc', f.tolist(), t.tolist(), th.tolist(), 'auc', auc(f, t), 'pairwise', pairwise_auc(y, s))
print('pr', [a.tolist() for a in pr(y, s)], 'ap', ap(y, s))

print('--- weighted, drop_intermediate ---')
y = [1, 1, 0, 1, 0, 0, 1, 0, 0, 1]
s = [0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.55, 0.5, 0.3, 0.2]
w = [1, 2, 1, 1, 0.5, 1, 3, 1, 2, 1]
for drop in (True, False):
    f, t, th = roc(y, s, w, drop)
    print('drop', drop, 'fpr', f.tolist(), 'tpr', t.tolist(), 'thr', th.tolist())
print('auc', auc(*roc(y, s, w)[:2]), 'pairwise', pairwise_auc(y, s, w), 'ap', ap(y, s, w))

print('--- collinear points dropped ---')
y = [1, 0, 0, 0, 1, 1]; s = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]
for drop in (True, False):
    print('drop', drop, [a.tolist() for a in roc(y, s, None, drop)])
print('auc', auc(*roc(y, s)[:2]), 'pairwise', pairwise_auc(y, s))

print('--- multiclass (sklearn average_precision_score docstring) ---')
Y = np.array([0, 0, 1, 1, 2, 2])
S = np.array([[0.7, 0.2, 0.1], [0.4, 0.3, 0.3], [0.1, 0.8, 0.1], [0.2, 0.3, 0.5], [0.4, 0.4, 0.2], [0.1, 0.2, 0.7]])
onehot = np.eye(3)[Y]
aucs = [auc(*roc(onehot[:, k], S[:, k])[:2]) for k in range(3)]
aps = [ap(onehot[:, k], S[:, k]) for k in range(3)]
print('per-class auc', aucs, 'macro', np.mean(aucs))
print('micro auc', auc(*roc(onehot.ravel(), S.ravel())[:2]))
print('per-class ap', aps, 'macro', np.mean(aps), 'micro', ap(onehot.ravel(), S.ravel()))
wts = np.array([1, 2, 1, 1, 3, 1.0])
aucs_w = [auc(*roc(onehot[:, k], S[:, k], wts)[:2]) for k in range(3)]
prev = (onehot * wts[:, None]).sum(0)
print('weighted-sample aucs', aucs_w, 'macro', np.mean(aucs_w), 'weighted', np.average(aucs_w, weights=prev))
aps_w = [ap(onehot[:, k], S[:, k], wts) for k in range(3)]
print('weighted-sample aps', aps_w, 'weighted', np.average(aps_w, weights=prev))
