// The autoencoder of `pretrain-ae`: the classifier's own backbone as the encoder, a small
// transposed-convolution decoder back to the image.
//
// Why not the models package's ConvAutoencoder: its encoder is a stack of stride-2 3×3
// convolutions, which is no classifier's backbone (LeNet-5 has 5×5 valid convolutions with
// max pooling, the ResNet batch norms and residual stages), so its weights would have nowhere
// to go. Here the encoder *is* `createModel(spec, { includeTop: false })`: its parameters have
// the backbone's names, and `finetune --from` loads them into the classifier unchanged.
import { tf } from '@tensorloom/core';
import { Conv2D, Conv2DTranspose, Dense, Flatten, Module, Reshape, Sequential } from '@tensorloom/layers';
import type { ApplyOptions, Shape } from '@tensorloom/layers';
import { corrupt } from '@tensorloom/models';
import { createModel } from './architectures.js';
import type { ModelSpec } from './architectures.js';

/** The child names of {@link BackboneAutoencoder}: the encoder's parameters are `encoder.<backbone name>`. */
export const ENCODER = 'encoder';

/**
 * The backbone of `spec` (LeNet-5 or the ResNet, without pooling and head) as an encoder, and
 * a light decoder back to the 28×28 input: from a 7×7 feature map (the ResNet's) two stride-2
 * transposed convolutions (16 then 8 channels, ReLU) and a 3×3 convolution to one channel;
 * from a 1×1 code (LeNet-5's 120 features) first a dense layer to 7×7×16. The decoder is kept
 * small so the encoder has to carry the information. The output is the
 * logit of each pixel: train it with binary cross-entropy from logits against the image.
 */
export class BackboneAutoencoder extends Module {
  /** The classifier's backbone. */
  readonly encoder: Module;
  /** Code → pixel logits. */
  readonly decoder: Sequential;

  /** The share of input pixels zeroed in training (a denoising autoencoder), 0 for none. */
  readonly maskRate: number;

  constructor(spec: ModelSpec, options: { maskRate?: number } = {}) {
    super({ name: 'backbone_autoencoder' });
    const maskRate = options.maskRate ?? 0;
    if (!(maskRate >= 0 && maskRate < 1)) throw new Error(`BackboneAutoencoder: maskRate expected a number in [0, 1), got ${maskRate}`);
    this.maskRate = maskRate;
    const [h, w, c] = spec.inputShape;
    if (h !== 28 || w !== 28) throw new Error(`BackboneAutoencoder: inputShape expected 28×28, got ${h}×${w}`);
    this.encoder = this.addModule(ENCODER, createModel(spec, { includeTop: false }));
    const [, ch, cw] = this.encoder.outputShape([null, h, w, c] as Shape) as (number | null)[];
    const toSeven =
      ch === 7 && cw === 7
        ? []
        : [new Flatten({ name: 'flatten' }), new Dense({ name: 'fc', units: 7 * 7 * 16, activation: 'relu' }), new Reshape({ name: 'grid', targetShape: [7, 7, 16] })];
    this.decoder = this.addModule(
      'decoder',
      new Sequential(
        [
          ...toSeven,
          new Conv2DTranspose({ name: 'up1', filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
          new Conv2DTranspose({ name: 'up2', filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
          new Conv2D({ name: 'pixels', filters: c, kernelSize: 3, padding: 'same' }),
        ],
        { name: 'decoder' },
      ),
    );
  }

  protected override onBuild(inputShape: Shape): void {
    this.encoder.build(inputShape);
    this.decoder.build(this.encoder.outputShape(inputShape));
  }

  override outputShape(inputShape: Shape): Shape {
    return this.decoder.outputShape(this.encoder.outputShape(inputShape));
  }

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    return tf.tidy(() => {
      // Denoising: in training, a random share of the pixels is zeroed; the target stays the clean image.
      const input = options.training === true && this.maskRate > 0 ? corrupt(x, { type: 'masking', rate: this.maskRate }, this.nextRng()) : x;
      return this.decoder.apply(this.encoder.apply(input, options), options) as tf.Tensor;
    });
  }

  /** The encoder's state under the backbone's own names (`c1.kernel`, not `encoder.c1.kernel`): what a classifier loads. */
  backboneState(): Record<string, tf.Variable> {
    const prefix = `${ENCODER}.`;
    return Object.fromEntries(
      Object.entries(this.state())
        .filter(([name]) => name.startsWith(prefix))
        .map(([name, v]) => [name.slice(prefix.length), v]),
    );
  }
}
