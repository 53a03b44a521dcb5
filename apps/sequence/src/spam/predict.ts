// `sequence spam predict <file.txt | ->`: the spam probability of a message.
import { readFile } from 'node:fs/promises';
import { selectBackend } from '@tensorloom/app-kit';
import type { BackendFlag } from '@tensorloom/app-kit';
import { encodeMessages } from './data.js';
import { spamProbabilities } from './evaluation.js';
import { loadSpamRun } from './run-folder.js';

async function readText(path: string): Promise<string> {
  if (path !== '-') {
    try {
      return await readFile(path, 'utf8');
    } catch (cause) {
      throw new Error(`predict: no such file '${path}'`, { cause });
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The spam probability of the message in `path` (`-` for standard input). */
export async function predictSpam(flags: { path: string; run: string; backend: BackendFlag }): Promise<number> {
  await selectBackend(flags.backend);
  const { config, tokenizer, model } = await loadSpamRun(flags.run);
  const ids = encodeMessages(tokenizer, [{ text: await readText(flags.path) }], config.spec.maxLen);
  const [p] = spamProbabilities(model, ids, config.spec.maxLen);
  model.dispose();
  return p!;
}
