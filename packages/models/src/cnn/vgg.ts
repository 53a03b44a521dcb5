import { ConfigError } from '@tensorloom/core';
import { Activation, BatchNorm, Conv2D, Dense, Dropout, Flatten, MaxPool2D, Sequential } from '@tensorloom/layers';
import { BackboneModel, resolveBackbone } from '../transfer/backbone-model.js';
import type { BackboneConfig } from '../transfer/backbone-model.js';
import type { Layer } from '../transfer/internal/chain.js';
import { bool, positiveInt, rate } from '../transfer/internal/validate.js';

/**
 * A VGG layout: conv widths in order, `'M'` for a 2×2 max pool.
 *
 * @example
 * ```ts
 * const tiny: VGGLayout = [8, 'M', 16, 'M'];
 * ```
 */
export type VGGLayout = readonly (number | 'M')[];

/**
 * The layouts of Simonyan & Zisserman's Table 1: configurations A (VGG-11), B (VGG-13),
 * D (VGG-16) and E (VGG-19).
 *
 * @example
 * ```ts
 * new VGG({ layout: VGG_LAYOUTS.vgg11 });
 * ```
 */
export const VGG_LAYOUTS = {
  /** Configuration A: 8 convs. */
  vgg11: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  /** Configuration B: 10 convs. */
  vgg13: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  /** Configuration D: 13 convs. */
  vgg16: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  /** Configuration E: 16 convs. */
  vgg19: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
} as const satisfies Record<string, VGGLayout>;

/**
 * Configuration of {@link VGG}.
 *
 * @example
 * ```ts
 * const config: VGGConfig = { layout: 'vgg11', batchNorm: true, classes: 10, hiddenUnits: 512 };
 * ```
 */
export interface VGGConfig extends BackboneConfig {
  /** A named layout (`'vgg11'`, `'vgg13'`, `'vgg16'`, `'vgg19'`) or an explicit one. Default `'vgg16'`. */
  layout?: keyof typeof VGG_LAYOUTS | VGGLayout;
  /** Batch norm after every conv (the `_bn` variants). Default `false`. */
  batchNorm?: boolean;
  /** Units of the two hidden dense layers of the head. Default `4096`. */
  hiddenUnits?: number;
  /** Dropout rate in the head. Default `0.5`. */
  dropout?: number;
}

/**
 * VGG (Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image
 * Recognition", ICLR 2015, https://arxiv.org/abs/1409.1556) with torchvision's keys:
 * `features` (3×3 convs, padding 1, ReLU, optional batch norm, 2×2 max pools; children
 * `0`, `1`, ... as in torchvision) → `flatten` → `classifier` (dense `hiddenUnits` →
 * ReLU → dropout, twice, → dense `classes`). The first dense layer is sized from the
 * input at build: torchvision pools adaptively to 7×7 first, which at 224×224 is the
 * identity, so the two agree there.
 *
 * Default config (VGG-16, 224×224×3, 1000 classes): 138,357,544 parameters; VGG-11: 132,863,336.
 *
 * Input shape: `[batch, h, w, c]` with h, w divisible by 2^(pools). Output shape: `[batch, classes]`.
 *
 * @example
 * ```ts
 * const vgg = new VGG({ layout: [8, 'M', 16, 'M'], hiddenUnits: 32, classes: 10 }).build([null, 16, 16, 3], rng(1));
 * vgg.apply(tf.zeros([1, 16, 16, 3])).shape; // [1, 10]
 * ```
 */
export class VGG extends BackboneModel {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<VGGConfig, 'name' | 'pooling' | 'includeTop' | 'layout'>> & {
    /** The layout as widths and `'M'`. */
    layout: VGGLayout;
  };

  constructor(config: VGGConfig = {}) {
    const named = typeof config.layout === 'string' ? config.layout : config.layout === undefined ? 'vgg16' : null;
    const name = config.name ?? named ?? 'vgg';
    const unit = `VGG '${name}'`;
    let layout: VGGLayout;
    if (named !== null) {
      const found = (VGG_LAYOUTS as Record<string, VGGLayout>)[named];
      if (found === undefined) throw new ConfigError(`${unit}: layout expected one of ${Object.keys(VGG_LAYOUTS).map((k) => `'${k}'`).join(', ')} or a list, got '${named}'`);
      layout = found;
    } else {
      layout = config.layout as VGGLayout;
      if (!Array.isArray(layout) || layout.length === 0 || layout.some((v) => v !== 'M' && !(Number.isInteger(v) && (v as number) > 0)) || !layout.some((v) => v !== 'M')) {
        throw new ConfigError(`${unit}: layout expected a list of positive widths and 'M', got ${JSON.stringify(layout)}`);
      }
    }
    const batchNorm = bool(unit, 'batchNorm', config.batchNorm ?? false);
    const hiddenUnits = positiveInt(unit, 'hiddenUnits', config.hiddenUnits ?? 4096);
    const dropout = rate(unit, 'dropout', config.dropout ?? 0.5);
    const backbone = resolveBackbone(unit, config, 1000);
    const features: Layer[] = [];
    for (const v of layout) {
      const key = (): string => String(features.length);
      if (v === 'M') {
        features.push(new MaxPool2D({ name: key(), poolSize: 2, strides: 2 }));
        continue;
      }
      features.push(new Conv2D({ name: key(), filters: v, kernelSize: 3, padding: 'same', kernelInitializer: 'heNormal' }));
      if (batchNorm) features.push(new BatchNorm({ name: key(), momentum: 0.9, epsilon: 1e-5 }));
      features.push(new Activation({ name: key(), activation: 'relu' }));
    }
    const classifier = new Sequential(
      [
        new Dense({ name: '0', units: hiddenUnits, activation: 'relu' }),
        new Dropout({ name: '2', rate: dropout }),
        new Dense({ name: '3', units: hiddenUnits, activation: 'relu' }),
        new Dropout({ name: '5', rate: dropout }),
        new Dense({ name: '6', units: backbone.classes }),
      ],
      { name: 'classifier' },
    );
    super(
      { base: [['features', new Sequential(features, { name: 'features' })]], pool: ['flatten', new Flatten({ name: 'flatten' })], head: [['classifier', classifier]] },
      backbone,
      { name },
    );
    this.config = { layout, batchNorm, hiddenUnits, dropout, classes: backbone.classes };
  }
}

/**
 * VGG-11 (configuration A): {@link VGG} with `layout: 'vgg11'`; 132,863,336 parameters at 224×224 with 1000 classes.
 *
 * @param config - everything but `layout`.
 * @returns the model, unbuilt.
 * @example
 * ```ts
 * const backbone = vgg11({ includeTop: false, pooling: 'avg' });
 * ```
 */
export function vgg11(config: Omit<VGGConfig, 'layout'> = {}): VGG {
  return new VGG({ name: 'vgg11', ...config, layout: 'vgg11' });
}

/**
 * VGG-16 (configuration D): {@link VGG} with `layout: 'vgg16'`; 138,357,544 parameters at 224×224 with 1000 classes.
 *
 * @param config - everything but `layout`.
 * @returns the model, unbuilt.
 * @example
 * ```ts
 * vgg16().parameterShapes([null, 224, 224, 3]); // shape-only: no memory
 * ```
 */
export function vgg16(config: Omit<VGGConfig, 'layout'> = {}): VGG {
  return new VGG({ name: 'vgg16', ...config, layout: 'vgg16' });
}
