// Test helpers for the model tests: a plain Adam loop (models must not import the train
// package) and parameter counting. Not exported from the package.
import { tf } from '@tensorloom/core';
import type { Module, ParameterShape } from '@tensorloom/layers';

/** Trainable scalars in a `parameterShapes` result. */
export function trainableCount(shapes: Record<string, ParameterShape>): number {
  return Object.values(shapes)
    .filter((s) => s.trainable)
    .reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
}

/**
 * Runs `steps` Adam steps (β = 0.9, 0.999, ε = 1e-8) on the trainable parameters of
 * `modules` minimising `loss`; returns the loss before each step.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function adamSteps(modules: readonly Module<any, any>[], loss: () => tf.Scalar, steps: number, learningRate: number): number[] {
  const vars = modules.flatMap((m) => Object.values(m.trainableParameters()));
  const slots = vars.map((v) => ({ m: tf.variable(tf.zerosLike(v), false), s: tf.variable(tf.zerosLike(v), false) }));
  const losses: number[] = [];
  for (let t = 1; t <= steps; t++) {
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(loss, vars);
      losses.push(value.dataSync()[0]!);
      vars.forEach((v, i) => {
        const g = grads[v.name]!;
        const { m, s } = slots[i]!;
        m.assign(tf.add(tf.mul(m, 0.9), tf.mul(g, 0.1)));
        s.assign(tf.add(tf.mul(s, 0.999), tf.mul(tf.square(g), 0.001)));
        const mHat = tf.div(m, 1 - 0.9 ** t);
        const sHat = tf.div(s, 1 - 0.999 ** t);
        v.assign(tf.sub(v, tf.mul(learningRate, tf.div(mHat, tf.add(tf.sqrt(sHat), 1e-8)))));
      });
    });
  }
  slots.forEach(({ m, s }) => tf.dispose([m, s]));
  return losses;
}

/** Mean sparse softmax cross-entropy of logits `[batch, classes]` against integer labels. */
export function crossEntropy(logits: tf.Tensor, labels: readonly number[]): tf.Scalar {
  return tf.tidy(() => {
    const classes = logits.shape[logits.rank - 1]!;
    const oneHot = tf.oneHot(tf.tensor1d([...labels], 'int32'), classes);
    return tf.losses.softmaxCrossEntropy(oneHot, logits.reshape([-1, classes])) as tf.Scalar;
  });
}
