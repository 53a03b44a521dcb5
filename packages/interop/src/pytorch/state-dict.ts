import { ConfigError, DTypeError, ShapeError, TensorloomError, formatShape, readSafetensors, tf, writeSafetensors } from '@tensorloom/core';
import type { SafetensorsValue } from '@tensorloom/core';
import { CHILD_NAMES, PYTORCH_RULES } from './rules.js';
import type { Module } from '@tensorloom/layers';
import type { AnyModule, PyTorchRule } from './rules.js';

/**
 * Options of the PyTorch state-dict functions.
 *
 * @example
 * ```ts
 * const options: PyTorchOptions = { names: { conv1: 'features.0', fc: 'classifier.1' } };
 * ```
 */
export interface PyTorchOptions {
  /**
   * PyTorch module paths for our module paths, as data: `{ 'dense': '0', 'dense_1': '2' }`
   * maps the keys of a Sequential to an `nn.Sequential`'s indices. A path not listed keeps
   * its name (children follow their parent: `block1.conv` under `{ block1: 'layer1.0' }` is
   * `layer1.0.conv`).
   */
  names?: Record<string, string>;
  /** A name for the state dict (usually its file), used in error messages. */
  source?: string;
}

interface Site {
  /** Our module path (`''` for the root). */
  path: string;
  /** Its PyTorch module path. */
  torchPath: string;
  layer: AnyModule;
  rule: PyTorchRule;
}

const join = (a: string, b: string): string => (a === '' ? b : b === '' ? a : `${a}.${b}`);

/** Every module with a rule, with its PyTorch path; a module with parameters and no rule is an error. */
function sites(model: AnyModule, options: PyTorchOptions, unit: string): Site[] {
  const found: Site[] = [];
  const visit = (m: AnyModule, path: string, torchPath: string): void => {
    const rule = PYTORCH_RULES.find((r) => m.constructor === r.ours);
    if (rule !== undefined) {
      const why = rule.incompatible?.(m) ?? null;
      if (why !== null) throw new ConfigError(`${unit}: layer '${path}' (${m.className}) has no PyTorch equivalent: ${why}`);
      found.push({ path, torchPath, layer: m, rule });
      return;
    }
    const renames = CHILD_NAMES.find(([cls]) => m instanceof cls)?.[1] ?? {};
    const children = m.namedChildren();
    if (children.size === 0 && Object.keys(m.state()).length > 0) {
      throw new ConfigError(`${unit}: layer '${path}' (${m.className}) has no PyTorch mapping`, {
        help: `layers with a mapping: ${PYTORCH_RULES.map((r) => `${r.ours.name} (${r.torchClass})`).join(', ')}`,
      });
    }
    for (const [key, child] of children) {
      const childPath = join(path, key);
      visit(child, childPath, options.names?.[childPath] ?? join(torchPath, renames[key] ?? key));
    }
  };
  visit(model, '', options.names?.[''] ?? '');
  return found;
}

/** A module's state by local names. */
function localState(layer: AnyModule): Record<string, tf.Tensor> {
  return layer.state();
}

/**
 * Our model's state as a PyTorch `state_dict`: PyTorch's names (`fc.weight`, `bn.running_var`,
 * `lstm.weight_ih_l0`, `attn.in_proj_weight`) and layouts (Linear `[out, in]`, Conv OIHW,
 * ConvTranspose IOHW, gates in PyTorch's order), with BatchNorm's `num_batches_tracked` as
 * an I64 zero. Write it with core's `writeSafetensors` and load it in PyTorch with
 * `model.load_state_dict(safetensors.torch.load_file(path), strict=True)`.
 *
 * Mapped: Dense (Linear), Conv1D/Conv2D (Conv1d/2d), Conv2DTranspose (ConvTranspose2d),
 * DepthwiseConv2D (Conv2d with groups), SeparableConv2D (`depthwise` + `pointwise` Conv2d),
 * BatchNorm, LayerNorm, GroupNorm, InstanceNorm (`affine=True`), Embedding, PositionalEmbedding, LSTM, GRU (`resetAfter: true`),
 * SimpleRNN (RNN), Bidirectional (`bidirectional=True`, `_reverse` names), MultiHeadAttention
 * (MultiheadAttention), TransformerEncoderLayer/DecoderLayer, GPTBlock (Hugging Face GPT-2:
 * `attn.c_attn`, `mlp.c_fc`, ...), the model zoo's ResNets and MobileNetV2 (torchvision
 * names) and CausalLM (GPT2Model names), and any
 * Module or Sequential built of them (with `options.names` for PyTorch's module names).
 *
 * @param model - a built model.
 * @param options - PyTorch module names for ours.
 * @returns new tensors by PyTorch name (dispose them), I64 entries as `{ tensor, dtype }`.
 * @throws ConfigError naming a layer with no PyTorch mapping or an incompatible configuration.
 * @example
 * ```ts
 * const dict = toPyTorchStateDict(model, { names: { dense: '0', dense_1: '2' } });
 * const bytes = writeSafetensors(dict);
 * disposeAll(dict);
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function toPyTorchStateDict(model: Module<any, any>, options: PyTorchOptions = {}): Record<string, SafetensorsValue> {
  const unit = 'toPyTorchStateDict';
  if (!model.built) throw new ConfigError(`${unit}: model ${model.label} expected a built model, got an unbuilt one`);
  const out: Record<string, SafetensorsValue> = {};
  try {
    for (const site of sites(model, options, unit)) {
      const torch = site.rule.toTorch(localState(site.layer), site.layer);
      for (const [k, t] of Object.entries(torch)) out[join(site.torchPath, k)] = t;
      for (const k of site.rule.optional ?? []) {
        out[join(site.torchPath, k)] = { tensor: tf.scalar(0, 'int32'), dtype: 'I64' };
      }
    }
  } catch (e) {
    for (const v of Object.values(out)) (v instanceof tf.Tensor ? v : (v as { tensor: tf.Tensor }).tensor).dispose();
    throw e;
  }
  return out;
}

/**
 * Loads a PyTorch `state_dict` (names and layouts as {@link toPyTorchStateDict} writes them)
 * into our built model. Strict and atomic: every PyTorch name must be used and every one of
 * ours found, with the right shapes, or nothing is assigned and the error names the first
 * tensor that is missing, extra or misshapen (in PyTorch's terms).
 *
 * @param model - a built model of the same architecture.
 * @param tensors - PyTorch tensors by name (e.g. `readSafetensors(bytes).tensors`); not disposed.
 * @param options - PyTorch module names for ours, a source name for messages.
 * @throws ShapeError for a missing, extra or misshapen tensor; DTypeError for an integer or
 *   bool tensor where a float one belongs; ConfigError for a layer with no mapping.
 * @example
 * ```ts
 * const { tensors } = readSafetensors(bytes); // saved with safetensors.torch.save_file(model.state_dict(), ...)
 * fromPyTorchStateDict(model, tensors, { names: { dense: '0', dense_1: '2' } });
 * tf.dispose(Object.values(tensors));
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fromPyTorchStateDict(model: Module<any, any>, tensors: Record<string, tf.Tensor>, options: PyTorchOptions = {}): void {
  const unit = `fromPyTorchStateDict '${options.source ?? '<state dict>'}'`;
  if (!model.built) throw new ConfigError(`${unit}: model ${model.label} expected a built model, got an unbuilt one`);
  const found = sites(model, options, unit);
  // What PyTorch's side must look like: the names and shapes our own export would write.
  const expected = new Map<string, readonly number[]>();
  const optional = new Set<string>();
  for (const site of found) {
    const mine = site.rule.toTorch(localState(site.layer), site.layer);
    for (const [k, t] of Object.entries(mine)) expected.set(join(site.torchPath, k), t.shape);
    tf.dispose(Object.values(mine));
    for (const k of site.rule.optional ?? []) optional.add(join(site.torchPath, k));
  }
  for (const [name, shape] of expected) {
    if (!(name in tensors)) {
      throw new ShapeError(`${unit}: tensor '${name}' is missing (expected shape ${formatShape(shape)})`, {
        help: `the state dict has ${Object.keys(tensors).length} tensors, e.g. ${Object.keys(tensors).slice(0, 4).join(', ')}; map module names with options.names`,
      });
    }
    const got = tensors[name]!.shape;
    if (formatShape(got) !== formatShape(shape)) {
      throw new ShapeError(`${unit}: tensor '${name}' expected shape ${formatShape(shape)}, got ${formatShape(got)}`);
    }
    if (tensors[name]!.dtype !== 'float32') {
      throw new DTypeError(`${unit}: tensor '${name}' expected a float dtype (F32, F16, BF16, F64), got ${tensors[name]!.dtype}`);
    }
  }
  const extra = Object.keys(tensors).filter((n) => !expected.has(n) && !optional.has(n));
  if (extra.length > 0) {
    throw new ShapeError(`${unit}: tensor '${extra[0]}' has no counterpart in ${model.label}${extra.length > 1 ? ` (and ${extra.length - 1} more: ${extra.slice(1, 5).join(', ')})` : ''}`);
  }
  const values: Record<string, tf.Tensor> = {};
  try {
    for (const site of found) {
      const prefix = site.torchPath === '' ? '' : `${site.torchPath}.`;
      const local: Record<string, tf.Tensor> = {};
      for (const [name, t] of Object.entries(tensors)) {
        if (name.startsWith(prefix) && expected.has(name)) local[name.slice(prefix.length)] = t;
      }
      const ours = site.rule.fromTorch(local, site.layer);
      for (const [k, t] of Object.entries(ours)) values[join(site.path, k)] = t;
    }
    model.loadState(values);
  } catch (e) {
    if (e instanceof TensorloomError) throw e;
    throw new ConfigError(`${unit}: ${(e as Error).message}`, { cause: e });
  } finally {
    tf.dispose(Object.values(values));
  }
}

/**
 * {@link toPyTorchStateDict} written as safetensors bytes (the tensors are disposed).
 *
 * @param model - a built model.
 * @param options - PyTorch module names; `floatDtype` stores the floats as F16 or BF16.
 * @returns the file's bytes, loadable with `safetensors.torch.load_file`.
 * @example
 * ```ts
 * writeFileSync('model.safetensors', writePyTorchSafetensors(model));
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function writePyTorchSafetensors(model: Module<any, any>, options: PyTorchOptions & { floatDtype?: 'F32' | 'F16' | 'BF16' } = {}): Uint8Array {
  const dict = toPyTorchStateDict(model, options);
  try {
    return writeSafetensors(dict, { format: 'pt' }, options.floatDtype ? { floatDtype: options.floatDtype } : {});
  } finally {
    for (const v of Object.values(dict)) (v instanceof tf.Tensor ? v : (v as { tensor: tf.Tensor }).tensor).dispose();
  }
}

/**
 * Reads PyTorch safetensors bytes and loads them with {@link fromPyTorchStateDict}.
 *
 * @param model - a built model.
 * @param bytes - a `.safetensors` file written by `safetensors.torch.save_file(model.state_dict(), ...)`.
 * @param options - PyTorch module names, a source name for messages.
 * @throws FormatError for bytes that are not safetensors; the errors of `fromPyTorchStateDict`.
 * @example
 * ```ts
 * readPyTorchSafetensors(model, readFileSync('resnet.safetensors'), { source: 'resnet.safetensors' });
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function readPyTorchSafetensors(model: Module<any, any>, bytes: Uint8Array, options: PyTorchOptions = {}): void {
  const { tensors } = readSafetensors(bytes, options.source !== undefined ? { source: options.source } : {});
  try {
    fromPyTorchStateDict(model, tensors, options);
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
