import { FormatError, readSafetensors, tf, writeSafetensors } from '@tensorloom/core';
import type { WeightsEma } from '../ema/ema.js';
import type { Optimizer, OptimizerState } from '../optimizers/optimizer.js';
import type { AnyModule } from '../step/value-and-grads.js';
import { moduleRngState, setModuleRngState } from './module-rng.js';

/** The checkpoint format's name and version, written into `trainer.json`. */
export const CHECKPOINT_FORMAT = 'tensorloom-train-checkpoint';
const VERSION = 1;

/** @internal Everything of a run whose state a checkpoint holds. */
export interface RunParts {
  model: AnyModule;
  /** More modules of a custom step (a GAN's discriminator), by name. */
  modules: Record<string, AnyModule>;
  optimizers: Record<string, Optimizer>;
  ema: WeightsEma | null;
  /** State of the step itself (pending accumulated gradients). */
  stepState: { getState(): OptimizerState; setState(s: OptimizerState): void } | null;
  /** Callbacks with state (`earlyStopping`'s best weights, ...), by a key stable across a resume. */
  callbacks: Record<string, { getState(): OptimizerState }>;
}

/** @internal The files of one checkpoint: the weights, the other tensors, and the JSON last. */
export function snapshot(parts: RunParts, meta: Record<string, unknown>): Record<string, Uint8Array> {
  const owned: tf.Tensor[] = [];
  try {
    const weights: Record<string, tf.Tensor> = { ...parts.model.state() };
    const rngs: Record<string, unknown> = { '': moduleRngState(parts.model) };
    for (const [name, m] of Object.entries(parts.modules)) {
      if (m === parts.model) continue;
      for (const [k, v] of Object.entries(m.state())) weights[`${name}/${k}`] = v;
      rngs[name] = moduleRngState(m);
    }
    const tensors: Record<string, tf.Tensor> = {};
    const optimizerConfigs: Record<string, unknown> = {};
    for (const [name, opt] of Object.entries(parts.optimizers)) {
      const s = opt.getState();
      owned.push(...Object.values(s.tensors));
      for (const [k, v] of Object.entries(s.tensors)) tensors[`optimizer/${name}/${k}`] = v;
      optimizerConfigs[name] = s.config;
    }
    let emaConfig: unknown = null;
    if (parts.ema !== null) {
      const s = parts.ema.getState();
      owned.push(...Object.values(s.tensors));
      for (const [k, v] of Object.entries(s.tensors)) tensors[`ema/${k}`] = v;
      emaConfig = s.config;
    }
    let stepConfig: unknown = null;
    if (parts.stepState !== null) {
      const s = parts.stepState.getState();
      owned.push(...Object.values(s.tensors));
      for (const [k, v] of Object.entries(s.tensors)) tensors[`step/${k}`] = v;
      stepConfig = s.config;
    }
    const callbackConfigs: Record<string, unknown> = {};
    for (const [key, c] of Object.entries(parts.callbacks)) {
      const st = c.getState();
      owned.push(...Object.values(st.tensors));
      for (const [k, v] of Object.entries(st.tensors)) tensors[`callback/${key}/${k}`] = v;
      callbackConfigs[key] = st.config;
    }
    const json = {
      format: CHECKPOINT_FORMAT,
      version: VERSION,
      ...meta,
      moduleRng: rngs,
      optimizers: optimizerConfigs,
      ema: emaConfig,
      step: stepConfig,
      callbacks: callbackConfigs,
    };
    return {
      'model.safetensors': writeSafetensors(weights),
      'state.safetensors': writeSafetensors(tensors),
      'trainer.json': new TextEncoder().encode(JSON.stringify(json, null, 1)),
    };
  } finally {
    tf.dispose(owned);
  }
}

function group(tensors: Record<string, tf.Tensor>, prefix: string): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(tensors)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

/**
 * @internal The callbacks' states of a checkpoint, by key, as copies the caller disposes: fit
 * hands them to the callbacks after `onTrainBegin`, which would otherwise reset them.
 */
export function callbackStates(files: Record<string, Uint8Array>, json: Record<string, unknown>, source: string): Record<string, OptimizerState> {
  const configs = (json['callbacks'] ?? {}) as Record<string, Record<string, unknown>>;
  if (Object.keys(configs).length === 0) return {};
  const tensors = readSafetensors(files['state.safetensors']!, { source: `${source}/state.safetensors` }).tensors;
  const out: Record<string, OptimizerState> = {};
  for (const [key, config] of Object.entries(configs)) out[key] = { tensors: group(tensors, `callback/${key}/`), config };
  const kept = new Set(Object.values(out).flatMap((st) => Object.values(st.tensors)));
  tf.dispose(Object.values(tensors).filter((t) => !kept.has(t)));
  return out;
}

/**
 * @internal Restores a checkpoint into the run's parts and returns its JSON. Everything is read
 * and checked before anything is assigned where the parts allow it (model loadState and the
 * optimizers' strict setState each check first).
 */
export function restore(parts: RunParts, files: Record<string, Uint8Array>, source: string): Record<string, unknown> {
  for (const f of ['model.safetensors', 'state.safetensors', 'trainer.json']) {
    if (files[f] === undefined) throw new FormatError(`checkpoint '${source}': ${f} expected, got no such file`);
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(new TextDecoder().decode(files['trainer.json'])) as Record<string, unknown>;
  } catch (cause) {
    throw new FormatError(`checkpoint '${source}': trainer.json expected JSON, got unreadable text`, { cause });
  }
  if (json['format'] !== CHECKPOINT_FORMAT || json['version'] !== VERSION) {
    throw new FormatError(`checkpoint '${source}': trainer.json expected format ${CHECKPOINT_FORMAT} v${VERSION}, got ${String(json['format'])} v${String(json['version'])}`);
  }
  const weights = readSafetensors(files['model.safetensors']!, { source: `${source}/model.safetensors` }).tensors;
  let tensors: Record<string, tf.Tensor> = {};
  try {
    tensors = readSafetensors(files['state.safetensors']!, { source: `${source}/state.safetensors` }).tensors;
    const main: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(weights)) if (!k.includes('/')) main[k] = v;
    parts.model.loadState(main);
    const rngs = (json['moduleRng'] ?? {}) as Record<string, Record<string, number[] | null>>;
    setModuleRngState(parts.model, rngs[''] ?? {});
    for (const [name, m] of Object.entries(parts.modules)) {
      if (m === parts.model) continue;
      m.loadState(group(weights, `${name}/`));
      setModuleRngState(m, rngs[name] ?? {});
    }
    const configs = (json['optimizers'] ?? {}) as Record<string, Record<string, unknown>>;
    for (const [name, opt] of Object.entries(parts.optimizers)) {
      const config = configs[name];
      if (config === undefined) throw new FormatError(`checkpoint '${source}': optimizer '${name}' expected in the checkpoint, got none`);
      opt.setState({ tensors: group(tensors, `optimizer/${name}/`), config }, { strict: true });
    }
    if (parts.ema !== null) {
      if (json['ema'] === null || json['ema'] === undefined) throw new FormatError(`checkpoint '${source}': ema state expected, got none`);
      parts.ema.setState({ tensors: group(tensors, 'ema/'), config: json['ema'] as Record<string, unknown> });
    }
    if (parts.stepState !== null && json['step'] !== null && json['step'] !== undefined) {
      parts.stepState.setState({ tensors: group(tensors, 'step/'), config: json['step'] as Record<string, unknown> });
    }
  } finally {
    tf.dispose(Object.values(weights));
    tf.dispose(Object.values(tensors));
  }
  return json;
}
