import { ConfigError, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import { Activation, BatchNorm, Conv2D, Conv2DTranspose, Dense, Flatten, Reshape, Sequential } from '@tensorloom/layers';
import type { ApplyOptions, ModuleConfig } from '@tensorloom/layers';
import type { Layer } from '../transfer/internal/chain.js';
import { imageShape, positiveInt } from '../transfer/internal/validate.js';
import type { Generator } from './generator.js';

/**
 * Configuration of {@link dcgan}, {@link DCGANGenerator} and {@link DCGANDiscriminator}.
 *
 * @example
 * ```ts
 * const config: DCGANConfig = { imageShape: [32, 32, 3], latentDim: 128, baseFilters: 32 };
 * ```
 */
export interface DCGANConfig extends ModuleConfig {
  /** `[h, w, c]`: h and w are halved while even and above 7 (28 → 14 → 7; 32 → 16 → 8 → 4), which sets the number of stride-2 stages. Default `[28, 28, 1]`. */
  imageShape?: readonly number[];
  /** Size of the latent `z`. Default `100`. */
  latentDim?: number;
  /** Channels of the discriminator's first conv and the generator's last hidden layer; each stage doubles them. Default `64`. */
  baseFilters?: number;
}

interface Resolved {
  image: [number, number, number];
  latentDim: number;
  baseFilters: number;
  stages: number;
}

function resolve(unit: string, config: DCGANConfig): Resolved {
  const image = imageShape(unit, 'imageShape', config.imageShape ?? [28, 28, 1]);
  const halvings = (n: number): number => {
    let k = 0;
    while (n % 2 === 0 && n > 7) [n, k] = [n / 2, k + 1];
    return k;
  };
  const stages = halvings(image[0]);
  if (stages < 1 || stages !== halvings(image[1])) {
    throw new ConfigError(`${unit}: imageShape expected h and w that halve to the same small size (28×28, 32×32, 64×64, ...), got [${image.join(', ')}]`);
  }
  return { image, latentDim: positiveInt(unit, 'latentDim', config.latentDim ?? 100), baseFilters: positiveInt(unit, 'baseFilters', config.baseFilters ?? 64), stages };
}

/**
 * The DCGAN generator (Radford, Metz & Chintala, "Unsupervised Representation Learning with
 * Deep Convolutional Generative Adversarial Networks", ICLR 2016,
 * https://arxiv.org/abs/1511.06434): `project` (dense `z` → `s·s·F`, batch norm, ReLU,
 * reshape to `[s, s, F]`), then stride-2 4×4 transposed convs halving the channels with
 * batch norm and ReLU, the last to the image channels with tanh (outputs in [−1, 1]).
 *
 * Default config (28×28×1, z = 100, 64 filters): 771,969 parameters (z projected to 7·7·128 = 6,272 features, batch-normalised per feature).
 *
 * Input shape: `[batch, latentDim]`. Output shape: `[batch, h, w, c]`.
 *
 * @example
 * ```ts
 * const g = new DCGANGenerator({ imageShape: [28, 28, 1], baseFilters: 16 }).build([null, 100], rng(1));
 * const fakes = g.sample(8, rng(2)); // [8, 28, 28, 1]
 * ```
 */
export class DCGANGenerator extends Sequential implements Generator {
  /** Size of the latent `z`. */
  readonly latentDim: number;
  /** The generated image shape `[h, w, c]`. */
  readonly imageShape: [number, number, number];

  constructor(config: DCGANConfig = {}) {
    const name = config.name ?? 'dcgan_generator';
    const r = resolve(`DCGANGenerator '${name}'`, config);
    const [h, w, c] = r.image;
    const s = [h / 2 ** r.stages, w / 2 ** r.stages];
    const top = r.baseFilters * 2 ** (r.stages - 1);
    const layers: Layer[] = [
      new Sequential(
        [
          new Dense({ name: 'dense', units: s[0]! * s[1]! * top, useBias: false }),
          new BatchNorm({ name: 'bn' }),
          new Activation({ name: 'relu', activation: 'relu' }),
          new Reshape({ name: 'reshape', targetShape: [s[0]!, s[1]!, top] }),
        ],
        { name: 'project' },
      ),
    ];
    for (let i = 1; i < r.stages; i++) {
      layers.push(
        new Sequential(
          [
            new Conv2DTranspose({ name: 'deconv', filters: top / 2 ** i, kernelSize: 4, strides: 2, padding: 'same', useBias: false }),
            new BatchNorm({ name: 'bn' }),
            new Activation({ name: 'relu', activation: 'relu' }),
          ],
          { name: `up${i}` },
        ),
      );
    }
    layers.push(new Conv2DTranspose({ name: 'output', filters: c, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh' }));
    super(layers, { name });
    this.latentDim = r.latentDim;
    this.imageShape = r.image;
  }

  /**
   * Generates `n` images from latents drawn from N(0, I).
   *
   * @param n - how many.
   * @param rng - the source of the latents.
   * @param options - training mode.
   * @returns `[n, h, w, c]` in [−1, 1].
   * @example
   * ```ts
   * const images = generator.sample(16, rng(3));
   * ```
   */
  sample(n: number, rng: Rng, options: ApplyOptions = {}): tf.Tensor {
    positiveInt(this.label, 'sample n', n);
    if (!this.built) this.build([null, this.latentDim]);
    return tf.tidy(() => this.apply(rng.normalTensor([n, this.latentDim]), options));
  }
}

/**
 * The DCGAN discriminator (Radford et al. 2016): stride-2 4×4 convs doubling the channels
 * from `baseFilters`, LeakyReLU (0.2), batch norm on all but the first, then `flatten` and
 * a dense `logit` (one real-vs-fake logit per image; use a sigmoid cross-entropy on it).
 *
 * Default config (28×28×1, 64 filters): 138,689 parameters.
 *
 * Input shape: `[batch, h, w, c]`. Output shape: `[batch, 1]`.
 *
 * @example
 * ```ts
 * const d = new DCGANDiscriminator({ imageShape: [32, 32, 3] }).build([null, 32, 32, 3], rng(1));
 * const logits = d.apply(images); // [batch, 1]
 * ```
 */
export class DCGANDiscriminator extends Sequential {
  /** The image shape `[h, w, c]` it judges. */
  readonly imageShape: [number, number, number];

  constructor(config: DCGANConfig = {}) {
    const name = config.name ?? 'dcgan_discriminator';
    const r = resolve(`DCGANDiscriminator '${name}'`, config);
    const layers: Layer[] = [];
    for (let i = 0; i < r.stages; i++) {
      const block: Layer[] = [new Conv2D({ name: 'conv', filters: r.baseFilters * 2 ** i, kernelSize: 4, strides: 2, padding: 'same', useBias: i === 0 })];
      if (i > 0) block.push(new BatchNorm({ name: 'bn' }));
      block.push(new Activation({ name: 'lrelu', activation: 'leakyRelu' }));
      layers.push(new Sequential(block, { name: `down${i + 1}` }));
    }
    layers.push(new Flatten({ name: 'flatten' }), new Dense({ name: 'logit', units: 1 }));
    super(layers, { name });
    this.imageShape = r.image;
  }
}

/**
 * What {@link dcgan} returns.
 *
 * @example
 * ```ts
 * const { generator, discriminator }: DCGANPair = dcgan();
 * ```
 */
export interface DCGANPair {
  /** latent → image. */
  generator: DCGANGenerator;
  /** image → real-vs-fake logit. */
  discriminator: DCGANDiscriminator;
}

/**
 * A DCGAN pair: {@link DCGANGenerator} and {@link DCGANDiscriminator} for the same image shape.
 *
 * @param config - shared by both.
 * @returns both models, unbuilt.
 * @example
 * ```ts
 * const { generator, discriminator } = dcgan({ imageShape: [28, 28, 1] });
 * generator.build([null, generator.latentDim], rng(1));
 * discriminator.build([null, 28, 28, 1], rng(2));
 * ```
 */
export function dcgan(config: DCGANConfig = {}): DCGANPair {
  return { generator: new DCGANGenerator(config), discriminator: new DCGANDiscriminator(config) };
}
