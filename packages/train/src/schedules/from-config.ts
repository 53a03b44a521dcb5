import { ConfigError } from '@tensorloom/core';

import { constant } from './constant.js';
import { step } from './step.js';
import { multiStep } from './multi-step.js';
import { exponential } from './exponential.js';
import { polynomial } from './polynomial.js';
import { cosine } from './cosine.js';
import { cosineRestarts } from './cosine-restarts.js';
import { linearWarmup } from './linear-warmup.js';
import { oneCycle } from './one-cycle.js';
import type { Schedule } from './schedule.js';

/**
 * Rebuilds a schedule from its `config` (as saved with an optimizer's state).
 *
 * @param config - a schedule's `config`, e.g. from `JSON.parse` of a checkpoint.
 * @returns the same schedule.
 * @throws ConfigError when the name is unknown or an option is bad.
 * @example
 * ```ts
 * const s = schedules.fromConfig({ name: 'cosine', initial: 1e-3, steps: 100, final: 0 });
 * ```
 */
export function fromConfig(config: Record<string, unknown>): Schedule {
  if (config === null || typeof config !== 'object') {
    throw new ConfigError(`Schedule fromConfig: config expected an object with a name, got ${String(config)}`);
  }
  const { name, ...rest } = config;
  const o = rest as never;
  switch (name) {
    case 'constant':
      return constant(o);
    case 'step':
      return step(o);
    case 'multi_step':
      return multiStep(o);
    case 'exponential':
      return exponential(o);
    case 'polynomial':
      return polynomial(o);
    case 'cosine':
      return cosine(o);
    case 'cosine_restarts':
      return cosineRestarts(o);
    case 'one_cycle':
      return oneCycle(o);
    case 'linear_warmup': {
      const then = (rest as { then?: unknown }).then;
      const inner = typeof then === 'number' ? then : fromConfig(then as Record<string, unknown>);
      return linearWarmup({ ...(rest as { steps: number; startFactor?: number }), then: inner });
    }
    default:
      throw new ConfigError(
        `Schedule fromConfig: name expected one of constant, step, multi_step, exponential, polynomial, cosine, cosine_restarts, linear_warmup, one_cycle, got ${JSON.stringify(name)}`,
      );
  }
}
