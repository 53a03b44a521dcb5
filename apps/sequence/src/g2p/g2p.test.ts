// Smoke test of `sequence g2p`: a few steps on a small slice, then evaluate and predict on the
// result; and the figures (PER, WER, alternates, confusions) on hand-made predictions.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rng, tf } from '@tensorloom/core';
import { BOS, EOS, PAD, decodePhonemes, encodePhonemes, g2pBatches, teacherForcingBatch } from './data.js';
import { alignmentErrors, g2pFigures } from './evaluation.js';
import { evaluateG2P } from './evaluate.js';
import { predictG2P } from './predict.js';
import { trainG2P } from './train.js';

const run = promisify(execFile);
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sequence-g2p-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('g2p data', () => {
  it('shifts the target behind the start token and ends the labels with the end token', () => {
    const batch = teacherForcingBatch([{ word: "O'K", phonemes: ['OW', 'K', 'EY'] }]);
    const { source, target } = batch.x as Record<string, tf.Tensor>;
    const ids = encodePhonemes(['OW', 'K', 'EY']);
    expect(Array.from(source!.dataSync())).toEqual([15, 27, 11, PAD]);
    expect(Array.from(target!.dataSync())).toEqual([BOS, ...ids]);
    expect(Array.from((batch.y as tf.Tensor).dataSync())).toEqual([...ids, EOS]);
    expect(decodePhonemes([...ids, EOS, ids[0]!])).toEqual(['OW', 'K', 'EY']);
    tf.dispose([source!, target!, batch.y as tf.Tensor]);
  });

  it('pads each batch to its own longest row (rounded up to 4): every pair once per epoch, order seeded', () => {
    const entries = Array.from({ length: 200 }, (_, i) => ({
      word: 'ABCDEFGHIJKLMNOPQRS'.slice(0, 1 + ((i * 7) % 19)),
      phonemes: Array.from({ length: 1 + ((i * 5) % 17) }, () => 'AA'),
    }));
    const epoch = (seed: number): { words: string[]; widths: number[][]; longest: number[] } => {
      const words: string[] = [];
      const widths: number[][] = [];
      const longest: number[] = [];
      for (const b of g2pBatches(entries, 16, true)({ epoch: 0, rng: rng(seed) })) {
        const { source, target } = b.x as Record<string, tf.Tensor>;
        const src = source!.arraySync() as number[][];
        src.forEach((row) => words.push(row.filter((id) => id !== PAD).length + ':' + row.length));
        longest.push(Math.max(...src.map((row) => row.filter((id) => id !== PAD).length)));
        widths.push([source!.shape[1]!, target!.shape[1]!, (b.y as tf.Tensor).shape[1]!]);
        tf.dispose([source!, target!, b.y as tf.Tensor]);
      }
      return { words, widths, longest };
    };
    const a = epoch(1);
    expect(a.words).toHaveLength(200);
    a.widths.forEach(([s, t, y], i) => {
      expect(s! % 4 === 0 || s === 20).toBe(true);
      expect(s!).toBeGreaterThanOrEqual(a.longest[i]!);
      expect(s! - a.longest[i]!).toBeLessThan(4);
      expect(t).toBe(y);
    });
    expect(new Set(a.widths.map((w) => w[0])).size).toBeGreaterThan(1); // not one padded shape
    expect(epoch(1).words).toEqual(a.words);
    expect(epoch(2).words).not.toEqual(a.words);
  });
});

describe('g2p figures', () => {
  it('counts a word right when it matches any pronunciation and scores errors against the closest one', () => {
    const words = [
      { word: 'EITHER', pronunciations: [['IY', 'DH', 'ER'], ['AY', 'DH', 'ER']] },
      { word: 'CAT', pronunciations: [['K', 'AE', 'T']] },
      { word: 'DOG', pronunciations: [['D', 'AO', 'G']] },
    ];
    // EITHER matches its alternate (0 edits); CAT: AE→AH (1 edit); DOG → Z D AO: Z inserted, G deleted (2 edits).
    const figures = g2pFigures(words, [['AY', 'DH', 'ER'], ['K', 'AH', 'T'], ['Z', 'D', 'AO']], 4);
    expect(figures.per).toBeCloseTo(3 / 9, 12);
    expect(figures.wer).toBeCloseTo(2 / 3, 12);
    expect(figures.wordsWithAlternates).toBe(1);
    expect(figures.phonemes).toBe(9);
    expect(figures.confusions).toEqual([
      { from: '-', to: 'Z', count: 1 },
      { from: 'AE', to: 'AH', count: 1 },
      { from: 'G', to: '-', count: 1 },
    ]);
  });

  it('aligns with the fewest edits', () => {
    expect(alignmentErrors(['K', 'AE', 'T'], ['K', 'AE', 'T'])).toEqual([]);
    expect(alignmentErrors(['S', 'IH', 'T'], ['S', 'IH', 'T', 'IH', 'NG'])).toEqual([{ from: '-', to: 'IH' }, { from: '-', to: 'NG' }]);
    expect(alignmentErrors(['K', 'IH', 'T', 'AH', 'N'], ['S', 'IH', 'T', 'IH', 'NG']).length).toBe(3);
  });
});

describe('sequence g2p', () => {
  it('trains (the loss falls), writes the run folder, reproduces its figures and predicts', async () => {
    const dir = join(root, 'transformer');
    const flags = { model: 'transformer', width: 32, layers: 1, epochs: 3, batchSize: 32, lr: 3e-3, beam: 2, limit: 160, backend: 'wasm', seed: 3 } as const;
    const { figures } = await trainG2P({ ...flags, out: dir });
    for (const file of ['config.json', 'model.safetensors', 'log.jsonl', 'metrics.json', 'report.html']) expect(existsSync(join(dir, file)), file).toBe(true);
    expect(existsSync(join(dir, 'checkpoints'))).toBe(true);
    const epochs = (await readFile(join(dir, 'log.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; loss: number })
      .filter((r) => r.type === 'epoch');
    expect(epochs).toHaveLength(3);
    expect(epochs.at(-1)!.loss).toBeLessThan(epochs[0]!.loss);
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html.match(/<svg[\s>]/g)!.length).toBe(html.match(/<\/svg>/g)!.length);
    for (const title of ['Sample predictions', 'Most frequent confusions', 'counts as right when the prediction equals any of them']) expect(html).toContain(title);
    expect(figures.per).toBeGreaterThan(0);
    const again = await evaluateG2P({ run: dir, backend: 'wasm' });
    expect(again.reproduced).toBe(true);
    expect(again.figures).toEqual(figures);
    const [a, b] = await predictG2P({ words: ['cat', "o'neil"], run: dir, beam: 2, backend: 'wasm' });
    for (const phonemes of [a!, b!]) for (const p of phonemes) expect(encodePhonemes([p])).toHaveLength(1);
    expect(tf.memory().numTensors).toBe(0); // batches, decoder states and loaded weights all released
    // Resume: the folder's own settings with one more epoch continue from the last checkpoint.
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { epochs: number };
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...config, epochs: 4 }));
    await trainG2P({ ...flags, out: undefined, resume: dir });
    const log = (await readFile(join(dir, 'log.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string; epoch: number });
    expect(log.filter((r) => r.type === 'epoch').map((r) => r.epoch)).toEqual([0, 1, 2, 3]);
  }, 180_000);

  it('trains the LSTM with attention the same way, and its beam search reproduces', async () => {
    const dir = join(root, 'lstm');
    const { figures } = await trainG2P({ model: 'lstm', width: 16, layers: 1, epochs: 2, batchSize: 32, lr: 1e-2, beam: 2, limit: 80, backend: 'wasm', seed: 5, out: dir });
    const epochs = (await readFile(join(dir, 'log.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string; loss: number }).filter((r) => r.type === 'epoch');
    expect(epochs.at(-1)!.loss).toBeLessThan(epochs[0]!.loss);
    const again = await evaluateG2P({ run: dir, backend: 'wasm' });
    expect(again.figures).toEqual(figures);
    expect(tf.memory().numTensors).toBe(0);
  }, 180_000);
});

describe('the g2p command line', () => {
  it('rejects a bad value or word with one line and exit code 2, and lists the defaults', async () => {
    const cli = join(import.meta.dirname, '..', 'cli.ts');
    const bad = (await run(process.execPath, ['--import', 'tsx', cli, 'g2p', 'train', '--model', 'gru']).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe("sequence: option '--model <name>' argument 'gru' is invalid. expected one of transformer, lstm.");
    const word = (await run(process.execPath, ['--import', 'tsx', cli, 'g2p', 'predict', 'r2d2', '--run', root]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(word.code).toBe(2);
    expect(word.stderr.trim()).toBe("sequence: g2p: word 'r2d2' expected only the letters A–Z and apostrophes, got '2'");
    const { stdout } = await run(process.execPath, ['--import', 'tsx', cli, 'g2p', 'train', '--help']);
    for (const flag of ['--model', '--width', '--layers', '--epochs', '--batch-size', '--lr', '--beam', '--backend', '--seed', '--out', '--resume']) expect(stdout).toContain(flag);
    expect(stdout).toContain('(default: "transformer")');
  }, 60_000);
});
