import { ConfigError, describeValue, forEachTensor } from '@tensorloom/core';
import type { tf } from '@tensorloom/core';
import { checkFunction } from './internal/config.js';
import { resolveRng } from './internal/sample.js';
import type { RngSource, Sample, Transform } from './types.js';

/**
 * Chains transforms into one: each gets the previous one's output and the same generator
 * (which it advances), so the chain is as reproducible as its parts.
 *
 * Intermediate results are disposed as soon as the next transform has made its output;
 * the caller's input and the final output are never disposed. On an error the
 * intermediates made so far are disposed too.
 *
 * @param transforms - the transforms, applied first to last.
 * @returns a {@link Transform}.
 * @throws {@link @tensorloom/core!ConfigError} when `transforms` is not a list of functions.
 * @example
 * ```ts
 * const train = augment.compose([
 *   augment.randomTranslate({ max: 2 }),
 *   augment.randomRotation({ degrees: 10 }),
 *   augment.normalize({ mean: 0.1307, std: 0.3081 }),
 * ]);
 * const out = train(image, rng(1));
 * ```
 */
export function compose(transforms: readonly Transform[]): Transform {
  const unit = 'compose';
  if (!Array.isArray(transforms)) {
    throw new ConfigError(`${unit}: transforms expected a list of transforms, got ${describeValue(transforms)}`);
  }
  transforms.forEach((t, i) => checkFunction(unit, `transforms[${i}]`, t));
  const steps = [...transforms];
  return <S extends Sample>(sample: S, source: RngSource): S => {
    resolveRng(unit, source);
    const original = tensorsOf(sample);
    let current = sample;
    try {
      for (const step of steps) {
        const next = step(current, source);
        if (current !== sample) disposeReplaced(current, next, original);
        current = next;
      }
    } catch (error) {
      if (current !== sample) disposeReplaced(current, undefined, original);
      throw error;
    }
    return current;
  };
}

function tensorsOf(value: unknown): Set<tf.Tensor> {
  const set = new Set<tf.Tensor>();
  forEachTensor(value, (t) => set.add(t));
  return set;
}

/** Disposes the tensors of `previous` that are neither in `next` nor the caller's input. */
function disposeReplaced(previous: unknown, next: unknown, original: Set<tf.Tensor>): void {
  const survivors = tensorsOf(next);
  forEachTensor(previous, (t) => {
    if (!original.has(t) && !survivors.has(t) && !t.isDisposed) t.dispose();
  });
}
