// How each layer's parameters correspond to PyTorch's state_dict entries: names and layouts.
// A rule is data where it can be (a parameter, its PyTorch name, a permutation); the
// recurrent and attention layers, whose tensors split or merge, have small functions.
import { tf } from '@tensorloom/core';
import {
  BatchNorm, Bidirectional, Conv1D, Conv2D, Conv2DTranspose, Dense, DepthwiseConv2D, Embedding, GroupNorm, GRU, InstanceNorm, LayerNorm, LSTM, MultiHeadAttention,
  PositionalEmbedding, SeparableConv2D, SimpleRNN, TransformerDecoderLayer, TransformerEncoderLayer,
} from '@tensorloom/layers';
import { GPTBlock } from '@tensorloom/models';
import type { Module } from '@tensorloom/layers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = Module<any, any>;

/** One layer's mapping: PyTorch tensors from our state and back, by local names. */
export interface PyTorchRule {
  /** Our class. */
  ours: abstract new (...args: never[]) => AnyModule;
  /** PyTorch's module class, for docs and messages. */
  torchClass: string;
  /** PyTorch tensors (local names) from our state (local names). New tensors. */
  toTorch(state: Record<string, tf.Tensor>, layer: AnyModule): Record<string, tf.Tensor>;
  /** Our state (local names) from PyTorch tensors (local names). New tensors. */
  fromTorch(torch: Record<string, tf.Tensor>, layer: AnyModule): Record<string, tf.Tensor>;
  /** PyTorch names that are read but not needed (e.g. `num_batches_tracked`). */
  optional?: readonly string[];
  /** Why this layer's configuration has no PyTorch equivalent, or `null`. */
  incompatible?(layer: AnyModule): string | null;
}

/** A one-to-one parameter: our name, PyTorch's name, and our → PyTorch permutation (or none). */
type Param = readonly [ours: string, torch: string, perm: readonly number[] | null];

const inverse = (perm: readonly number[]): number[] => perm.map((_, i) => perm.indexOf(i));

/** A rule of one-to-one parameters: each transposed by `perm` (ours → PyTorch). */
function simple(ours: PyTorchRule['ours'], torchClass: string, params: readonly Param[], optional?: readonly string[]): PyTorchRule {
  return {
    ours, torchClass, ...(optional ? { optional } : {}),
    toTorch: (state) => Object.fromEntries(params.filter(([o]) => o in state).map(([o, t, perm]) => [t, perm ? tf.transpose(state[o]!, [...perm]) : state[o]!.clone()])),
    fromTorch: (torch) => Object.fromEntries(params.filter(([, t]) => t in torch).map(([o, t, perm]) => [o, perm ? tf.transpose(torch[t]!, inverse(perm)) : torch[t]!.clone()])),
  };
}

/** Reorders the `gates` column blocks of `[rows, gates·units]` (last axis). */
function reorderGates(t: tf.Tensor, order: readonly number[]): tf.Tensor {
  const blocks = tf.split(t, order.length, -1);
  const out = tf.concat(order.map((i) => blocks[i]!), -1);
  tf.dispose(blocks);
  return out;
}

/**
 * Recurrent layers. PyTorch: `weight_ih_l0` `[gates·H, in]`, `weight_hh_l0` `[gates·H, H]`,
 * `bias_ih_l0`, `bias_hh_l0`. LSTM gates i, f, g, o = Keras' i, f, c, o. GRU: PyTorch r, z, n
 * against our z, r, h, and PyTorch's candidate is our `resetAfter` form with two biases.
 */
function recurrentRule(ours: PyTorchRule['ours'], torchClass: string, order: readonly number[]): PyTorchRule {
  return {
    ours, torchClass,
    toTorch: (s) => tf.tidy(() => {
      const out: Record<string, tf.Tensor> = {
        weight_ih_l0: tf.transpose(reorderGates(s.kernel!, order)),
        weight_hh_l0: tf.transpose(reorderGates(s.recurrentKernel!, order)),
      };
      if (s.bias !== undefined) {
        if (s.bias.rank === 2) {
          const [bi, bh] = tf.unstack(s.bias);
          out.bias_ih_l0 = reorderGates(bi!, order);
          out.bias_hh_l0 = reorderGates(bh!, order);
        } else {
          out.bias_ih_l0 = reorderGates(s.bias, order);
          out.bias_hh_l0 = tf.zerosLike(s.bias);
        }
      }
      return out;
    }),
    fromTorch: (t, layer) => tf.tidy(() => {
      const back = inverse(order);
      const out: Record<string, tf.Tensor> = {
        kernel: reorderGates(tf.transpose(t.weight_ih_l0!), back),
        recurrentKernel: reorderGates(tf.transpose(t.weight_hh_l0!), back),
      };
      if (t.bias_ih_l0 !== undefined && t.bias_hh_l0 !== undefined) {
        const bi = reorderGates(t.bias_ih_l0, back);
        const bh = reorderGates(t.bias_hh_l0, back);
        // GRU keeps both biases (resetAfter); LSTM and RNN add them, as they always meet.
        out.bias = layer instanceof GRU ? tf.stack([bi, bh]) : tf.add(bi, bh);
      }
      return out;
    }),
  };
}

/** Our four `[E, H, D]` / `[H, D, E]` projections ↔ PyTorch's packed `in_proj_weight` and `out_proj`. */
const attentionRule: PyTorchRule = {
  ours: MultiHeadAttention,
  torchClass: 'MultiheadAttention',
  toTorch: (s) => tf.tidy(() => {
    const [e, h, d] = s['query.kernel']!.shape as [number, number, number];
    const w = (name: string): tf.Tensor => tf.transpose(tf.reshape(s[`${name}.kernel`]!, [e, h * d])); // (H·D, E)
    const out: Record<string, tf.Tensor> = {
      in_proj_weight: tf.concat([w('query'), w('key'), w('value')], 0), // (3E, E)
      'out_proj.weight': tf.transpose(tf.reshape(s['output.kernel']!, [h * d, -1])), // (E, H·D)
    };
    if (s['query.bias'] !== undefined) {
      out.in_proj_bias = tf.concat(['query', 'key', 'value'].map((n) => tf.reshape(s[`${n}.bias`]!, [h * d])), 0);
      out['out_proj.bias'] = s['output.bias']!.clone();
    }
    return out;
  }),
  fromTorch: (t, layer) => tf.tidy(() => {
    const mha = layer as MultiHeadAttention;
    const [e, h, d] = mha.query!.kernel!.shape as [number, number, number];
    const [wq, wk, wv] = tf.split(t.in_proj_weight!, 3, 0);
    const out: Record<string, tf.Tensor> = {
      'query.kernel': tf.reshape(tf.transpose(wq!), [e, h, d]),
      'key.kernel': tf.reshape(tf.transpose(wk!), [e, h, d]),
      'value.kernel': tf.reshape(tf.transpose(wv!), [e, h, d]),
      'output.kernel': tf.reshape(tf.transpose(t['out_proj.weight']!), [h, d, -1]),
    };
    if (t.in_proj_bias !== undefined) {
      const [bq, bk, bv] = tf.split(t.in_proj_bias, 3, 0);
      out['query.bias'] = tf.reshape(bq!, [h, d]);
      out['key.bias'] = tf.reshape(bk!, [h, d]);
      out['value.bias'] = tf.reshape(bv!, [h, d]);
      out['output.bias'] = t['out_proj.bias']!.clone();
    }
    return out;
  }),
};

/**
 * A GPT-2 block as Hugging Face's GPT2Model names it: `ln_1`, `attn.c_attn` (a Conv1D:
 * weight `[in, out]`, the query, key and value projections side by side), `attn.c_proj`,
 * `ln_2`, `mlp.c_fc`, `mlp.c_proj`.
 */
const gpt2BlockRule: PyTorchRule = {
  ours: GPTBlock,
  torchClass: 'GPT2Block (Hugging Face)',
  toTorch: (s) => tf.tidy(() => {
    const [e, h, d] = s['attn.query.kernel']!.shape as [number, number, number];
    const out: Record<string, tf.Tensor> = {
      'ln_1.weight': s['ln_1.gamma']!.clone(), 'ln_1.bias': s['ln_1.beta']!.clone(),
      'ln_2.weight': s['ln_2.gamma']!.clone(), 'ln_2.bias': s['ln_2.beta']!.clone(),
      'attn.c_attn.weight': tf.concat(['query', 'key', 'value'].map((n) => tf.reshape(s[`attn.${n}.kernel`]!, [e, h * d])), 1), // (E, 3·H·D)
      'attn.c_attn.bias': tf.concat(['query', 'key', 'value'].map((n) => tf.reshape(s[`attn.${n}.bias`]!, [h * d])), 0),
      'attn.c_proj.weight': tf.reshape(s['attn.output.kernel']!, [h * d, -1]), // (H·D, E)
      'attn.c_proj.bias': s['attn.output.bias']!.clone(),
      'mlp.c_fc.weight': s['fc.kernel']!.clone(), 'mlp.c_fc.bias': s['fc.bias']!.clone(),
      'mlp.c_proj.weight': s['proj.kernel']!.clone(), 'mlp.c_proj.bias': s['proj.bias']!.clone(),
    };
    return out;
  }),
  fromTorch: (t, layer) => tf.tidy(() => {
    const block = layer as GPTBlock;
    const [e, h, d] = block.attention!.query!.kernel!.shape as [number, number, number];
    const [wq, wk, wv] = tf.split(t['attn.c_attn.weight']!, 3, 1);
    const [bq, bk, bv] = tf.split(t['attn.c_attn.bias']!, 3, 0);
    return {
      'ln_1.gamma': t['ln_1.weight']!.clone(), 'ln_1.beta': t['ln_1.bias']!.clone(),
      'ln_2.gamma': t['ln_2.weight']!.clone(), 'ln_2.beta': t['ln_2.bias']!.clone(),
      'attn.query.kernel': tf.reshape(wq!, [e, h, d]), 'attn.key.kernel': tf.reshape(wk!, [e, h, d]), 'attn.value.kernel': tf.reshape(wv!, [e, h, d]),
      'attn.query.bias': tf.reshape(bq!, [h, d]), 'attn.key.bias': tf.reshape(bk!, [h, d]), 'attn.value.bias': tf.reshape(bv!, [h, d]),
      'attn.output.kernel': tf.reshape(t['attn.c_proj.weight']!, [h, d, -1]), 'attn.output.bias': t['attn.c_proj.bias']!.clone(),
      'fc.kernel': t['mlp.c_fc.weight']!.clone(), 'fc.bias': t['mlp.c_fc.bias']!.clone(),
      'proj.kernel': t['mlp.c_proj.weight']!.clone(), 'proj.bias': t['mlp.c_proj.bias']!.clone(),
    };
  }),
};

/** The sub-state of `prefix.` with the prefix removed. */
const under = (state: Record<string, tf.Tensor>, prefix: string): Record<string, tf.Tensor> =>
  Object.fromEntries(Object.entries(state).filter(([k]) => k.startsWith(`${prefix}.`)).map(([k, v]) => [k.slice(prefix.length + 1), v]));

/**
 * Bidirectional LSTM/GRU/RNN ↔ PyTorch's `bidirectional=True`: the forward layer's tensors
 * as `weight_ih_l0` …, the backward layer's with the `_reverse` suffix; outputs concatenated.
 */
const bidirectionalRule: PyTorchRule = {
  ours: Bidirectional,
  torchClass: 'LSTM/GRU/RNN(bidirectional=True)',
  incompatible: (layer) => {
    const b = layer as Bidirectional;
    if (b.mergeMode !== 'concat') return `PyTorch concatenates the directions; mergeMode '${String(b.mergeMode)}' has no equivalent`;
    if (b.forwardLayer.constructor !== b.backwardLayer.constructor) return 'both directions must be the same class';
    return innerRule(b).incompatible?.(b.forwardLayer) ?? innerRule(b).incompatible?.(b.backwardLayer) ?? null;
  },
  toTorch: (s, layer) => {
    const rule = innerRule(layer as Bidirectional);
    const fw = rule.toTorch(under(s, 'forward'), (layer as Bidirectional).forwardLayer);
    const bw = rule.toTorch(under(s, 'backward'), (layer as Bidirectional).backwardLayer);
    return { ...fw, ...Object.fromEntries(Object.entries(bw).map(([k, v]) => [`${k}_reverse`, v])) };
  },
  fromTorch: (t, layer) => {
    const rule = innerRule(layer as Bidirectional);
    const fw = rule.fromTorch(Object.fromEntries(Object.entries(t).filter(([k]) => !k.endsWith('_reverse'))), (layer as Bidirectional).forwardLayer);
    const bw = rule.fromTorch(
      Object.fromEntries(Object.entries(t).filter(([k]) => k.endsWith('_reverse')).map(([k, v]) => [k.slice(0, -'_reverse'.length), v])),
      (layer as Bidirectional).backwardLayer,
    );
    return {
      ...Object.fromEntries(Object.entries(fw).map(([k, v]) => [`forward.${k}`, v])),
      ...Object.fromEntries(Object.entries(bw).map(([k, v]) => [`backward.${k}`, v])),
    };
  },
};

function innerRule(b: Bidirectional): PyTorchRule {
  return PYTORCH_RULES.find((r) => b.forwardLayer.constructor === r.ours)!;
}

/** Every layer with a standard PyTorch counterpart. */
export const PYTORCH_RULES: readonly PyTorchRule[] = [
  simple(Dense, 'Linear', [['kernel', 'weight', [1, 0]], ['bias', 'bias', null]]),
  simple(Conv1D, 'Conv1d', [['kernel', 'weight', [2, 1, 0]], ['bias', 'bias', null]]),
  simple(Conv2D, 'Conv2d', [['kernel', 'weight', [3, 2, 0, 1]], ['bias', 'bias', null]]),
  simple(Conv2DTranspose, 'ConvTranspose2d', [['kernel', 'weight', [3, 2, 0, 1]], ['bias', 'bias', null]]),
  {
    // A Conv2d with groups = channels: ours [kh, kw, c, m] ↔ PyTorch [c·m, 1, kh, kw].
    ours: DepthwiseConv2D,
    torchClass: 'Conv2d(groups=in_channels)',
    toTorch: (s) => tf.tidy(() => {
      const [kh, kw, c, m] = s.depthwiseKernel!.shape as number[];
      const out: Record<string, tf.Tensor> = { weight: tf.reshape(tf.transpose(s.depthwiseKernel!, [2, 3, 0, 1]), [c! * m!, 1, kh!, kw!]) };
      if (s.bias !== undefined) out.bias = s.bias.clone();
      return out;
    }),
    fromTorch: (t, layer) => tf.tidy(() => {
      const [kh, kw, c, m] = (layer as DepthwiseConv2D).depthwiseKernel!.shape as number[];
      const out: Record<string, tf.Tensor> = { depthwiseKernel: tf.transpose(tf.reshape(t.weight!, [c!, m!, kh!, kw!]), [2, 3, 0, 1]) };
      if (t.bias !== undefined) out.bias = t.bias.clone();
      return out;
    }),
  },
  {
    // PyTorch has no separable conv module; the usual pair is `depthwise` (groups = c, no bias) and `pointwise` (1×1).
    ours: SeparableConv2D,
    torchClass: 'depthwise Conv2d + pointwise Conv2d',
    toTorch: (s) => tf.tidy(() => {
      const [kh, kw, c, m] = s.depthwiseKernel!.shape as number[];
      const out: Record<string, tf.Tensor> = {
        'depthwise.weight': tf.reshape(tf.transpose(s.depthwiseKernel!, [2, 3, 0, 1]), [c! * m!, 1, kh!, kw!]),
        'pointwise.weight': tf.transpose(s.pointwiseKernel!, [3, 2, 0, 1]),
      };
      if (s.bias !== undefined) out['pointwise.bias'] = s.bias.clone();
      return out;
    }),
    fromTorch: (t, layer) => tf.tidy(() => {
      const [kh, kw, c, m] = (layer as SeparableConv2D).depthwiseKernel!.shape as number[];
      const out: Record<string, tf.Tensor> = {
        depthwiseKernel: tf.transpose(tf.reshape(t['depthwise.weight']!, [c!, m!, kh!, kw!]), [2, 3, 0, 1]),
        pointwiseKernel: tf.transpose(t['pointwise.weight']!, [2, 3, 1, 0]),
      };
      if (t['pointwise.bias'] !== undefined) out.bias = t['pointwise.bias'].clone();
      return out;
    }),
  },
  simple(BatchNorm, 'BatchNorm1d/2d', [
    ['gamma', 'weight', null], ['beta', 'bias', null], ['movingMean', 'running_mean', null], ['movingVariance', 'running_var', null],
  ], ['num_batches_tracked']),
  simple(LayerNorm, 'LayerNorm', [['gamma', 'weight', null], ['beta', 'bias', null]]),
  simple(GroupNorm, 'GroupNorm', [['gamma', 'weight', null], ['beta', 'bias', null]]),
  simple(InstanceNorm, 'InstanceNorm1d/2d(affine=True)', [['gamma', 'weight', null], ['beta', 'bias', null]]),
  simple(Embedding, 'Embedding', [['embeddings', 'weight', null]]),
  simple(PositionalEmbedding, 'Embedding (positions)', [['embeddings', 'weight', null]]),
  gpt2BlockRule,
  {
    ...recurrentRule(LSTM, 'LSTM', [0, 1, 2, 3]),
    incompatible: (layer) => {
      const l = layer as LSTM;
      return l.recurrentActivation === 'sigmoid' && l.config.activation === 'tanh' ? null : 'PyTorch LSTM uses sigmoid gates and tanh; other activations have no equivalent';
    },
  },
  {
    ...recurrentRule(GRU, 'GRU', [1, 0, 2]),
    incompatible: (layer) => ((layer as GRU).resetAfter ? null : 'PyTorch GRU is the resetAfter form; build the GRU with resetAfter: true'),
  },
  recurrentRule(SimpleRNN, 'RNN', [0]),
  attentionRule,
  bidirectionalRule,
];

/**
 * Renames of child modules inside a parent class, where PyTorch's module names ours
 * differently (the rest of the names are the same by design).
 */
export const CHILD_NAMES: readonly [abstract new (...args: never[]) => AnyModule, Record<string, string>][] = [
  [TransformerEncoderLayer, { ffn1: 'linear1', ffn2: 'linear2' }],
  [TransformerDecoderLayer, { ffn1: 'linear1', ffn2: 'linear2', cross_attn: 'multihead_attn' }],
];
