import { ConfigError, ShapeError, formatShape, tf } from '@tensorloom/core';
import type { FitStep } from '../fit/step.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { valueAndGrads } from './value-and-grads.js';
import type { AnyModule } from './value-and-grads.js';

/**
 * Options of {@link vaeStep}.
 *
 * @example
 * ```ts
 * const o: VaeStepOptions = { encoder, decoder, optimizer: optimizers.adam({ learningRate: 1e-3 }), latentDim: 8, klWarmupSteps: 500 };
 * ```
 */
export interface VaeStepOptions {
  /** Maps `x` to `[batch, 2·latentDim]`: the means, then the log-variances of q(z|x). */
  encoder: AnyModule;
  /** Maps `z` `[batch, latentDim]` to the reconstruction (logits for `'bernoulli'`), shaped like `x`. */
  decoder: AnyModule;
  /** Updates both networks. */
  optimizer: Optimizer;
  /** The latent size. */
  latentDim: number;
  /**
   * The reconstruction term, summed over a sample's features and averaged over the batch:
   * `'bernoulli'` (binary cross-entropy with the decoder's logits, for data in [0, 1]) or
   * `'gaussian'` (half the squared error). Default `'bernoulli'`.
   */
  reconstruction?: 'bernoulli' | 'gaussian';
  /** The weight β of the KL term (β-VAE). Default 1. */
  beta?: number;
  /** Ramp the KL weight linearly from 0 to β over this many steps (KL warm-up). Default 0 (none). */
  klWarmupSteps?: number;
}

/**
 * The KL weight of {@link vaeStep} at a step: `beta · min(1, step / warmup)` (β at once
 * without warm-up).
 *
 * @param step - the global step (0-based).
 * @param beta - β.
 * @param warmup - warm-up steps (0 for none).
 * @returns the weight.
 * @example
 * ```ts
 * klWeight(250, 1, 500); // 0.5
 * ```
 */
export function klWeight(step: number, beta: number, warmup: number): number {
  return warmup > 0 ? beta * Math.min(1, step / warmup) : beta;
}

/**
 * A variational auto-encoder step for {@link fit} (Kingma & Welling 2014,
 * https://arxiv.org/abs/1312.6114): encode `x` to a diagonal Gaussian, sample z with the
 * reparameterisation trick (noise from the step's `rng`), decode, and minimise
 * reconstruction + w·KL(q(z|x) ‖ N(0, I)), with w ramped up by `klWarmupSteps`. One optimizer
 * updates encoder and decoder (their parameters keyed `encoder.<path>` and `decoder.<path>`).
 * Logs `reconstruction`, `kl` and `klWeight`. Pass the encoder as fit's model; the decoder is
 * checkpointed with it.
 *
 * @param options - the networks, optimizer and loss terms.
 * @returns the step.
 * @throws ConfigError for a bad option.
 * @example
 * ```ts
 * await fit(encoder, batches, { step: vaeStep({ encoder, decoder, latentDim: 8, optimizer: optimizers.adam({ learningRate: 1e-3 }) }) });
 * ```
 */
export function vaeStep(options: VaeStepOptions): FitStep {
  const unit = 'vaeStep';
  const { encoder, decoder, optimizer, latentDim } = options;
  if (!Number.isInteger(latentDim) || latentDim < 1) throw new ConfigError(`${unit}: latentDim expected an integer >= 1, got ${String(latentDim)}`);
  const reconstruction = options.reconstruction ?? 'bernoulli';
  if (reconstruction !== 'bernoulli' && reconstruction !== 'gaussian') {
    throw new ConfigError(`${unit}: reconstruction expected 'bernoulli' or 'gaussian', got '${String(reconstruction)}'`);
  }
  const beta = options.beta ?? 1;
  if (!(Number.isFinite(beta) && beta >= 0)) throw new ConfigError(`${unit}: beta expected a number >= 0, got ${String(beta)}`);
  const warmup = options.klWarmupSteps ?? 0;
  if (!Number.isInteger(warmup) || warmup < 0) throw new ConfigError(`${unit}: klWarmupSteps expected an integer >= 0, got ${String(warmup)}`);
  for (const [name, m] of [['encoder', encoder], ['decoder', decoder]] as const) {
    if (!m.built) throw new ConfigError(`${unit}: ${name} expected a built module, got ${m.label} unbuilt`);
  }
  const prefixed = (): Record<string, tf.Variable> => {
    const out: Record<string, tf.Variable> = {};
    for (const [k, v] of Object.entries(encoder.trainableParameters())) out[`encoder.${k}`] = v;
    for (const [k, v] of Object.entries(decoder.trainableParameters())) out[`decoder.${k}`] = v;
    return out;
  };
  return {
    optimizers: { optimizer },
    modules: { encoder, decoder },
    run(batch, ctx) {
      if (!(batch.x instanceof tf.Tensor)) throw new ConfigError(`${unit}: batch x expected a tensor, got a list or record`);
      const x = batch.x;
      const w = klWeight(ctx.globalStep, beta, warmup);
      let recon!: tf.Scalar;
      let kl!: tf.Scalar;
      const loss = tf.tidy(() => {
        const eps = ctx.rng.normalTensor([batch.size, latentDim]);
        const params = prefixed();
        const result = valueAndGrads(
          encoder,
          () => {
            const stats = encoder.apply(x, { training: true }) as tf.Tensor;
            if (stats.rank !== 2 || stats.shape[1] !== 2 * latentDim) {
              throw new ShapeError(`${unit}: encoder output expected shape [${batch.size}, ${2 * latentDim}] (means, log-variances), got ${formatShape(stats.shape)}`);
            }
            const [mean, logVar] = tf.split(stats, 2, 1) as [tf.Tensor, tf.Tensor];
            const z = tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, logVar)), eps));
            const out = decoder.apply(z, { training: true }) as tf.Tensor;
            if (out.shape.join() !== x.shape.join()) {
              throw new ShapeError(`${unit}: decoder output expected the input's shape ${formatShape(x.shape)}, got ${formatShape(out.shape)}`);
            }
            const flatX = tf.reshape(x, [batch.size, -1]);
            const flatOut = tf.reshape(out, [batch.size, -1]);
            // Bernoulli: −log p(x|z) = softplus(l) − x·l per feature (stable for any logit l).
            const perFeature =
              reconstruction === 'bernoulli' ? tf.sub(tf.softplus(flatOut), tf.mul(flatX, flatOut)) : tf.mul(0.5, tf.square(tf.sub(flatOut, flatX)));
            const r = tf.mean(tf.sum(perFeature, 1)) as tf.Scalar;
            const k = tf.mean(tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logVar), tf.square(mean)), tf.exp(logVar)), 1))) as tf.Scalar;
            recon = tf.keep(tf.clone(r));
            kl = tf.keep(tf.clone(k));
            return tf.addN([r, tf.mul(w, k), encoder.regularizationLoss(), decoder.regularizationLoss()]) as tf.Scalar;
          },
          { parameters: params },
        );
        optimizer.apply(params, result.grads);
        encoder.applyConstraints();
        decoder.applyConstraints();
        return result.loss;
      });
      return { loss, values: { reconstruction: recon, kl, klWeight: tf.scalar(w) } };
    },
  };
}
