// `sequence g2p predict <word…> --run <folder>`: the phonemes of each word, by beam search.
import { selectBackend } from '@tensorloom/app-kit';
import type { BackendFlag } from '@tensorloom/app-kit';
import { encodeWord } from './data.js';
import { predictPhonemes } from './evaluation.js';
import { loadG2PRun } from './run-folder.js';

/** The predicted ARPAbet phonemes (stress stripped) of each word. */
export async function predictG2P(flags: { words: string[]; run: string; beam: number; backend: BackendFlag }): Promise<string[][]> {
  for (const w of flags.words) encodeWord(w); // a bad word fails before the model loads
  await selectBackend(flags.backend);
  const { model } = await loadG2PRun(flags.run);
  try {
    return predictPhonemes(model, flags.words, flags.beam);
  } finally {
    model.dispose();
  }
}
