// The tasks of tools/bench/perf.ts. Five train, built from @tensorloom/layers (the same
// architectures are in tfjs-tasks.ts, tfjs-layers with no Tensorloom code, and
// torch_train.py); two generate tokens greedily with a GPT (generate-tensorloom.ts and
// torch_generate.py), with and without the key/value cache.
import { type ApplyOptions, BatchNorm, Conv2D, Dense, GlobalAvgPool1D, GlobalAvgPool2D, Module, Sequential, TransformerEncoderLayer } from '@tensorloom/layers';
import { rng, tf } from '@tensorloom/core';
import { MODELS } from '../layers/models.js';

/** The training tasks, in table order. */
export const TRAIN_TASKS = ['mlp', 'lenet', 'lstm', 'transformer', 'resnet20'] as const;
/** One of {@link TRAIN_TASKS}. */
export type TrainTaskName = (typeof TRAIN_TASKS)[number];
/** The generation tasks: tokens/s of greedy decoding with and without the key/value cache. */
export const GENERATION_TASKS = ['gpt-cached', 'gpt-uncached'] as const;
/** Every task name, in table order. */
export const TASKS = [...TRAIN_TASKS, ...GENERATION_TASKS] as const;
/** One of {@link TASKS}. */
export type TaskName = (typeof TASKS)[number];

/**
 * The GPT of the generation tasks: `causalLM` with GPT-2's layout (pre-norm blocks, learned
 * positions, tanh GELU, tied head), one row, an 8-token prompt, then `tokens` tokens.
 */
export const GPT_SHAPE = { layers: 4, dModel: 128, heads: 4, vocab: 512, prompt: 8, tokens: 120 } as const;
const gpt = `GPT (${GPT_SHAPE.layers} layers, d ${GPT_SHAPE.dModel}) generating ${GPT_SHAPE.tokens} tokens, tokens/s`;

/** What every implementation of a task shares: the label, the batch and one example's shape. */
export const TASK_SHAPES: Record<TaskName, { label: string; batch: number; input: number[] }> = {
  mlp: { label: 'MLP 784-256-128-10', batch: 64, input: [784] },
  lenet: { label: 'LeNet-5', batch: 64, input: [28, 28, 1] },
  lstm: { label: 'LSTM(128) over 28 rows', batch: 64, input: [28, 28] },
  transformer: { label: 'transformer encoder block (B32 T64 d128 h4 ff512)', batch: 32, input: [64, 128] },
  resnet20: { label: 'ResNet-20, 32×32×3', batch: 64, input: [32, 32, 3] },
  // batch: tokens per generation (the unit of the rates); no input tensor.
  'gpt-cached': { label: `${gpt}, KV cache`, batch: GPT_SHAPE.tokens, input: [] },
  'gpt-uncached': { label: `${gpt}, no cache`, batch: GPT_SHAPE.tokens, input: [] },
};

// CIFAR ResNet basic block: conv3×3-BN-relu-conv3×3-BN, plus the input (a 1×1 conv + BN
// where the stage halves the size and doubles the channels), then relu.
class BasicBlock extends Module {
  conv1: Conv2D;
  bn1: BatchNorm;
  conv2: Conv2D;
  bn2: BatchNorm;
  shortcut: Conv2D | null;
  shortcutBn: BatchNorm | null;
  constructor(filters: number, stride: number, project: boolean, name: string) {
    super({ name });
    this.conv1 = this.addModule('conv1', new Conv2D({ filters, kernelSize: 3, strides: stride, padding: 'same', useBias: false }));
    this.bn1 = this.addModule('bn1', new BatchNorm({ momentum: 0.9 }));
    this.conv2 = this.addModule('conv2', new Conv2D({ filters, kernelSize: 3, padding: 'same', useBias: false }));
    this.bn2 = this.addModule('bn2', new BatchNorm({ momentum: 0.9 }));
    this.shortcut = project ? this.addModule('shortcut', new Conv2D({ filters, kernelSize: 1, strides: stride, useBias: false })) : null;
    this.shortcutBn = project ? this.addModule('shortcutBn', new BatchNorm({ momentum: 0.9 })) : null;
  }
  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    const h = tf.relu(this.bn1.apply(this.conv1.apply(x, options), options));
    const y = this.bn2.apply(this.conv2.apply(h, options), options);
    const s = this.shortcut === null ? x : (this.shortcutBn as BatchNorm).apply(this.shortcut.apply(x, options), options);
    return tf.relu(tf.add(y, s));
  }
}

class Stem extends Module {
  conv = this.addModule('conv', new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', useBias: false }));
  bn = this.addModule('bn', new BatchNorm({ momentum: 0.9 }));
  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    return tf.relu(this.bn.apply(this.conv.apply(x, options), options));
  }
}

function resnet20(): Sequential {
  const layers: Module[] = [new Stem({ name: 'stem' })];
  [16, 32, 64].forEach((filters, stage) => {
    for (let b = 0; b < 3; b++) {
      const down = stage > 0 && b === 0;
      layers.push(new BasicBlock(filters, down ? 2 : 1, down, `stage${stage + 1}_block${b + 1}`));
    }
  });
  layers.push(new GlobalAvgPool2D(), new Dense({ units: 10 }));
  return new Sequential(layers).build([null, 32, 32, 3], rng(1));
}

/** The Tensorloom model of `task`, built. */
export function tensorloomModel(task: TrainTaskName): Sequential {
  switch (task) {
    case 'mlp':
    case 'lenet':
    case 'lstm':
      return MODELS[task].ours();
    case 'transformer':
      return new Sequential([
        new TransformerEncoderLayer({ numHeads: 4, dimFeedforward: 512, dropout: 0, activation: 'relu', normFirst: false }),
        new GlobalAvgPool1D(),
        new Dense({ units: 10 }),
      ]).build([null, 64, 128], rng(1));
    case 'resnet20':
      return resnet20();
  }
}
