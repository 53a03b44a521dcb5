// Decoding and the g2p figures: PER and WER against the closest of a word's pronunciations,
// the most frequent phoneme confusions (from an edit-distance alignment), sample predictions.
import { htmlTable } from '@tensorloom/app-kit';
import type { ReportSection } from '@tensorloom/app-kit';
import { beamSearch } from '@tensorloom/models';
import type { IncrementalDecoder } from '@tensorloom/models';
import { editDistance, per } from '@tensorloom/metrics';
import { BOS, EOS, decodePhonemes, encodeWord, padRows } from './data.js';
import type { G2PWord } from './data.js';
import type { G2PModel } from './models.js';

/** Beam-search pronunciations of words, `batchSize` words at a time (the decoder is cached). */
export function predictPhonemes(model: G2PModel, words: readonly string[], beamWidth: number, batchSize = 128): string[][] {
  const out: string[][] = [];
  for (let start = 0; start < words.length; start += batchSize) {
    const chunk = words.slice(start, start + batchSize).map(encodeWord);
    const source = padRows(chunk);
    try {
      // No CMUdict pronunciation has more than a few phonemes beyond its letter count.
      const maxLength = Math.max(...chunk.map((w) => w.length)) + 6;
      const decoder: IncrementalDecoder<unknown> = model.decoder(source) as IncrementalDecoder<unknown>;
      const beams = beamSearch(decoder, { prompts: chunk.map(() => [BOS]), beamWidth, maxLength, endToken: EOS });
      for (const row of beams) out.push(decodePhonemes(row[0]!.tokens));
    } finally {
      source.dispose();
    }
  }
  return out;
}

/** One phoneme confusion: `from` (reference) → `to` (prediction); `-` is an insertion or a deletion. */
export interface Confusion {
  from: string;
  to: string;
  count: number;
}

/** What `evaluate` prints and `metrics.json` keeps. */
export interface G2PFigures {
  /** Test words. */
  words: number;
  /** Of them, words with more than one pronunciation. */
  wordsWithAlternates: number;
  /** Phonemes of the closest references (PER's denominator). */
  phonemes: number;
  /** Phoneme error rate: Σ edit distance / Σ reference length. */
  per: number;
  /** Word error rate: the share of words whose prediction equals none of their pronunciations. */
  wer: number;
  beamWidth: number;
  /** The 20 most frequent confusions. */
  confusions: Confusion[];
}

/** The reference of `word` closest to `predicted` (fewest edits; the main one on ties). */
export function closestReference(word: G2PWord, predicted: readonly string[]): string[] {
  let best = word.pronunciations[0]!;
  let bestDistance = Infinity;
  for (const ref of word.pronunciations) {
    const d = editDistance.compute([ref], [predicted]);
    if (d < bestDistance) [best, bestDistance] = [ref, d];
  }
  return best;
}

/** The edit operations of a minimal alignment of `ref` to `hyp` (substitutions, deletions, insertions; matches left out). */
export function alignmentErrors(ref: readonly string[], hyp: readonly string[]): { from: string; to: string }[] {
  const n = ref.length;
  const m = hyp.length;
  const d = Array.from({ length: n + 1 }, (_, i) => Array.from({ length: m + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    }
  }
  const ops: { from: string; to: string }[] = [];
  let [i, j] = [n, m];
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && d[i]![j] === d[i - 1]![j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1)) {
      if (ref[i - 1] !== hyp[j - 1]) ops.push({ from: ref[i - 1]!, to: hyp[j - 1]! });
      i--;
      j--;
    } else if (i > 0 && d[i]![j] === d[i - 1]![j]! + 1) {
      ops.push({ from: ref[i - 1]!, to: '-' });
      i--;
    } else {
      ops.push({ from: '-', to: hyp[j - 1]! });
      j--;
    }
  }
  return ops.reverse();
}

/** PER, WER and confusions of predictions against the test words (a prediction is right if it equals any pronunciation). */
export function g2pFigures(words: readonly G2PWord[], predictions: readonly string[][], beamWidth: number): G2PFigures {
  const refs = words.map((w, i) => closestReference(w, predictions[i]!));
  const counts = new Map<string, number>();
  let wrong = 0;
  refs.forEach((ref, i) => {
    const errors = alignmentErrors(ref, predictions[i]!);
    if (errors.length > 0) wrong++;
    for (const e of errors) counts.set(`${e.from} ${e.to}`, (counts.get(`${e.from} ${e.to}`) ?? 0) + 1);
  });
  const confusions = [...counts.entries()]
    .map(([key, count]) => {
      const [from, to] = key.split(' ') as [string, string];
      return { from, to, count };
    })
    .sort((a, b) => b.count - a.count || (a.from + a.to < b.from + b.to ? -1 : 1))
    .slice(0, 20);
  return {
    words: words.length,
    wordsWithAlternates: words.filter((w) => w.pronunciations.length > 1).length,
    phonemes: refs.reduce((s, r) => s + r.length, 0),
    per: per.compute(refs, predictions),
    wer: wrong / words.length,
    beamWidth,
    confusions,
  };
}

const MULTIPLE =
  'A word with several pronunciations in the dictionary counts as right when the prediction equals any of them; ' +
  'its phoneme errors are counted against the closest one.';

/** The report's test sections: the figures, sample predictions and the most frequent confusions. */
export function g2pSections(words: readonly G2PWord[], predictions: readonly string[][], figures: G2PFigures): ReportSection[] {
  const samples = words.slice(0, 25).map((w, i) => {
    const ref = closestReference(w, predictions[i]!);
    return [
      w.word.toLowerCase(),
      w.pronunciations.map((p) => p.join(' ')).join(' | '),
      predictions[i]!.join(' '),
      String(editDistance.compute([ref], [predictions[i]!])),
    ];
  });
  return [
    {
      title: 'Test figures',
      note: `PER is the phoneme edit distance over the reference length; WER the share of words not exactly right. ${MULTIPLE}`,
      html: htmlTable([
        ['PER', 'WER', 'words', 'with alternates', 'reference phonemes', 'beam'],
        [figures.per, figures.wer, String(figures.words), String(figures.wordsWithAlternates), String(figures.phonemes), String(figures.beamWidth)],
      ]),
    },
    {
      title: 'Sample predictions',
      note: 'The first 25 test words (the split is shuffled); pronunciations separated by |; edits to the closest one.',
      html: htmlTable([['word', 'dictionary', 'predicted', 'edits'], ...samples]),
    },
    {
      title: 'Most frequent confusions',
      note: 'From a minimal edit-distance alignment of each prediction to its closest reference; - marks a deleted (or inserted) phoneme.',
      html: htmlTable([['reference', 'predicted', 'count'], ...figures.confusions.map((c) => [c.from, c.to, String(c.count)])]),
    },
  ];
}
