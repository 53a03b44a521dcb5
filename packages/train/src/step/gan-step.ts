import { ConfigError, ShapeError, formatShape, tf } from '@tensorloom/core';
import type { FitStep } from '../fit/step.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { valueAndGrads } from './value-and-grads.js';
import type { AnyModule } from './value-and-grads.js';

/**
 * Options of {@link ganStep}.
 *
 * @example
 * ```ts
 * const o: GanStepOptions = { generator, discriminator, generatorOptimizer: optimizers.adam({ learningRate: 2e-4 }),
 *   discriminatorOptimizer: optimizers.adam({ learningRate: 2e-4 }), latentDim: 64 };
 * ```
 */
export interface GanStepOptions {
  /** Maps noise `[batch, latentDim]` to samples shaped like the real batches. */
  generator: AnyModule;
  /** Maps samples to one logit (or critic score) per sample, `[batch, 1]`. */
  discriminator: AnyModule;
  /** Updates the generator. */
  generatorOptimizer: Optimizer;
  /** Updates the discriminator. */
  discriminatorOptimizer: Optimizer;
  /** The noise size. */
  latentDim: number;
  /**
   * `'nonSaturating'` (the original GAN with the generator maximising log D(G(z)); the
   * discriminator outputs logits) or `'wasserstein'` (a critic; pair it with
   * `gradientPenalty`). Default `'nonSaturating'`.
   */
  loss?: 'nonSaturating' | 'wasserstein';
  /** Discriminator updates per generator update. Default 1. */
  discriminatorSteps?: number;
  /**
   * Weight λ of the gradient penalty λ·E[(‖∇x̂ D(x̂)‖₂ − 1)²] on random interpolates of real
   * and generated samples (WGAN-GP, Gulrajani et al. 2017, https://arxiv.org/abs/1704.00028).
   * Default 0 (none).
   */
  gradientPenalty?: number;
}

/**
 * The gradient penalty of WGAN-GP: mean over the batch of (‖∇x D(x)‖₂ − 1)², differentiable
 * with respect to the discriminator's parameters (second-order gradients through tfjs).
 *
 * @param discriminator - the critic.
 * @param x - the points `[batch, ...]` (interpolates of real and generated samples).
 * @returns a scalar.
 * @example
 * ```ts
 * const gp = gradientPenalty(critic, interpolates);
 * ```
 */
export function gradientPenalty(discriminator: AnyModule, x: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const g = tf.grad((input: tf.Tensor) => tf.sum(discriminator.apply(input, { training: true }) as tf.Tensor))(x);
    const flat = tf.reshape(g, [g.shape[0]!, -1]);
    const norm = tf.sqrt(tf.add(tf.sum(tf.square(flat), 1), 1e-12));
    return tf.mean(tf.square(tf.sub(norm, 1))) as tf.Scalar;
  });
}

/**
 * A GAN training step for {@link fit}: per batch of real samples (`x`; `y` is ignored),
 * `discriminatorSteps` discriminator updates on real vs generated samples, then one
 * generator update, each with its own optimizer and only its own parameters. The noise comes
 * from the step's `rng`, so runs repeat and resume exactly. Logs `d.loss` and `g.loss`
 * (`loss` is the generator's). Pass the generator as fit's model; the discriminator is
 * checkpointed with it.
 *
 * @param options - the two networks, their optimizers, the loss and penalty.
 * @returns the step.
 * @throws ConfigError for a bad option.
 * @example
 * ```ts
 * await fit(generator, realBatches, {
 *   step: ganStep({ generator, discriminator, latentDim: 16,
 *     generatorOptimizer: optimizers.adam({ learningRate: 1e-3 }), discriminatorOptimizer: optimizers.adam({ learningRate: 1e-3 }) }),
 *   epochs: 10,
 * });
 * ```
 */
export function ganStep(options: GanStepOptions): FitStep {
  const unit = 'ganStep';
  const { generator, discriminator, generatorOptimizer, discriminatorOptimizer, latentDim } = options;
  if (!Number.isInteger(latentDim) || latentDim < 1) throw new ConfigError(`${unit}: latentDim expected an integer >= 1, got ${String(latentDim)}`);
  const kind = options.loss ?? 'nonSaturating';
  if (kind !== 'nonSaturating' && kind !== 'wasserstein') {
    throw new ConfigError(`${unit}: loss expected 'nonSaturating' or 'wasserstein', got '${String(kind)}'`);
  }
  const dSteps = options.discriminatorSteps ?? 1;
  if (!Number.isInteger(dSteps) || dSteps < 1) throw new ConfigError(`${unit}: discriminatorSteps expected an integer >= 1, got ${String(dSteps)}`);
  const lambda = options.gradientPenalty ?? 0;
  if (!(Number.isFinite(lambda) && lambda >= 0)) throw new ConfigError(`${unit}: gradientPenalty expected a number >= 0, got ${String(lambda)}`);
  if (generatorOptimizer === discriminatorOptimizer) {
    throw new ConfigError(`${unit}: discriminatorOptimizer expected its own optimizer, got the generator's`, {
      help: 'each network needs its own optimizer state',
    });
  }
  for (const [name, m] of [['generator', generator], ['discriminator', discriminator]] as const) {
    if (!m.built) throw new ConfigError(`${unit}: ${name} expected a built module, got ${m.label} unbuilt`);
  }

  const score = (x: tf.Tensor): tf.Tensor => discriminator.apply(x, { training: true }) as tf.Tensor;

  return {
    optimizers: { generator: generatorOptimizer, discriminator: discriminatorOptimizer },
    modules: { generator, discriminator },
    run(batch, ctx) {
      if (!(batch.x instanceof tf.Tensor)) throw new ConfigError(`${unit}: batch x expected a tensor of real samples, got a list or record`);
      const real = batch.x;
      const n = batch.size;
      let dLoss: tf.Scalar | null = null;
      for (let i = 0; i < dSteps; i++) {
        dLoss?.dispose();
        const r = ctx.rng.fold(`d${i}`);
        dLoss = tf.tidy(() => {
          const z = r.normalTensor([n, latentDim]);
          const fake = generator.apply(z, { training: true }) as tf.Tensor;
          if (fake.shape.join() !== real.shape.join()) {
            throw new ShapeError(`${unit}: generator output expected the real batch's shape ${formatShape(real.shape)}, got ${formatShape(fake.shape)}`);
          }
          const eps = lambda > 0 ? r.uniformTensor([n, ...real.shape.slice(1).map(() => 1)]) : null;
          const params = discriminator.trainableParameters();
          const { loss, grads } = valueAndGrads(
            discriminator,
            () => {
              const sReal = score(real);
              const sFake = score(fake);
              let l: tf.Scalar =
                kind === 'wasserstein'
                  ? (tf.sub(tf.mean(sFake), tf.mean(sReal)) as tf.Scalar)
                  : (tf.add(tf.mean(tf.softplus(tf.neg(sReal))), tf.mean(tf.softplus(sFake))) as tf.Scalar);
              if (eps !== null) {
                const mixed = tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake));
                l = tf.add(l, tf.mul(lambda, gradientPenalty(discriminator, mixed)));
              }
              return tf.add(l, discriminator.regularizationLoss());
            },
            { parameters: params },
          );
          discriminatorOptimizer.apply(params, grads);
          discriminator.applyConstraints();
          return loss;
        });
      }
      const gLoss = tf.tidy(() => {
        const z = ctx.rng.fold('g').normalTensor([n, latentDim]);
        const params = generator.trainableParameters();
        const { loss, grads } = valueAndGrads(
          generator,
          () => {
            const s = score(generator.apply(z, { training: true }) as tf.Tensor);
            const l = kind === 'wasserstein' ? tf.neg(tf.mean(s)) : tf.mean(tf.softplus(tf.neg(s)));
            return tf.add(l, generator.regularizationLoss());
          },
          { parameters: params },
        );
        generatorOptimizer.apply(params, grads);
        generator.applyConstraints();
        return loss;
      });
      return { loss: gLoss, values: { 'd.loss': dLoss!, 'g.loss': gLoss.clone() } };
    },
  };
}
