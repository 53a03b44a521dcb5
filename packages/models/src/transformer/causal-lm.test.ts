import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { causalLM, causalLMParameterCount, greedyDecode } from '../index.js';
import type { CausalLMConfig , CausalLM} from '../index.js';

const tiny: CausalLMConfig = { vocabSize: 11, contextLength: 12, dModel: 8, numLayers: 2, numHeads: 2, dimFeedforward: 16, dropout: 0 };

function model(extra: Partial<CausalLMConfig> = {}, seed = 1): CausalLM {
  return causalLM({ ...tiny, ...extra }).build([null, null], rng(seed));
}

const ids = (rows: number[][]): tf.Tensor2D => tf.tensor2d(rows, undefined, 'int32');

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('CausalLM', () => {
  it.each([
    ['learned, tied', {}],
    ['sinusoidal, untied', { positions: 'sinusoidal', tieWeights: false }],
  ] as const)('maps [batch, time] ids to [batch, time, vocab] logits (%s), batch 1 too', (_, extra) => {
    const lm = model(extra);
    for (const [b, t] of [[1, 1], [3, 5]] as const) {
      const y = lm.apply(ids(Array.from({ length: b }, () => Array.from({ length: t }, (_, i) => i % 11))));
      expect(y.shape).toEqual([b, t, 11]);
      y.dispose();
    }
    expect(lm.outputShape([null, 7])).toEqual([null, 7, 11]);
    lm.dispose();
  });

  it('has the closed-form parameter count in every variant, and 124,439,808 for GPT-2 small', () => {
    for (const extra of [{}, { tieWeights: false }, { positions: 'sinusoidal' as const }, { dimFeedforward: 24, numLayers: 3 }]) {
      const lm = model(extra);
      expect(lm.countParams().total).toBe(causalLMParameterCount({ ...tiny, ...extra }));
      lm.dispose();
    }
    // V·D + C·D + 12·(12·D² + 13·D) + 2·D with V = 50257, C = 1024, D = 768.
    expect(causalLMParameterCount()).toBe(50257 * 768 + 1024 * 768 + 12 * (12 * 768 * 768 + 13 * 768) + 2 * 768);
    expect(causalLMParameterCount()).toBe(124_439_808);
    // The same figure from a shape-only build of the default model (no tensors allocated).
    const before = tf.memory().numTensors;
    const shapes = causalLM().parameterShapes([null, null]);
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.values(shapes).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0)).toBe(124_439_808);
    expect(shapes['h.11.attn.query.kernel']!.shape).toEqual([768, 12, 64]);
    expect(causalLMParameterCount({ tieWeights: false })).toBe(124_439_808 + 50257 * 768);
  });

  it('ties the output projection to the token embedding', () => {
    const lm = model();
    expect(Object.keys(lm.parameters()).filter((k) => k.startsWith('lm_head'))).toEqual([]);
    const before = lm.apply(ids([[1, 2]]));
    const emb = lm.wte.embeddings!;
    const changed = tf.tidy(() => tf.concat([emb.slice([0, 0], [3, 8]), tf.mul(emb.slice([3, 0], [1, 8]), 3), emb.slice([4, 0], [7, 8])]));
    // Only row 3 of the embedding changes and neither input is token 3, so only logit 3 moves.
    emb.assign(changed);
    const after = lm.apply(ids([[1, 2]]));
    const a = before.arraySync() as number[][][];
    const b = after.arraySync() as number[][][];
    for (let v = 0; v < 11; v++) {
      if (v === 3) expect(Math.abs(a[0]![1]![v]! - b[0]![1]![v]!)).toBeGreaterThan(1e-3);
      else expect(b[0]![1]![v]!).toBeCloseTo(a[0]![1]![v]!, 5);
    }
    tf.dispose([before, after, changed]);
    lm.dispose();
  });

  it('is causal: changing a later token never changes an earlier position', () => {
    for (const extra of [{}, { positions: 'sinusoidal' as const }]) {
      const lm = model(extra, 3);
      const base = [4, 1, 7, 2, 9, 5];
      const y0 = lm.apply(ids([base])).arraySync() as number[][][];
      for (let t = 1; t < base.length; t++) {
        const changed = [...base];
        changed[t] = (changed[t]! + 3) % 11;
        const y1 = lm.apply(ids([changed])).arraySync() as number[][][];
        for (let s = 0; s < t; s++) expect(maxAbsDiff(y1[0]![s]!, y0[0]![s]!)).toBe(0);
        expect(maxAbsDiff(y1[0]![t]!, y0[0]![t]!)).toBeGreaterThan(1e-4);
      }
      lm.dispose();
    }
  });

  it('gives the same logits with and without the key/value cache at every step (1e-5)', async () => {
    for (const extra of [{}, { positions: 'sinusoidal' as const, tieWeights: false }]) {
      const lm = model(extra, 5);
      const cached = lm.decoder();
      const plain = lm.decoder({ cache: false });
      // The sinusoidal table and the blocks' packed projections are made once and kept by the model.
      greedyDecode(lm.decoder(), { prompts: [[1]], maxLength: 2 });
      await expectNoLeaks(() => {
        let sc = cached.init([0, 1]);
        let sp = plain.init([0, 1]);
        let feed = [[3, 1, 4], [2, 7, 1]];
        for (let step = 0; step < 8; step++) {
          const rc = cached.step(sc, feed);
          const rp = plain.step(sp, feed);
          sc = rc.state;
          sp = rp.state;
          expect(rc.logits.shape).toEqual([2, 11]);
          expect(maxAbsDiff(rc.logits.dataSync(), rp.logits.dataSync())).toBeLessThan(1e-5);
          tf.dispose([rc.logits, rp.logits]);
          feed = [[(step * 3) % 11], [(step * 5 + 1) % 11]];
          if (step === 4) {
            // Beam-search reordering: rows swapped and repeated.
            sc = cached.select(sc, [1, 1, 0].slice(0, 2));
            sp = plain.select(sp, [1, 1, 0].slice(0, 2));
          }
        }
        cached.dispose(sc);
        plain.dispose(sp);
      }, 'cached decoding');
      lm.dispose();
    }
  });

  it('rejects sequences beyond contextLength and ids of the wrong rank', () => {
    const lm = model();
    expect(() => lm.apply(ids([Array.from({ length: 13 }, () => 1)]))).toThrow(new ShapeError("CausalLM 'causal_lm': sequence length expected at most 12 (contextLength), got 13"));
    expect(() => lm.apply(tf.tensor1d([1, 2], 'int32'))).toThrow(ShapeError);
    expect(() => greedyDecode(lm.decoder(), { prompts: [[1, 2]], maxLength: 12 })).toThrow(/sequence length expected at most 12/);
    lm.dispose();
  });

  it('validates every config field with a message naming it', () => {
    expect(() => causalLM({ ...tiny, dModel: 9 })).toThrow(new ConfigError("CausalLM 'causal_lm': dModel expected a multiple of numHeads 2, got 9"));
    expect(() => causalLM({ ...tiny, vocabSize: 0 })).toThrow(new ConfigError("CausalLM 'causal_lm': vocabSize expected a positive integer, got 0"));
    expect(() => causalLM({ ...tiny, numLayers: 1.5 })).toThrow(/numLayers expected a positive integer, got 1.5/);
    expect(() => causalLM({ ...tiny, contextLength: -1 })).toThrow(/contextLength expected a positive integer/);
    expect(() => causalLM({ ...tiny, dimFeedforward: 0 })).toThrow(/dimFeedforward expected a positive integer/);
    expect(() => causalLM({ ...tiny, dropout: 1 })).toThrow(/dropout expected a rate in \[0, 1\), got 1/);
    expect(() => causalLM({ ...tiny, positions: 'rotary' as 'learned' })).toThrow(/positions expected 'learned' or 'sinusoidal', got 'rotary'/);
    expect(() => causalLM({ ...tiny, layerNormEps: 0 })).toThrow(/layerNormEps expected a positive number/);
    expect(() => causalLM({ ...tiny, activation: 'nope' as 'relu' })).toThrow(ConfigError);
  });

  it('applies and trains without leaking tensors', async () => {
    const lm = model({ dropout: 0.1 });
    const x = ids([[1, 2, 3]]);
    await expectNoLeaks(() => lm.apply(x, { training: true }).dispose(), 'apply');
    const vars = Object.values(lm.trainableParameters());
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => tf.mean(lm.apply(x, { training: true })) as tf.Scalar, vars);
      tf.dispose([value, ...Object.values(grads)]);
    }, 'gradients');
    x.dispose();
    lm.dispose();
  });

  it('overfits a tiny batch', () => {
    // Two sequences of 8 tokens over a vocabulary of 11: the next-token loss starts near
    // ln 11 ≈ 2.4 and a model that memorises them drives it toward 0. 60 Adam steps must
    // bring it below 10% of its start (a model that only learned token frequencies stays
    // above 1.5).
    const lm = model({}, 7);
    const seqs = [[1, 5, 2, 8, 3, 9, 4, 10], [7, 3, 6, 1, 9, 2, 5, 0]];
    const input = ids(seqs.map((s) => s.slice(0, 7)));
    const target = tf.oneHot(tf.tensor2d(seqs.map((s) => s.slice(1)), undefined, 'int32'), 11);
    const optimizer = tf.train.adam(0.02);
    const vars = Object.values(lm.trainableParameters());
    const loss = (): tf.Scalar => tf.losses.softmaxCrossEntropy(target, lm.apply(input, { training: true })) as tf.Scalar;
    const first = tf.tidy(() => loss().dataSync()[0]!);
    let last = first;
    for (let i = 0; i < 60; i++) {
      const cost = optimizer.minimize(loss, true, vars)!;
      last = cost.dataSync()[0]!;
      cost.dispose();
    }
    expect(first).toBeGreaterThan(2);
    expect(last).toBeLessThan(0.1 * first);
    tf.dispose([input, target]);
    optimizer.dispose();
    lm.dispose();
  });
});

describe('CausalLM against PyTorch', () => {
  it("equals a Hugging Face-style GPT-2 (Conv1D c_attn/c_proj, gelu_new, tied head) on the same weights (1e-5), cached and not", async () => {
    const { readFileSync } = await import('node:fs');
    const { loadFixture, maxAbsDiff: diff } = await import('./internal/fixture.js');
    const f = loadFixture(readFileSync(new URL('./fixtures/gpt2.safetensors', import.meta.url)), readFileSync(new URL('./fixtures/gpt2.map.json', import.meta.url), 'utf8'));
    const lm = causalLM(f.config as CausalLMConfig).build([null, null], rng(0));
    lm.loadState(f.state);
    const y = await expectNoLeaks(() => lm.apply(f.ids), 'apply');
    expect(diff(y, f.outputs.logits!)).toBeLessThan(1e-5);
    // The cached decoder fed one token at a time reproduces every position's logits.
    const rows = f.ids.arraySync() as number[][];
    const decoder = lm.decoder();
    let state = decoder.init([0, 1]);
    const expected = f.outputs.logits!.arraySync() as number[][][];
    for (let t = 0; t < rows[0]!.length; t++) {
      const step = decoder.step(state, rows.map((r) => [r[t]!]));
      state = step.state;
      const got = step.logits.arraySync();
      step.logits.dispose();
      for (let b = 0; b < 2; b++) expect(maxAbsDiff(got[b]!, expected[b]![t]!)).toBeLessThan(1e-5);
    }
    decoder.dispose(state);
    tf.dispose(y);
    f.dispose();
    lm.dispose();
  });
});

describe('CausalLM ids', () => {
  it('rejects token ids outside the vocabulary with the embedding layer message', () => {
    const lm = causalLM({ vocabSize: 5, contextLength: 4, dModel: 4, numLayers: 1, numHeads: 2, dropout: 0 }).build([null, null], rng(1));
    expect(() => lm.apply(tf.tensor2d([[1, 5]], undefined, 'int32'))).toThrow("Embedding 'wte': input id expected an integer in [0, 5), got 5 at flat index 1");
    lm.dispose();
  });
});

describe('CausalLM packed single-position step', () => {
  it('follows reassigned weights (the packed projections are remade)', () => {
    const lm = causalLM({ vocabSize: 9, contextLength: 8, dModel: 8, numLayers: 1, numHeads: 2, dropout: 0 }).build([null, null], rng(11));
    const run = (cache: boolean): number[][] => greedyDecode(lm.decoder({ cache }), { prompts: [[1, 2]], maxLength: 5 });
    expect(run(true)).toEqual(run(false));
    const kernel = lm.blocks[0]!.attention!.query!.kernel!;
    const changed = tf.tidy(() => tf.mul(kernel, -3));
    kernel.assign(changed);
    changed.dispose();
    const decoder = lm.decoder();
    let state = decoder.init([0]);
    const reference = lm.decoder({ cache: false });
    let refState = reference.init([0]);
    for (const feed of [[[1, 2]], [[3]], [[4]]]) {
      const a = decoder.step(state, feed);
      const b = reference.step(refState, feed);
      state = a.state;
      refState = b.state;
      expect(maxAbsDiff(a.logits.dataSync(), b.logits.dataSync())).toBeLessThan(1e-5);
      tf.dispose([a.logits, b.logits]);
    }
    decoder.dispose(state);
    reference.dispose(refState);
    lm.dispose();
  });
});
