// The example of the README's "Attention and transformers" section, run as a test so that
// it stays true. Keep the two in step.
import { describe, expect, it } from 'vitest';
import { rng, tf } from '@tensorloom/core';
import {
  MultiHeadAttention, SinusoidalPositionalEncoding, TransformerDecoderLayer, TransformerEncoderLayer,
} from '@tensorloom/layers';

const source = rng(1).normalTensor([2, 6, 32]); // [batch, sourceLength, dModel]
const target = rng(2).normalTensor([2, 4, 32]); // [batch, targetLength, dModel]
// Key padding mask, true (or 1) = a real token: the second source has 4 tokens.
const sourceMask = tf.tensor2d([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]]);

const positions = new SinusoidalPositionalEncoding();
const encoder = new TransformerEncoderLayer({ numHeads: 4, dimFeedforward: 64, name: 'enc' });
const decoder = new TransformerDecoderLayer({ numHeads: 4, dimFeedforward: 64, normFirst: true, name: 'dec' });
const memory = encoder.apply(positions.apply(source), { mask: sourceMask, training: true });
const y = decoder.apply({ target: positions.apply(target), memory }, { memoryMask: sourceMask }); // [2, 4, 32]

const mha = new MultiHeadAttention({ numHeads: 4, keyDim: 8 });
const { output, scores } = mha.apply(
  { query: target, value: source },
  { keyMask: sourceMask, returnAttentionScores: true },
); // output [2, 4, 32], scores [2, 4, 4, 6]: rows sum to 1 over unmasked keys

describe('README: attention and transformers', () => {
  it('runs and gives the documented shapes', () => {
    expect(memory.shape).toEqual([2, 6, 32]);
    expect(y.shape).toEqual([2, 4, 32]);
    expect(output.shape).toEqual([2, 4, 32]);
    expect(scores.shape).toEqual([2, 4, 4, 6]);
    // The second source's two padded keys get no weight.
    const w = scores.arraySync() as number[][][][];
    for (const head of w[1]!) for (const row of head) expect(row.slice(4)).toEqual([0, 0]);
  });
});
