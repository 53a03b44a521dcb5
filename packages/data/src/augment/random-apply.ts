import { inRange } from '@tensorloom/core';
import { checkFunction } from './internal/config.js';
import { resolveRng } from './internal/sample.js';
import type { RngSource, Sample, Transform } from './types.js';

/**
 * Applies a transform with probability `p`, else returns the sample as it is (the same
 * object, nothing copied).
 *
 * One uniform draw decides; the transform then draws from the same generator.
 *
 * @param p - probability of applying, in [0, 1].
 * @param transform - the transform to apply.
 * @returns a {@link Transform}.
 * @throws {@link @tensorloom/core!ConfigError} when `p` is not in [0, 1] or `transform` is not a function.
 * @example
 * ```ts
 * const sometimesBlur = augment.randomApply(0.3, augment.gaussianBlur({ kernelSize: 3, sigma: [0.1, 1] }));
 * const out = sometimesBlur(image, rng(1));
 * ```
 */
export function randomApply(p: number, transform: Transform): Transform {
  const unit = 'randomApply';
  inRange(unit, 'p', p, { min: 0, max: 1 });
  checkFunction(unit, 'transform', transform);
  return <S extends Sample>(sample: S, source: RngSource): S =>
    resolveRng(unit, source).uniform() < p ? transform(sample, source) : sample;
}
