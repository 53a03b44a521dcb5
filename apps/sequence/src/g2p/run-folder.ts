// A g2p run folder: config.json (settings, model spec), model.safetensors, checkpoints/,
// log.jsonl, metrics.json and report.html.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rng } from '@tensorloom/core';
import { loadSafetensors, saveSafetensors } from '@tensorloom/core/node';
import { buildG2PModel } from './models.js';
import type { G2PModel, G2PModelSpec } from './models.js';

/** What `config.json` of a g2p run holds (the vocabularies are fixed: see data.ts). */
export interface G2PRunConfig {
  spec: G2PModelSpec;
  epochs: number;
  batchSize: number;
  lr: number;
  beam: number;
  limit?: number;
  seed: number;
}

/** Reads config.json of a run folder. */
export async function readG2PConfig(dir: string): Promise<G2PRunConfig> {
  let text: string;
  try {
    text = await readFile(join(dir, 'config.json'), 'utf8');
  } catch (cause) {
    throw new Error(`run folder '${dir}': no config.json (expected a folder written by 'sequence g2p train')`, { cause });
  }
  return JSON.parse(text) as G2PRunConfig;
}

/** Writes model.safetensors. */
export async function saveG2PModel(dir: string, model: G2PModel): Promise<void> {
  await saveSafetensors(join(dir, 'model.safetensors'), model.state());
}

/** Reads a g2p run folder: its config and model with the saved weights. */
export async function loadG2PRun(dir: string): Promise<{ config: G2PRunConfig; model: G2PModel }> {
  const config = await readG2PConfig(dir);
  const model = buildG2PModel(config.spec, rng(0));
  const { tensors } = await loadSafetensors(join(dir, 'model.safetensors'));
  try {
    model.loadState(tensors);
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
  return { config, model };
}

/** Writes config.json. */
export async function writeG2PConfig(dir: string, config: G2PRunConfig): Promise<void> {
  await writeFile(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
}
