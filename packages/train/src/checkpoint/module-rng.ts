import { Rng } from '@tensorloom/core';
import type { AnyModule } from '../step/value-and-grads.js';

// A Module draws each call's randomness (dropout masks, noise) from a private stream that
// advances on every call in training mode; resuming bit-identically needs its state. layers'
// Module has no public accessor for it yet, so this reads and writes the field by name, and
// checks that it is there, so a rename in layers fails loudly here instead of silently.
interface WithCallStream {
  callStream: Rng | null;
}

function streamOf(m: unknown): WithCallStream | null {
  return m !== null && typeof m === 'object' && 'callStream' in m ? (m as WithCallStream) : null;
}

/** @internal The state of every module's call stream by path (`null`: not started). */
export function moduleRngState(model: AnyModule): Record<string, [number, number, number, number] | null> {
  const out: Record<string, [number, number, number, number] | null> = {};
  for (const [path, m] of model.modules()) {
    const s = streamOf(m);
    if (s === null) continue;
    out[path] = s.callStream === null ? null : s.callStream.getState();
  }
  return out;
}

/** @internal Restores what {@link moduleRngState} returned; paths not in `state` are reset to not started. */
export function setModuleRngState(model: AnyModule, state: Record<string, readonly number[] | null>): void {
  for (const [path, m] of model.modules()) {
    const target = streamOf(m);
    if (target === null) continue;
    const s = state[path];
    target.callStream = s === undefined || s === null ? null : new Rng(s);
  }
}
