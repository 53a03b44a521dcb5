/**
 * A pure function of the optimizer step (0-based) giving the learning rate; carries its config for
 * saving.
 *
 * @example
 * ```ts
 * const s: Schedule = schedules.cosine({ initial: 1e-3, steps: 1000 });
 * s(0);   // 1e-3
 * s.config; // { name: 'cosine', initial: 0.001, steps: 1000, … }
 * ```
 */
export interface Schedule {
  (step: number): number;
  /** The schedule's JSON configuration (its `name` and options), saved with the optimizer state. */
  readonly config: Record<string, unknown>;
}
