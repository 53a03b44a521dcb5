// Shape propagation through children, so every model supports the shape-only build
// (Module.parameterShapes). Not exported from the package.
import type { Module, Shape } from '@tensorloom/layers';
import type { ApplyOptions } from '@tensorloom/layers';
import type { tf } from '@tensorloom/core';

/** A single-tensor module. */
export type Layer = Module<tf.Tensor, tf.Tensor>;

/** Builds each module on the previous one's output shape; returns the last output shape. */
export function buildChain(modules: readonly Layer[], inputShape: Shape): Shape {
  let shape = inputShape;
  for (const m of modules) {
    m.build(shape);
    shape = m.outputShape(shape);
  }
  return shape;
}

/** The output shape of a chain, without building anything new. */
export function chainShape(modules: readonly Layer[], inputShape: Shape): Shape {
  return modules.reduce((shape, m) => m.outputShape(shape), inputShape);
}

/** Applies each module in order (call it inside a tidy). */
export function applyChain(modules: readonly Layer[], x: tf.Tensor, options: ApplyOptions): tf.Tensor {
  return modules.reduce((h, m) => m.apply(h, options), x);
}
