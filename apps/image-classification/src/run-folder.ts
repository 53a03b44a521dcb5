// A run folder: config.json (everything needed to rebuild the run), model.safetensors (the
// final weights), checkpoints/, log.jsonl, metrics.json (the test figures) and report.html.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rng } from '@tensorloom/core';
import type { tf } from '@tensorloom/core';
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
  /** The labels of the data set kept, relabelled 0, 1, … in this order (default all). */
  classes?: number[];
  seed: number;
  /** For a fine-tuned run: the folder of the run it started from, and the labels it used. */
  finetunedFrom?: string;
  labels?: number;
  /**
   * `'autoencoder'`: the folder holds only a backbone pretrained as an autoencoder's encoder
   * (`pretrain-ae`), no head: `finetune --from` takes it, `evaluate` and `predict` cannot.
   */
  pretraining?: 'autoencoder';
  /** For `pretrain-ae --mask`: the share of input pixels zeroed in training. */
  mask?: number;
}

/** Writes the model's state (weights and batch-norm statistics) with the spec in the header. */
export async function saveModel(dir: string, model: Module, spec?: ModelSpec): Promise<void> {
  await saveSafetensors(join(dir, RUN_MODEL), model.state(), spec ? { spec: JSON.stringify(spec) } : undefined);
}

async function readConfig(dir: string): Promise<RunConfig> {
  let text: string;
  try {
    text = await readFile(join(dir, RUN_CONFIG), 'utf8');
  } catch (cause) {
    throw new Error(`run folder '${dir}': no ${RUN_CONFIG} (expected a folder written by 'image-classification train')`, { cause });
  }
  return JSON.parse(text) as RunConfig;
}

/**
 * The saved tensors of a run folder by name, for `finetune`: a classifier's whole state, or
 * the backbone alone for a folder of `pretrain-ae` (the caller keeps what it needs and
 * disposes them).
 */
export async function loadWeights(dir: string): Promise<{ config: RunConfig; tensors: Record<string, tf.Tensor> }> {
  const config = await readConfig(dir);
  const { tensors } = await loadSafetensors(join(dir, RUN_MODEL));
  return { config, tensors };
}

/** Reads a run folder's config and rebuilds its model with the saved weights. */
export async function loadRun(dir: string): Promise<{ config: RunConfig; model: Module }> {
  const config = await readConfig(dir);
  if (config.pretraining === 'autoencoder') {
    throw new Error(`run folder '${dir}': expected a classifier, got an autoencoder-pretrained backbone without a head (use it with 'finetune --from')`);
  }
  const model = buildModel(config.spec, rng(0));
  const { tensors } = await loadSafetensors(join(dir, RUN_MODEL));
  try {
    model.loadState(tensors);
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
  return { config, model };
}
