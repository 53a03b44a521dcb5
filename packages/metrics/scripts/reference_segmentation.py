"""Reference values for the segmentation tests: per-class IoU / Dice, mean IoU over present
classes (mmsegmentation's nanmean) and pixel accuracy, from a numpy confusion matrix.
Run: python3 packages/metrics/scripts/reference_segmentation.py [unweighted]
"""
import numpy as np

np.seterr(all='ignore')
t = np.array([[[0, 0, 1], [1, 2, 2], [255, 0, 1]],
              [[2, 2, 2], [0, 1, 255], [1, 1, 0]]])
p = np.array([[[0, 1, 1], [1, 2, 0], [2, 0, 1]],
              [[2, 2, 1], [0, 1, 0], [1, 0, 0]]])
import sys
w = np.array([1.0, 1.0]) if 'unweighted' in sys.argv else np.array([1.0, 2.0])  # one weight per image
k = 4  # class 3 never occurs
c = np.zeros((k, k))
for img in range(2):
    for tt, pp in zip(t[img].ravel(), p[img].ravel()):
        if tt != 255:
            c[tt, pp] += w[img]
tp = np.diag(c); fp = c.sum(0) - tp; fn = c.sum(1) - tp
iou = tp / (tp + fp + fn)
dice = 2 * tp / (2 * tp + fp + fn)
print('confusion', c.tolist())
print('iou', iou.tolist(), 'mean', np.nanmean(iou))
print('dice', dice.tolist(), 'mean', np.nanmean(dice))
print('pixel accuracy', tp.sum() / c.sum())
