import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError } from '@tensorloom/core';
import { formatTable } from '../index.js';

describe('formatTable', () => {
  it('aligns records: text left, numbers right, a rule under the header', () => {
    expect(formatTable([{ metric: 'accuracy', value: 0.9234 }, { metric: 'f1', value: 0.88 }])).toBe(
      ['metric     value', '--------  ------', 'accuracy  0.9234', 'f1        0.8800'].join('\n'),
    );
  });

  it('formats a confusion matrix with row labels; integers stay integers, NaN is n/a', () => {
    const cm = [
      [4, 0, 10],
      [1, 2, 1],
    ];
    expect(formatTable(cm, { header: ['true \\ pred', 'cat', 'dog', 'bird'], rowLabels: ['cat', 'dog'] })).toBe(
      ['true \\ pred  cat  dog  bird', '-----------  ---  ---  ----', 'cat            4    0    10', 'dog            1    2     1'].join('\n'),
    );
    // header without the corner is completed with an empty title
    expect(formatTable([[0.5, NaN]], { header: ['p', 'r'], rowLabels: ['x'], digits: 2 })).toBe(
      ['      p    r', '-  ----  ---', 'x  0.50  n/a'].join('\n'),
    );
    expect(formatTable([['a', 1]])).toBe('a  1');
    expect(formatTable([])).toBe('');
  });

  it('rejects ragged rows and mismatched headers', () => {
    expect(() => formatTable([[1, 2], [3]])).toThrowError(new ShapeError('formatTable: rows expected 2 cells each, got 1 in row 1'));
    expect(() => formatTable([[1, 2]], { header: ['a'] })).toThrowError(
      new ConfigError('formatTable: header expected 2 titles (one per column), got 1'),
    );
    expect(() => formatTable([[1]], { rowLabels: ['a', 'b'] })).toThrowError('formatTable: rowLabels expected 1 labels (one per row), got 2');
  });
});
