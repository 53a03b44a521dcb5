import { ConfigError, ShapeError, formatShape, tf } from '@tensorloom/core';
import type { Module } from '@tensorloom/layers';

/**
 * A module of any input and output type, as the training functions take it.
 *
 * @example
 * ```ts
 * const m: AnyModule = new Sequential([new Dense({ units: 1 })]);
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = Module<any, any>;

/**
 * What {@link valueAndGrads} returns: the loss and one gradient per trainable parameter that
 * the loss depends on, keyed by the parameter's dotted path (`'fc1.kernel'`). The caller owns
 * (and disposes) every tensor.
 *
 * @example
 * ```ts
 * const { loss, grads } = valueAndGrads(model, () => lossOf(model));
 * Object.keys(grads); // ['fc1.kernel', 'fc1.bias', ...]
 * ```
 */
export interface LossAndGrads {
  /** The scalar loss. */
  loss: tf.Scalar;
  /** Gradients by dotted parameter path; a parameter the loss does not reach has no entry. */
  grads: Record<string, tf.Tensor>;
}

/**
 * Options of {@link valueAndGrads}.
 *
 * @example
 * ```ts
 * valueAndGrads(gan, lossFn, { parameters: generatorParams });
 * ```
 */
export interface ValueAndGradsOptions {
  /**
   * The parameters to differentiate, by path. Default: `module.trainableParameters()` (frozen
   * parameters are left out). A GAN step passes the generator's or the discriminator's.
   */
  parameters?: Record<string, tf.Variable>;
}

/**
 * Computes a loss and its gradients with respect to a module's trainable parameters, keyed
 * by their dotted paths instead of tfjs's variable names.
 *
 * `lossFn` runs under the gradient tape; it must return a scalar. Nothing is read back from
 * the device.
 *
 * @param module - the module whose parameters are differentiated.
 * @param lossFn - computes the scalar loss (usually applying `module` to a batch).
 * @param options - which parameters to differentiate.
 * @returns the loss and the gradients, owned by the caller.
 * @throws ConfigError when the module has no trainable parameter or none of them reaches the
 *   loss; ShapeError when `lossFn` returns a non-scalar.
 * @example
 * ```ts
 * const { loss, grads } = valueAndGrads(model, () =>
 *   tf.losses.meanSquaredError(y, model.apply(x, { training: true })) as tf.Scalar);
 * optimizer.apply(model.trainableParameters(), grads);
 * tf.dispose([loss, grads]);
 * ```
 */
export function valueAndGrads(module: AnyModule, lossFn: () => tf.Scalar, options: ValueAndGradsOptions = {}): LossAndGrads {
  const params = options.parameters ?? module.trainableParameters();
  const paths = Object.keys(params);
  if (paths.length === 0) {
    throw new ConfigError(`valueAndGrads ${module.label}: parameters expected at least one trainable parameter, got none`, {
      help: module.built ? 'every parameter is frozen; unfreeze() the part to train' : 'build the module first (model.build(inputShape, rng))',
    });
  }
  const variables = paths.map((p) => params[p]!);
  const byName = new Map(variables.map((v, i) => [v.name, paths[i]!]));
  const f = (): tf.Scalar => {
    const value = lossFn();
    if (!(value instanceof tf.Tensor) || value.rank !== 0) {
      const got = value instanceof tf.Tensor ? `shape ${formatShape(value.shape)}` : String(value);
      throw new ShapeError(`valueAndGrads ${module.label}: lossFn result expected a scalar tensor, got ${got}`, {
        help: "reduce the loss with 'mean' or 'sum'",
      });
    }
    return value;
  };
  // tfjs's variableGrads leaves out frozen (non-trainable) variables even when listed.
  let result: { value: tf.Scalar; grads: tf.NamedTensorMap };
  try {
    result = tf.variableGrads(f, variables as tf.Variable[]);
  } catch (cause) {
    if (cause instanceof ShapeError) throw cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    if (/Cannot find a connection|expects at least one/.test(message)) {
      throw new ConfigError(`valueAndGrads ${module.label}: lossFn expected to depend on the module's parameters, got a loss none of them reaches`, {
        cause,
        help: 'apply the module inside lossFn, not before it',
      });
    }
    throw cause;
  }
  const grads: Record<string, tf.Tensor> = {};
  for (const [name, g] of Object.entries(result.grads)) {
    if (g !== null && g !== undefined) grads[byName.get(name)!] = g;
  }
  return { loss: result.value, grads };
}
