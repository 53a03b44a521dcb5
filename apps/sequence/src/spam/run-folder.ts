// A spam run folder: config.json (settings, model spec, the tokenizer), model.safetensors,
// checkpoints/, log.jsonl, metrics.json and report.html.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rng } from '@tensorloom/core';
import { loadSafetensors, saveSafetensors } from '@tensorloom/core/node';
import type { Tokenizer } from '@tensorloom/data';
import type { TokenizerKind } from './data.js';
import { tokenizerFromJSON } from './data.js';
import { buildSpamModel } from './models.js';
import type { SpamClassifier, SpamModelSpec } from './models.js';

/** What `config.json` of a spam run holds. */
export interface SpamRunConfig {
  spec: SpamModelSpec;
  tokenizer: TokenizerKind;
  tokenizerJSON: unknown;
  epochs: number;
  batchSize: number;
  lr: number;
  limit?: number;
  seed: number;
}

/** Writes config.json (at the start of a run, so `--resume` finds its settings and tokenizer). */
export async function writeSpamConfig(dir: string, config: SpamRunConfig): Promise<void> {
  await writeFile(join(dir, 'config.json'), `${JSON.stringify(config)}\n`);
}

/** Writes config.json and model.safetensors. */
export async function saveSpamRun(dir: string, config: SpamRunConfig, model: SpamClassifier): Promise<void> {
  await writeSpamConfig(dir, config);
  await saveSafetensors(join(dir, 'model.safetensors'), model.state());
}

/** Reads config.json of a spam run folder. */
export async function readSpamConfig(dir: string): Promise<SpamRunConfig> {
  let text: string;
  try {
    text = await readFile(join(dir, 'config.json'), 'utf8');
  } catch (cause) {
    throw new Error(`run folder '${dir}': no config.json (expected a folder written by 'sequence spam train')`, { cause });
  }
  return JSON.parse(text) as SpamRunConfig;
}

/** Reads a spam run folder: its config, tokenizer and model with the saved weights. */
export async function loadSpamRun(dir: string): Promise<{ config: SpamRunConfig; tokenizer: Tokenizer; model: SpamClassifier }> {
  const config = await readSpamConfig(dir);
  const model = buildSpamModel(config.spec, rng(0));
  const { tensors } = await loadSafetensors(join(dir, 'model.safetensors'));
  try {
    model.loadState(tensors);
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
  return { config, tokenizer: tokenizerFromJSON(config.tokenizerJSON), model };
}
