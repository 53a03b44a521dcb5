import { ConfigError, ShapeError, formatShape, tf } from '@tensorloom/core';
import { Dense, Module } from '@tensorloom/layers';
import type { ApplyOptions, ModuleConfig, Shape } from '@tensorloom/layers';
import { oneOf } from '../transfer/internal/validate.js';

/**
 * Configuration of {@link Perceptron}.
 *
 * @example
 * ```ts
 * const config: PerceptronConfig = { output: 'sigmoid' };
 * ```
 */
export interface PerceptronConfig extends ModuleConfig {
  /**
   * `'step'`: Rosenblatt's threshold unit, output 1 where `w·x + b > 0` else 0 (no gradient:
   * train it with {@link Perceptron.learn}); `'sigmoid'`: a logistic unit, trainable by
   * gradient descent. Default `'step'`.
   */
  output?: 'step' | 'sigmoid';
}

/**
 * The perceptron (Rosenblatt, "The Perceptron: A Probabilistic Model for Information Storage
 * and Organization in the Brain", Psychological Review 1958, https://doi.org/10.1037/h0042519):
 * a single unit `fc` (`w·x + b`) with a step or sigmoid output.
 *
 * Default config: `inputs + 1` parameters (e.g. 3 for two inputs).
 *
 * Input shape: `[batch, inputs]`. Output shape: `[batch, 1]`.
 *
 * @example
 * ```ts
 * const p = new Perceptron().build([null, 2], rng(1));
 * const errors = p.learn(x, y, 0.1); // one pass of the perceptron rule
 * ```
 */
export class Perceptron extends Module {
  /** The output function. */
  readonly output: 'step' | 'sigmoid';
  /** The unit: kernel `[inputs, 1]`, bias `[1]`. */
  readonly fc: Dense;

  constructor(config: PerceptronConfig = {}) {
    super({ name: config.name ?? 'perceptron' });
    this.output = oneOf(this.label, 'output', config.output ?? 'step', ['step', 'sigmoid'] as const);
    this.fc = this.addModule('fc', new Dense({ name: 'fc', units: 1, kernelInitializer: 'zeros' }));
  }

  protected override onBuild(inputShape: Shape): void {
    this.fc.build(inputShape);
  }

  override outputShape(inputShape: Shape): Shape {
    return this.fc.outputShape(inputShape);
  }

  /**
   * The pre-activation `w·x + b` `[batch, 1]`.
   *
   * @param x - `[batch, inputs]`.
   * @returns `[batch, 1]`.
   * @example
   * ```ts
   * const z = p.logits(x);
   * ```
   */
  logits(x: tf.Tensor): tf.Tensor {
    return this.fc.apply(x);
  }

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    return tf.tidy(() => {
      const z = this.fc.apply(x, options);
      return this.output === 'sigmoid' ? tf.sigmoid(z) : tf.cast(tf.greater(z, 0), 'float32');
    });
  }

  /**
   * One pass of the perceptron learning rule over the batch, example by example:
   * `w += η·(y − ŷ)·x`, `b += η·(y − ŷ)`, with `ŷ` the step output. Converges on linearly
   * separable data (Novikoff 1962).
   *
   * @param x - `[batch, inputs]`.
   * @param y - `[batch]` or `[batch, 1]` targets in {0, 1}.
   * @param learningRate - η > 0.
   * @returns how many examples were misclassified during the pass.
   * @throws ShapeError when `x` and `y` disagree; ConfigError for a bad learning rate.
   * @example
   * ```ts
   * while (p.learn(x, y, 1) > 0);
   * ```
   */
  learn(x: tf.Tensor, y: tf.Tensor, learningRate: number): number {
    if (!(learningRate > 0)) throw new ConfigError(`${this.label}: learningRate expected > 0, got ${learningRate}`);
    if (x.rank !== 2 || y.size !== x.shape[0]) {
      throw new ShapeError(`${this.label}: learn expected x [batch, inputs] and y [batch], got ${formatShape(x.shape)} and ${formatShape(y.shape)}`);
    }
    if (!this.built) this.build([null, x.shape[1]!]);
    const [n, d] = x.shape as [number, number];
    const xs = x.dataSync();
    const ys = y.dataSync();
    const w = Array.from(this.fc.kernel!.dataSync());
    let b = this.fc.bias!.dataSync()[0]!;
    let errors = 0;
    for (let i = 0; i < n; i++) {
      let z = b;
      for (let j = 0; j < d; j++) z += w[j]! * xs[i * d + j]!;
      const delta = ys[i]! - (z > 0 ? 1 : 0);
      if (delta !== 0) {
        errors++;
        for (let j = 0; j < d; j++) w[j]! += learningRate * delta * xs[i * d + j]!;
        b += learningRate * delta;
      }
    }
    tf.tidy(() => {
      this.fc.kernel!.assign(tf.tensor2d(w, [d, 1]));
      this.fc.bias!.assign(tf.tensor1d([b]));
    });
    return errors;
  }
}
