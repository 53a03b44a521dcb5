// A run folder: config.json (everything needed to rebuild the run), model.safetensors (the
// final weights), checkpoints/, log.jsonl, metrics.json (the test figures) and report.html.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rng } from '@tensorloom/core';
import { loadSafetensors, saveSafetensors } from '@tensorloom/core/node';
import type { Module } from '@tensorloom/layers';
import { buildModel } from './architectures.js';
import type { ModelSpec } from './architectures.js';
import type { DatasetName } from './data.js';

/** The config file of a run folder. */
export const RUN_CONFIG = 'config.json';
/** The final weights of a run folder. */
export const RUN_MODEL = 'model.safetensors';
/** The test figures of a run folder. */
export const RUN_METRICS = 'metrics.json';

/** What `config.json` holds. */
export interface RunConfig {
  dataset: DatasetName;
  spec: ModelSpec;
  /** The name of each class, by label. */
  classNames: string[];
  epochs: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  warmupEpochs: number;
  patience: number;
  limit?: number;
  seed: number;
  /** For a fine-tuned run: the folder of the run it started from, and the labels it used. */
  finetunedFrom?: string;
  labels?: number;
}

/** Writes the model's state (weights and batch-norm statistics) with the spec in the header. */
export async function saveModel(dir: string, model: Module, spec?: ModelSpec): Promise<void> {
  await saveSafetensors(join(dir, RUN_MODEL), model.state(), spec ? { spec: JSON.stringify(spec) } : undefined);
}

/** Reads a run folder's config and rebuilds its model with the saved weights. */
export async function loadRun(dir: string): Promise<{ config: RunConfig; model: Module }> {
  let text: string;
  try {
    text = await readFile(join(dir, RUN_CONFIG), 'utf8');
  } catch (cause) {
    throw new Error(`run folder '${dir}': no ${RUN_CONFIG} (expected a folder written by 'image-classification train')`, { cause });
  }
  const config = JSON.parse(text) as RunConfig;
  const model = buildModel(config.spec, rng(0));
  const { tensors } = await loadSafetensors(join(dir, RUN_MODEL));
  try {
    model.loadState(tensors);
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
  return { config, model };
}
