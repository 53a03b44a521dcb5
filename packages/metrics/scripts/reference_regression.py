"""Reference values for the regression tests: float64 numpy re-derivations of
sklearn.metrics mean_squared_error, root_mean_squared_error, mean_absolute_error,
mean_absolute_percentage_error, r2_score and explained_variance_score (force_finite=True).
Run: python3 packages/metrics/scripts/reference_regression.py
"""
import numpy as np

EPS = np.finfo(np.float64).eps


def stats(y, p, w=None):
    y = np.asarray(y, float); p = np.asarray(p, float)
    if y.ndim == 1:
        y, p = y[:, None], p[:, None]
    w = np.ones(len(y)) if w is None else np.asarray(w, float)
    return y, p, w


def mse(y, p, w=None):
    y, p, w = stats(y, p, w)
    return np.average((y - p) ** 2, axis=0, weights=w)


def mae(y, p, w=None):
    y, p, w = stats(y, p, w)
    return np.average(np.abs(y - p), axis=0, weights=w)


def mape(y, p, w=None):
    y, p, w = stats(y, p, w)
    return np.average(np.abs(y - p) / np.maximum(np.abs(y), EPS), axis=0, weights=w)


def assemble(num, den, multioutput):
    out = np.ones(len(num))
    valid = (den != 0) & (num != 0)
    out[valid] = 1 - num[valid] / den[valid]
    out[(num != 0) & (den == 0)] = 0.0
    if multioutput == 'raw':
        return out
    if multioutput == 'variance' and np.any(den != 0):
        return np.average(out, weights=den)
    return out.mean()


def r2(y, p, w=None, multioutput='uniform'):
    y, p, w = stats(y, p, w)
    num = (w[:, None] * (y - p) ** 2).sum(0)
    den = (w[:, None] * (y - np.average(y, axis=0, weights=w)) ** 2).sum(0)
    return assemble(num, den, multioutput)


def ev(y, p, w=None, multioutput='uniform'):
    y, p, w = stats(y, p, w)
    diff = y - p
    num = np.average((diff - np.average(diff, axis=0, weights=w)) ** 2, axis=0, weights=w)
    den = np.average((y - np.average(y, axis=0, weights=w)) ** 2, axis=0, weights=w)
    return assemble(num, den, multioutput)


y1 = [3, -0.5, 2, 7]; p1 = [2.5, 0.0, 2, 8]
Y2 = [[0.5, 1], [-1, 1], [7, -6]]; P2 = [[0, 2], [-1, 2], [8, -5]]
w1 = [1, 2, 0.5, 3]
print('docstring 1-d: mse', mse(y1, p1), 'rmse', np.sqrt(mse(y1, p1)), 'mae', mae(y1, p1), 'mape', mape(y1, p1),
      'r2', r2(y1, p1), 'ev', ev(y1, p1))
print('docstring 2-d: mse raw', mse(Y2, P2), 'mean', mse(Y2, P2).mean(), 'rmse raw', np.sqrt(mse(Y2, P2)),
      'rmse', np.sqrt(mse(Y2, P2)).mean(), 'mae raw', mae(Y2, P2), 'mape raw', mape(Y2, P2))
print('   r2 raw', r2(Y2, P2, multioutput='raw'), 'uniform', r2(Y2, P2), 'variance', r2(Y2, P2, multioutput='variance'))
print('   ev raw', ev(Y2, P2, multioutput='raw'), 'uniform', ev(Y2, P2), 'variance', ev(Y2, P2, multioutput='variance'))
print('weighted 1-d: mse', mse(y1, p1, w1), 'rmse', np.sqrt(mse(y1, p1, w1)), 'mae', mae(y1, p1, w1), 'mape', mape(y1, p1, w1),
      'r2', r2(y1, p1, w1), 'ev', ev(y1, p1, w1))
print('mape zero target', mape([0, 1], [0.5, 1]))
print('constant target r2', r2([2, 2, 2], [2, 2, 2]), r2([2, 2, 2], [2, 2, 3]), 'ev biased', ev([1, 2, 3], [2, 3, 4]), 'r2 biased', r2([1, 2, 3], [2, 3, 4]))
# large offset: cancellation check for streaming variance
yb = 1e8 + np.array([1.0, 2, 3, 4, 5, 6]); pb = yb + np.array([0.5, -0.5, 0.25, 0, -0.25, 0.5])
print('offset r2', r2(yb, pb), 'ev', ev(yb, pb))
