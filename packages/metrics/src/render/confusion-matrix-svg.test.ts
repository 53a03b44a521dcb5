import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError } from '@tensorloom/core';
import { confusionMatrix, confusionMatrixSvg } from '../index.js';
import { xmlProblem } from '../internal/testing.js';

const cm = [
  [4, 0, 0],
  [1, 2, 1],
  [0, 2, 1],
];

describe('confusionMatrixSvg', () => {
  it('is a standalone, well-formed SVG with labels, axes, values and a legend', () => {
    const svg = confusionMatrixSvg(cm, { classNames: ['cat', 'dog', 'bird & <fish>'] });
    expect(xmlProblem(svg)).toBeNull();
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('>Confusion matrix</text>');
    expect(svg).toContain('>True label</text>');
    expect(svg).toContain('>Predicted label</text>');
    // names escaped, on both axes
    expect(svg.match(/>bird &amp; &lt;fish&gt;</g)).toHaveLength(2);
    // K² cells, each with its value
    const cells = svg.slice(svg.indexOf('<g class="cells">'), svg.indexOf('</g>'));
    expect(cells.match(/<rect /g)).toHaveLength(9);
    expect(cells.match(/>(\d+)<\/text>/g)!.map((t) => t.slice(1, -7))).toEqual(['4', '0', '0', '1', '2', '1', '0', '2', '1']);
    // colour scale: the largest value is darkest, 0 the lightest; legend shows both ends
    expect(cells).toContain('fill="#08306b"');
    expect(cells).toContain('fill="#f7fbff"');
    expect(svg).toContain('<g class="legend">');
    expect(svg).toMatch(/>4<\/text>\n<text [^>]*>0<\/text><\/g>/);
  });

  it('normalises for display and says so in the title', () => {
    const svg = confusionMatrixSvg(cm, { normalize: 'true', digits: 3 });
    expect(xmlProblem(svg)).toBeNull();
    expect(svg).toContain('>Confusion matrix (each row sums to 1)</text>');
    // row 1 = [1, 2, 1] / 4
    expect(svg).toContain('>0.250</text>');
    expect(svg).toContain('>0.500</text>');
    expect(confusionMatrixSvg(cm, { normalize: 'all', title: 'Val' })).toContain('>Val</text>');
    // works on what confusionMatrix returns, with rates
    const rates = confusionMatrix.compute([0, 1, 1], [0, 1, 0], { normalize: 'true' });
    expect(xmlProblem(confusionMatrixSvg(rates))).toBeNull();
  });

  it('the well-formedness check used here catches broken markup', () => {
    expect(xmlProblem('<svg><g></svg>')).toBe('</svg> closes <g>');
    expect(xmlProblem('<svg><text>a & b</text></svg>')).toBe('bad entity in text at 13');
    expect(xmlProblem('<svg x=1></svg>')).toMatch(/^malformed tag/);
    expect(xmlProblem('<svg/><svg/>')).toBe('expected one root element, got 2');
  });

  it('rejects what is not a square matrix', () => {
    expect(() => confusionMatrixSvg([])).toThrowError(new ShapeError('confusionMatrixSvg: matrix expected a non-empty K×K array, got an empty array'));
    expect(() => confusionMatrixSvg([[1, 2], [3]])).toThrowError(
      'confusionMatrixSvg: matrix expected 2 values in row 1 (a square matrix), got 1',
    );
    expect(() => confusionMatrixSvg(cm, { classNames: ['a'] })).toThrowError(new ConfigError('confusionMatrixSvg: classNames expected 3 names, got 1'));
    expect(() => confusionMatrixSvg(cm, { normalize: 'rows' as never })).toThrowError(/normalize expected one of/);
  });
});
