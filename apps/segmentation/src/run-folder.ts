// A run folder: config.json (everything needed to rebuild the run), model.safetensors (the
// final weights), checkpoints/, log.jsonl, metrics.json (the test figures) and report.html.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rng } from '@tensorloom/core';
import { loadSafetensors, saveSafetensors } from '@tensorloom/core/node';
import type { UNet } from '@tensorloom/models';
import { buildUNet } from './model.js';
import type { SegmentationSpec } from './model.js';

/** The config file of a run folder. */
export const RUN_CONFIG = 'config.json';
/** The final weights of a run folder. */
export const RUN_MODEL = 'model.safetensors';
/** The test figures of a run folder. */
export const RUN_METRICS = 'metrics.json';

/** What `config.json` holds. */
export interface RunConfig {
  spec: SegmentationSpec;
  /** The name of each mask class, by id. */
  classNames: string[];
  epochs: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  warmupEpochs: number;
  patience: number;
  limit?: number;
  seed: number;
}

/** Writes config.json. */
export async function saveConfig(dir: string, config: RunConfig): Promise<void> {
  await writeFile(join(dir, RUN_CONFIG), `${JSON.stringify(config, null, 2)}\n`);
}

/** Reads a run folder's config.json. */
export async function loadConfig(dir: string): Promise<RunConfig> {
  let text: string;
  try {
    text = await readFile(join(dir, RUN_CONFIG), 'utf8');
  } catch (cause) {
    throw new Error(`run folder '${dir}': no ${RUN_CONFIG} (expected a folder written by 'segmentation train')`, { cause });
  }
  return JSON.parse(text) as RunConfig;
}

/** Writes the model's state (weights and batch-norm statistics) with the spec in the header. */
export async function saveModel(dir: string, model: UNet, spec: SegmentationSpec): Promise<void> {
  await saveSafetensors(join(dir, RUN_MODEL), model.state(), { spec: JSON.stringify(spec) });
}

/** Reads a run folder's config and rebuilds its U-Net with the saved weights. */
export async function loadRun(dir: string): Promise<{ config: RunConfig; model: UNet }> {
  const config = await loadConfig(dir);
  const model = buildUNet(config.spec, rng(0));
  const { tensors } = await loadSafetensors(join(dir, RUN_MODEL));
  try {
    model.loadState(tensors);
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
  return { config, model };
}
