import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tensorloom/core';
import { greedyDecode } from '../index.js';
import { markovDecoder } from './internal/testing.js';

const table = [
  [0, 0, 0, 0],
  [0, 0, 1, 3],
  [2, 0.1, 0.5, 0.2],
  [-1, 1.2, 1.2, 0.3], // a tie between 1 and 2: the first wins
];

describe('greedyDecode', () => {
  it('appends the most likely token, stops a row at the end token and runs others to maxLength', () => {
    const d = markovDecoder(table);
    // From 3: 1 (tie with 2, first wins) → 3 → 1 → 3 ...; from 2: 0 (end).
    expect(greedyDecode(d, { prompts: [[3], [2]], maxLength: 5, endToken: 0 })).toEqual([[1, 3, 1, 3, 1], [0]]);
    expect(greedyDecode(d, { prompts: [[2, 2]], maxLength: 3 })).toEqual([[0, 0, 0]]); // no end token: full length
  });

  it('computes only the live rows after one ends', () => {
    const d = markovDecoder(table);
    greedyDecode(d, { prompts: [[3], [2]], maxLength: 4, endToken: 0 });
    expect(d.calls).toBe(4);
  });

  it('rejects bad options', () => {
    const d = markovDecoder(table);
    expect(() => greedyDecode(d, { prompts: [[]], maxLength: 2 })).toThrow(new ConfigError('greedyDecode: prompts[0] expected at least one token, got 0', { help: '' }).message);
    expect(() => greedyDecode(d, { prompts: [[1]], maxLength: 1.5 })).toThrow(/maxLength expected a positive integer, got 1.5/);
  });
});
