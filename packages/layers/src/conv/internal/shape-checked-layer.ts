// The common base of the conv folder's layers (convolution, pooling, resampling, padding,
// cropping). Not exported from the package.
import type { tf } from '@tensorloom/core';
import { Module } from '../../module/module.js';
import type { ApplyOptions, Shape } from '../../module/module.js';

/**
 * A layer whose output shape is a pure function of its input shape: the function checks the
 * input shape when the layer builds, when asked for the output shape, and on every call, so
 * a bad input fails with the same message everywhere. Such a layer drops masks.
 */
export abstract class ShapeCheckedLayer extends Module {
  /** The output shape for `inputShape`; throws a ShapeError naming this layer for a bad input. */
  protected abstract shapeFor(inputShape: Shape): Shape;

  /** The forward computation, on an input whose shape `shapeFor` accepted. */
  protected abstract forward(x: tf.Tensor, options: ApplyOptions): tf.Tensor;

  /** Checks the input shape; a layer with parameters calls it first, then creates them. */
  protected override onBuild(inputShape: Shape): void {
    this.shapeFor(inputShape);
  }

  /** The output shape for an input shape, with the same checks as a call: a ShapeError for an input this layer rejects. */
  override outputShape(inputShape: Shape): Shape {
    return this.shapeFor(inputShape);
  }

  /** Always `null`: this layer does not propagate masks. */
  override computeMask(): null {
    return null;
  }

  /** Checks the input's shape, then computes the output. */
  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    this.shapeFor(x.shape);
    return this.forward(x, options);
  }
}
