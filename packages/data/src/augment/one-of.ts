import { ConfigError, describeValue } from '@tensorloom/core';
import { checkFunction } from './internal/config.js';
import { resolveRng } from './internal/sample.js';
import type { RngSource, Sample, Transform } from './types.js';

/**
 * Applies one transform chosen at random from a list, uniformly or by weights.
 *
 * One uniform draw chooses; the chosen transform then draws from the same generator.
 *
 * @param transforms - the candidates (at least one).
 * @param weights - relative weights, one per transform, ≥ 0 and not all 0; default equal.
 * @returns a {@link Transform}.
 * @throws {@link @tensorloom/core!ConfigError} for an empty list, a non-function, or bad weights.
 * @example
 * ```ts
 * const geometric = augment.oneOf(
 *   [augment.randomRotation({ degrees: 10 }), augment.randomZoom({ scale: 0.1 })],
 *   [2, 1],
 * );
 * const out = geometric(image, rng(1));
 * ```
 */
export function oneOf(transforms: readonly Transform[], weights?: readonly number[]): Transform {
  const unit = 'oneOf';
  if (!Array.isArray(transforms) || transforms.length === 0) {
    throw new ConfigError(`${unit}: transforms expected a non-empty list of transforms, got ${describeValue(transforms)}`);
  }
  transforms.forEach((t, i) => checkFunction(unit, `transforms[${i}]`, t));
  const w = weights === undefined ? transforms.map(() => 1) : Array.isArray(weights) ? [...weights] : [];
  if (
    (weights !== undefined && !Array.isArray(weights)) ||
    w.length !== transforms.length ||
    !w.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0) ||
    w.every((x) => x === 0)
  ) {
    throw new ConfigError(
      `${unit}: weights expected ${transforms.length} finite numbers >= 0, not all 0, got ${describeValue(weights)}`,
    );
  }
  const total = w.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const x of w) cumulative.push((sum += x / total));
  const steps = [...transforms];
  return <S extends Sample>(sample: S, source: RngSource): S => {
    const u = resolveRng(unit, source).uniform();
    let k = cumulative.findIndex((c) => u < c);
    if (k < 0) k = lastPositive(w); // u within rounding of 1
    return (steps[k] as Transform)(sample, source);
  };
}

function lastPositive(w: readonly number[]): number {
  for (let i = w.length - 1; i >= 0; i--) if ((w[i] as number) > 0) return i;
  return 0;
}
