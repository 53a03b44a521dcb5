import { ConfigError, tf } from '@tensorloom/core';
import { GlobalAvgPool2D, GlobalMaxPool2D, Module } from '@tensorloom/layers';
import type { ApplyOptions, ModuleConfig, Shape } from '@tensorloom/layers';
import { applyChain, buildChain, chainShape } from './internal/chain.js';
import type { Layer } from './internal/chain.js';
import { bool, oneOf, positiveInt } from './internal/validate.js';

/**
 * Global pooling of a backbone's last feature map: `'avg'`, `'max'`, or `null` (keep the map).
 *
 * @example
 * ```ts
 * const pooling: Pooling = 'avg';
 * ```
 */
export type Pooling = 'avg' | 'max' | null;

/**
 * The transfer-learning fields every CNN factory takes.
 *
 * @example
 * ```ts
 * const backbone = resnet18({ includeTop: false, pooling: 'avg' }); // features [batch, 512]
 * ```
 */
export interface BackboneConfig extends ModuleConfig {
  /** Keep the classifier head (its pooling or flatten, then the dense layers). Default `true`. */
  includeTop?: boolean;
  /**
   * Without the head, how {@link BackboneModel.features} pools the last feature map:
   * `'avg'`, `'max'` or `null` (the map itself). Default `null`. With the head, leave it
   * unset: the head has its own pooling.
   */
  pooling?: Pooling;
  /** Classes of the head's last dense layer (logits). Default `1000` for ImageNet layouts, `10` for small ones. */
  classes?: number;
}

/**
 * The checked transfer-learning fields.
 *
 * @example
 * ```ts
 * const resolved: ResolvedBackbone = { includeTop: false, pooling: 'avg', classes: 10 };
 * ```
 */
export interface ResolvedBackbone {
  /** Whether the head is kept. */
  includeTop: boolean;
  /** The pooling without the head. */
  pooling: Pooling;
  /** The head's classes. */
  classes: number;
}

/**
 * Checks the {@link BackboneConfig} fields of a factory's config.
 *
 * @param unit - names the factory in error messages (`ResNet 'resnet18'`).
 * @param config - the config.
 * @param defaultClasses - the architecture's default class count.
 * @returns the fields with defaults applied.
 * @throws ConfigError naming the field.
 * @example
 * ```ts
 * resolveBackbone("LeNet5 'lenet5'", { includeTop: false, pooling: 'avg' }, 10);
 * ```
 */
export function resolveBackbone(unit: string, config: BackboneConfig, defaultClasses: number): ResolvedBackbone {
  const includeTop = bool(unit, 'includeTop', config.includeTop ?? true);
  const pooling = oneOf<Pooling>(unit, 'pooling', config.pooling ?? null, ['avg', 'max', null]);
  if (includeTop && config.pooling !== undefined && config.pooling !== null) {
    throw new ConfigError(`${unit}: pooling expected unset with includeTop true, got '${config.pooling}'`, {
      help: 'the head has its own pooling; pooling chooses how features() pools when includeTop is false',
    });
  }
  return { includeTop, pooling, classes: positiveInt(unit, 'classes', config.classes ?? defaultClasses) };
}

/**
 * The parts a {@link BackboneModel} is made of, each child with its checkpoint key.
 *
 * @example
 * ```ts
 * const parts: BackboneParts = { base: [['conv', conv]], pool: ['flatten', new Flatten()], head: [['fc', new Dense({ units: 10 })]] };
 * ```
 */
export interface BackboneParts {
  /** The feature extractor, in order (`conv1`, `bn1`, `layer1`, ...). */
  base: readonly (readonly [string, Module<tf.Tensor, tf.Tensor>])[];
  /** The head's own pooling or flatten (`avgpool`), used with `includeTop`. */
  pool: readonly [string, Module<tf.Tensor, tf.Tensor>] | null;
  /** The classifier after the pooling (`fc`), used with `includeTop`. */
  head: readonly (readonly [string, Module<tf.Tensor, tf.Tensor>])[];
}

/**
 * A CNN as a backbone plus an optional head, the shape every CNN factory returns, made for
 * transfer learning: {@link BackboneModel.features} runs the backbone (and the pooling) only,
 * `apply` adds the head; `freeze({ upTo: 'layer3' })` and `loadState(..., { strict: false })`
 * address the children by their keys.
 *
 * Built by shape propagation (no forward pass), so `parameterShapes` works on it.
 *
 * Input shape: `[batch, height, width, channels]`. Output shape: `[batch, classes]` with the
 * head; without it, the feature map, or `[batch, channels]` with `pooling`.
 *
 * @example
 * ```ts
 * const model = resnet18({ classes: 10 }).build([null, 64, 64, 3], rng(1));
 * const embedding = model.features(images); // [batch, 512]
 * const logits = model.apply(images);       // [batch, 10]
 * ```
 */
export class BackboneModel extends Module {
  /** Whether the head is part of the model. */
  readonly includeTop: boolean;
  /** How `features` pools without the head. */
  readonly pooling: Pooling;
  /** The keys of the backbone's children, in order (what `freeze({ upTo })` walks). */
  readonly baseKeys: readonly string[];
  private readonly base: Layer[];
  private readonly pool: Layer | null;
  private readonly head: Layer[];

  constructor(parts: BackboneParts, backbone: ResolvedBackbone, config: ModuleConfig = {}) {
    super(config);
    this.includeTop = backbone.includeTop;
    this.pooling = backbone.pooling;
    this.base = parts.base.map(([key, m]) => this.addModule(key, m));
    this.baseKeys = parts.base.map(([key]) => key);
    if (backbone.includeTop) {
      this.pool = parts.pool === null ? null : this.addModule(parts.pool[0], parts.pool[1]);
      this.head = parts.head.map(([key, m]) => this.addModule(key, m));
    } else {
      this.pool =
        backbone.pooling === null
          ? null
          : this.addModule('pool', backbone.pooling === 'avg' ? new GlobalAvgPool2D({ name: 'pool' }) : new GlobalMaxPool2D({ name: 'pool' }));
      this.head = [];
    }
  }

  private featureLayers(): Layer[] {
    return this.pool === null ? this.base : [...this.base, this.pool];
  }

  protected override onBuild(inputShape: Shape): void {
    // Shapes first: a bad input fails before any child allocates its parameters.
    chainShape([...this.featureLayers(), ...this.head], inputShape);
    buildChain([...this.featureLayers(), ...this.head], inputShape);
  }

  override outputShape(inputShape: Shape): Shape {
    return chainShape([...this.featureLayers(), ...this.head], inputShape);
  }

  /**
   * The backbone's output: the pooled (or flattened) features the head reads, or without
   * the head the last feature map, pooled by `pooling` when it is set.
   *
   * @param x - `[batch, height, width, channels]`.
   * @param options - training mode.
   * @returns the features, owned by the caller.
   * @example
   * ```ts
   * const f = model.features(images); // e.g. [batch, 512] for ResNet-18
   * ```
   */
  features(x: tf.Tensor, options: ApplyOptions = {}): tf.Tensor {
    if (!this.built) this.build(x.shape);
    return tf.tidy(() => applyChain(this.featureLayers(), x, options));
  }

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    return tf.tidy(() => applyChain(this.head, applyChain(this.featureLayers(), x, options), options));
  }
}
