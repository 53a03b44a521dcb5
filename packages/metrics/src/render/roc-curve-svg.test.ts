import { describe, expect, it } from 'vitest';
import { ShapeError } from '@tensorloom/core';
import { rocCurve, rocCurveSvg } from '../index.js';
import { xmlProblem } from '../internal/testing.js';

describe('rocCurveSvg', () => {
  it('draws the curve in plot coordinates, with the AUC in the title and legend', () => {
    // sklearn docstring: fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1], AUC 0.75
    const roc = rocCurve.compute([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    const svg = rocCurveSvg(roc, { width: 560, height: 480 });
    expect(xmlProblem(svg)).toBeNull();
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('>ROC curve (AUC = 0.750)</text>');
    expect(svg).toContain('>False positive rate</text>');
    expect(svg).toContain('>True positive rate</text>');
    expect(svg).toContain('>class 1 (AUC = 0.750)</text>');
    expect(svg).toContain('>chance (AUC = 0.5)</text>');
    // square plot of side min(560 − 84, 480 − 104) = 376, centred: x0 = 64 + 50, y0 = 48 + 376
    const points = /<polyline [^>]*points="([^"]+)"/.exec(svg)![1].split(' ');
    expect(points).toEqual(['114,424', '114,236', '302,236', '302,48', '490,48']);
    expect(svg).toContain('<line class="chance" x1="114" y1="424" x2="490" y2="48"');
  });

  it('one line per class with the averaged AUC in the title', () => {
    const yTrue = [0, 0, 1, 1, 2, 2];
    const yPred = [[0.7, 0.2, 0.1], [0.4, 0.3, 0.3], [0.1, 0.8, 0.1], [0.2, 0.3, 0.5], [0.4, 0.4, 0.2], [0.1, 0.2, 0.7]];
    const svg = rocCurveSvg(rocCurve.compute(yTrue, yPred, { classNames: ['a<b', 'dog', 'bird'] }), { title: 'Val' });
    expect(xmlProblem(svg)).toBeNull();
    expect(svg).toContain('>Val (average AUC = 0.833)</text>');
    expect(svg.match(/<polyline /g)).toHaveLength(3);
    expect(svg).toContain('>a&lt;b (AUC = 0.938)</text>'); // 0.9375 to 3 decimals
    // a bare list of curves has no overall AUC in the title
    expect(rocCurveSvg(rocCurve.compute(yTrue, yPred).curves)).toContain('>ROC curves</text>');
  });

  it('an undefined curve has no line and an AUC of n/a', () => {
    const svg = rocCurveSvg(rocCurve.compute([1, 1], [0.3, 0.6]));
    expect(xmlProblem(svg)).toBeNull();
    expect(svg).not.toContain('<polyline');
    expect(svg).toContain('>ROC curve (AUC = n/a)</text>');
  });

  it('rejects an empty or broken input', () => {
    expect(() => rocCurveSvg([])).toThrowError(new ShapeError('rocCurveSvg: roc expected at least one curve, got none'));
    expect(() => rocCurveSvg({ label: 'x', fpr: [0, 1], tpr: [0], thresholds: [], auc: 0.5 })).toThrowError(
      'rocCurveSvg: curve 0 expected fpr and tpr of the same length, got 2 and 1',
    );
    expect(() => rocCurveSvg(rocCurve.compute([0, 1], [0, 1]), { width: 10 })).toThrowError('rocCurveSvg: width expected an integer >= 200, got 10');
  });
});
