import { TensorloomError } from '@tensorloom/core';
import type { TensorloomErrorOptions } from '@tensorloom/core';

/**
 * Training stopped because it went wrong while running (a non-finite loss, a failed resume),
 * as opposed to a bad option, which is a `ConfigError` before the first step.
 *
 * @example
 * ```ts
 * try { await fit(model, data, options); } catch (e) { if (e instanceof TrainingError) console.log(e.message); }
 * ```
 */
export class TrainingError extends TensorloomError {
  constructor(message: string, options?: TensorloomErrorOptions) {
    super(message, options);
    this.name = 'TrainingError';
  }
}
