import { describe, expect, it } from 'vitest';
import { rng, tf } from '@tensorloom/core';
import { beamSearch, causalLM, greedyDecode, sampleDecode } from '../index.js';

describe('README decoding example', () => {
  it('runs as written', () => {
    const lm = causalLM({ vocabSize: 64, contextLength: 32, dModel: 32, numLayers: 2, numHeads: 4 }).build([null, null], rng(1));
    const logits = lm.apply(tf.tensor2d([[1, 2, 3]], undefined, 'int32')); // [1, 3, 64]
    const [greedy] = greedyDecode(lm.decoder(), { prompts: [[1, 2, 3]], maxLength: 8, endToken: 0 });
    const [beams] = beamSearch(lm.decoder(), { prompts: [[1, 2, 3]], beamWidth: 3, maxLength: 8, endToken: 0 });
    const [sampled] = sampleDecode(lm.decoder(), { prompts: [[1, 2, 3]], maxLength: 8, rng: rng(7), topK: 10, topP: 0.9 });
    expect(logits.shape).toEqual([1, 3, 64]);
    expect(greedy!.length).toBeGreaterThan(0);
    expect(beams![0]!.tokens.length).toBeLessThanOrEqual(8);
    expect(sampled!.every((t) => t >= 0 && t < 64)).toBe(true);
    logits.dispose();
    lm.dispose();
  });
});
