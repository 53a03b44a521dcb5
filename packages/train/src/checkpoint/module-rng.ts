import type { AnyModule } from '../step/value-and-grads.js';

// A Module draws each call's randomness (dropout masks, noise) from a stream that advances on
// every call in training mode; resuming bit-identically needs its state, which layers' Module
// exposes as callRngState / setCallRngState.

/** @internal The state of every module's call stream by path (`null`: not started). */
export function moduleRngState(model: AnyModule): Record<string, [number, number, number, number] | null> {
  const out: Record<string, [number, number, number, number] | null> = {};
  for (const [path, m] of model.modules()) out[path] = m.callRngState();
  return out;
}

/** @internal Restores what {@link moduleRngState} returned; paths not in `state` are reset to not started. */
export function setModuleRngState(model: AnyModule, state: Record<string, readonly number[] | null>): void {
  for (const [path, m] of model.modules()) m.setCallRngState(state[path] ?? null);
}
