"""Reference values for the classification tests, re-derived in float64 with numpy from the
scikit-learn formulas (precision_recall_fscore_support, matthews_corrcoef, cohen_kappa_score,
balanced_accuracy_score, confusion_matrix). Independent of the TypeScript implementation.
Run: python3 packages/metrics/scripts/reference_classification.py
"""
import numpy as np


def confusion(y_true, y_pred, k, w=None):
    w = np.ones(len(y_true)) if w is None else np.asarray(w, float)
    c = np.zeros((k, k))
    for t, p, wi in zip(y_true, y_pred, w):
        c[t, p] += wi
    return c


def prf(c, beta=1.0, average=None, zero_division=0.0, labels=None):
    tp = np.diag(c)
    pred = c.sum(0)
    true = c.sum(1)
    if labels is None:  # sklearn: labels present in y_true or y_pred
        labels = [k for k in range(len(c)) if pred[k] + true[k] > 0]
    tp, pred, true = tp[labels], pred[labels], true[labels]
    if average == 'micro':
        tp, pred, true = tp.sum(keepdims=True), pred.sum(keepdims=True), true.sum(keepdims=True)
    div = lambda a, b: np.array([x / y if y else zero_division for x, y in zip(a, b)])
    p = div(tp, pred)
    r = div(tp, true)
    b2 = beta * beta
    f = div((1 + b2) * tp, b2 * true + pred)
    if average in (None, 'micro'):
        return p, r, f
    wts = true if average == 'weighted' else np.ones(len(tp))
    avg = lambda v: np.nansum(v * wts) / wts[~np.isnan(v)].sum()
    return avg(p), avg(r), avg(f)


def specificity(c, average):
    k = len(c)
    tp = np.diag(c); fp = c.sum(0) - tp; fn = c.sum(1) - tp; tn = c.sum() - tp - fp - fn
    if average == 'binary':
        return tn[1] / (tn[1] + fp[1])
    if average == 'micro':
        return tn.sum() / (tn.sum() + fp.sum())
    present = [i for i in range(k) if tp[i] + fp[i] + fn[i] > 0]
    s = tn / (tn + fp)
    if average == 'macro':
        return s[present].mean()
    sup = tp + fn
    return (s * sup).sum() / sup.sum()


def mcc(c):
    t = c.sum(1); p = c.sum(0); n = c.sum(); corr = np.trace(c)
    cov_ytyp = corr * n - t @ p
    cov_ypyp = n * n - p @ p
    cov_ytyt = n * n - t @ t
    return cov_ytyp / np.sqrt(cov_ytyt * cov_ypyp) if cov_ypyp * cov_ytyt else 0.0


def kappa(c, weights=None):
    k = len(c)
    sum0 = c.sum(0); sum1 = c.sum(1)
    expected = np.outer(sum0, sum1) / sum0.sum()
    i, j = np.meshgrid(np.arange(k), np.arange(k), indexing='ij')
    w = (i != j).astype(float) if weights is None else (np.abs(i - j) if weights == 'linear' else (i - j) ** 2)
    return 1 - (w * c).sum() / (w * expected).sum()


def balanced(c, adjusted=False):
    per = np.diag(c) / c.sum(1)
    per = per[~np.isnan(per)]
    s = per.mean()
    if adjusted:
        ch = 1 / len(per)
        s = (s - ch) / (1 - ch)
    return s


np.seterr(all='ignore')
print('--- A: sklearn docstring multiclass ---')
A = confusion([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], 3)
for avg in (None, 'micro', 'macro', 'weighted'):
    print('F1 beta=1', avg, prf(A, 1, avg))
    print('F beta=0.5', avg, prf(A, 0.5, avg))
    print('F beta=2', avg, prf(A, 2, avg))
for avg in ('micro', 'macro', 'weighted'):
    print('specificity', avg, specificity(A, avg))
print('mcc', mcc(A), 'kappa', kappa(A), 'balanced', balanced(A))

print('--- B: weighted binary ---')
yt = [1, 0, 1, 1, 0, 0, 1, 0]
sc = [0.9, 0.6, 0.4, 0.8, 0.2, 0.55, 0.51, 0.1]
w = [1, 2, 1, 0.5, 1, 1, 3, 2]
yp = [int(s > 0.5) for s in sc]
B = confusion(yt, yp, 2, w)
print('B', B.tolist())
for beta in (1, 2):
    print('binary beta', beta, [x[1] for x in prf(B, beta, None, labels=[0, 1])])
print('macro', prf(B, 1, 'macro'), 'weighted', prf(B, 1, 'weighted'), 'micro', prf(B, 1, 'micro'))
print('specificity binary', specificity(B, 'binary'))
print('mcc', mcc(B), 'kappa', kappa(B), 'balanced', balanced(B), 'adjusted', balanced(B, True))
print('threshold 0.55 preds', [int(s > 0.55) for s in sc])
B2 = confusion(yt, [int(s > 0.55) for s in sc], 2, w)
print('B2 precision', prf(B2, 1, None, labels=[0, 1])[0][1], 'recall', prf(B2, 1, None, labels=[0, 1])[1][1])

print('--- C: 4 classes, class 3 never seen, class 2 never predicted ---')
ytC = [0, 0, 1, 1, 2, 2, 0, 1]
ypC = [0, 1, 1, 0, 1, 0, 0, 1]
C = confusion(ytC, ypC, 4)
print('C', C.tolist())
for zd in (0.0, 1.0, np.nan):
    print('zd', zd, 'per-class P', prf(C, 1, None, zero_division=zd, labels=[0, 1, 2, 3])[0])
    print('   macro', prf(C, 1, 'macro', zero_division=zd), 'weighted', prf(C, 1, 'weighted', zero_division=zd))
print('mcc', mcc(C), 'kappa', kappa(C), 'balanced', balanced(C))
print('kappa linear', kappa(C, 'linear'), 'quadratic', kappa(C, 'quadratic'))

print('--- D: matthews_corrcoef docstring ---')
print(mcc(confusion([1, 1, 1, 0], [1, 0, 1, 1], 2)))
print('--- E: cohen_kappa docstring ---')
E = confusion([0, 2, 0, 1, 2], [0, 2, 0, 1, 0], 3)
print(kappa(E), 'linear', kappa(E, 'linear'), 'quadratic', kappa(E, 'quadratic'))
print('--- F: balanced_accuracy docstring ---')
F = confusion([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1], 2)
print(balanced(F), 'adjusted', balanced(F, True))
print('--- G: confusion_matrix docstring, normalised ---')
G = confusion([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2], 3)
print(G.tolist())
print('true', (G / G.sum(1, keepdims=True)).tolist())
print('pred', np.nan_to_num(G / G.sum(0, keepdims=True)).tolist())
print('all', (G / G.sum()).tolist())
