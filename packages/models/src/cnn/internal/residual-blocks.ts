// The residual blocks of ResNet (He et al. 2016). Not exported from the package; their
// children's keys follow torchvision (conv1, bn1, ..., downsample.0, downsample.1) so a
// PyTorch state dict maps by renaming suffixes only.
import { tf } from '@tensorloom/core';
import { BatchNorm, Conv2D, Module, Sequential } from '@tensorloom/layers';
import type { ApplyOptions, ModuleConfig, Shape } from '@tensorloom/layers';
import { applyChain, buildChain, chainShape } from '../../transfer/internal/chain.js';
import type { Layer } from '../../transfer/internal/chain.js';
import type { Shortcut } from '../shortcut.js';
import { BN_DEFAULTS, paddedConv } from './conv-bn.js';


/** Options of a residual block. */
export interface BlockOptions extends ModuleConfig {
  /** Input channels. */
  inChannels: number;
  /** The block's width (`planes`). */
  planes: number;
  /** Stride of the first (basic) or middle (bottleneck) 3×3 conv. */
  stride: number;
  /** The shortcut when the shape changes. */
  shortcut: Shortcut;
}

/** The shortcut's output: identity, projection (`downsample`), or option A's subsample and zero-pad. */
function shortcutOf(x: tf.Tensor, downsample: Sequential | null, padChannels: number, stride: number, options: ApplyOptions): tf.Tensor {
  if (downsample !== null) return downsample.apply(x, options);
  if (padChannels === 0 && stride === 1) return x;
  // x[:, ::s, ::s, :] as a 1×1 average pool (stridedSlice has no gradient in tfjs-core). (B, ⌈H/s⌉, ⌈W/s⌉, C)
  const sub = stride === 1 ? x : tf.avgPool(x as tf.Tensor4D, 1, stride, 'valid');
  const before = Math.floor(padChannels / 2);
  return tf.pad(sub, [[0, 0], [0, 0], [0, 0], [before, padChannels - before]]);
}

function projection(outChannels: number, stride: number): Sequential {
  return new Sequential(
    [
      new Conv2D({ name: '0', filters: outChannels, kernelSize: 1, strides: stride, useBias: false, kernelInitializer: 'heNormal' }),
      new BatchNorm({ name: '1', ...BN_DEFAULTS }),
    ],
    { name: 'downsample' },
  );
}

/** A residual block in general: a main path of layers and a shortcut. */
abstract class ResidualBlock extends Module {
  protected abstract main(): Layer[];
  protected downsample: Sequential | null = null;
  protected padChannels = 0;
  protected stride = 1;

  protected override onBuild(inputShape: Shape): void {
    buildChain(this.main(), inputShape);
    if (this.downsample !== null) buildChain([this.downsample], inputShape);
  }

  override outputShape(inputShape: Shape): Shape {
    return chainShape(this.main(), inputShape);
  }

  protected abstract forward(x: tf.Tensor, options: ApplyOptions): tf.Tensor;

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    return tf.tidy(() => tf.relu(tf.add(this.forward(x, options), shortcutOf(x, this.downsample, this.padChannels, this.stride, options))));
  }

  protected setupShortcut(o: BlockOptions, outChannels: number): void {
    this.stride = o.stride;
    if (o.stride === 1 && o.inChannels === outChannels) return;
    if (o.shortcut === 'projection') this.downsample = this.addModule('downsample', projection(outChannels, o.stride));
    else this.padChannels = outChannels - o.inChannels;
  }
}

/** Two 3×3 convs (ResNet-18/34, CIFAR ResNets): `relu(bn2(conv2(relu(bn1(conv1 x)))) + shortcut(x))`. */
export class BasicBlock extends ResidualBlock {
  private readonly path1: Layer[];
  private readonly path2: Layer[];

  constructor(o: BlockOptions) {
    super(o);
    this.path1 = [...paddedConv('conv1', o.planes, 3, o.stride), new BatchNorm({ name: 'bn1', ...BN_DEFAULTS })].map((m) => this.addModule(m.name, m));
    this.path2 = [...paddedConv('conv2', o.planes, 3, 1), new BatchNorm({ name: 'bn2', ...BN_DEFAULTS })].map((m) => this.addModule(m.name, m));
    this.setupShortcut(o, o.planes);
  }

  protected main(): Layer[] {
    return [...this.path1, ...this.path2];
  }

  protected forward(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    return applyChain(this.path2, tf.relu(applyChain(this.path1, x, options)), options);
  }
}

/** 1×1 → 3×3 (stride) → 1×1 ×4 (ResNet-50, torchvision's "v1.5" with the stride on the 3×3). */
export class Bottleneck extends ResidualBlock {
  /** Output channels per `planes`. */
  static readonly expansion = 4;
  private readonly paths: Layer[][];

  constructor(o: BlockOptions) {
    super(o);
    const add = (ms: Layer[]): Layer[] => ms.map((m) => this.addModule(m.name, m));
    this.paths = [
      add([...paddedConv('conv1', o.planes, 1, 1), new BatchNorm({ name: 'bn1', ...BN_DEFAULTS })]),
      add([...paddedConv('conv2', o.planes, 3, o.stride), new BatchNorm({ name: 'bn2', ...BN_DEFAULTS })]),
      add([...paddedConv('conv3', o.planes * Bottleneck.expansion, 1, 1), new BatchNorm({ name: 'bn3', ...BN_DEFAULTS })]),
    ];
    this.setupShortcut(o, o.planes * Bottleneck.expansion);
  }

  protected main(): Layer[] {
    return this.paths.flat();
  }

  protected forward(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    const [p1, p2, p3] = this.paths as [Layer[], Layer[], Layer[]];
    return applyChain(p3, tf.relu(applyChain(p2, tf.relu(applyChain(p1, x, options)), options)), options);
  }
}

/** A stage of `count` blocks as a Sequential keyed `0`, `1`, ...; returns it with its output channels. */
export function resStage(
  name: string,
  kind: 'basic' | 'bottleneck',
  inChannels: number,
  planes: number,
  count: number,
  stride: number,
  shortcut: Shortcut,
): { stage: Sequential; outChannels: number } {
  const blocks: Layer[] = [];
  let c = inChannels;
  for (let i = 0; i < count; i++) {
    const o: BlockOptions = { name: String(i), inChannels: c, planes, stride: i === 0 ? stride : 1, shortcut };
    const block = kind === 'basic' ? new BasicBlock(o) : new Bottleneck(o);
    blocks.push(block);
    c = kind === 'basic' ? planes : planes * Bottleneck.expansion;
  }
  return { stage: new Sequential(blocks, { name }), outChannels: c };
}
