// tfjs-backend-wasm's Emscripten module, when the backend initialises in Node, adds a
// process 'uncaughtException' listener and an 'unhandledRejection' listener that rethrow.
// Rethrowing from such a listener makes Node print the listener's source line (the whole
// minified module, ~38 KB) before the user's error and exit with code 7 instead of 1. Its own
// clean-up runs only when the backend is disposed, and its filter of "added" listeners is
// always true, so it would remove the program's own listeners too.

type Factory = () => unknown;
type Listener = (...args: unknown[]) => void;

/** The part of Node's `process` used here (absent in a browser). */
interface ListenerHost {
  listeners(event: string): Listener[];
  removeListener(event: string, listener: Listener): unknown;
}

const events = ['uncaughtException', 'unhandledRejection'] as const;

/**
 * Wraps a backend factory so that the process's `uncaughtException` and
 * `unhandledRejection` listeners are, once it has run (or failed), exactly what they were
 * before: whatever it added is removed, nothing the program had is touched.
 */
export function keepingProcessListeners<F extends Factory>(factory: F): F {
  const proc = (globalThis as { process?: Partial<ListenerHost> }).process as ListenerHost | undefined;
  if (proc === undefined || typeof proc.listeners !== 'function') return factory; // a browser
  const restore = (before: Map<string, Set<Listener>>): void => {
    for (const event of events) {
      for (const listener of proc.listeners(event)) {
        if (!before.get(event)!.has(listener)) proc.removeListener(event, listener);
      }
    }
  };
  const wrapped = (): unknown => {
    const before = new Map(events.map((e) => [e, new Set<Listener>(proc.listeners(e))]));
    let result: unknown;
    try {
      result = factory();
    } catch (e) {
      restore(before);
      throw e;
    }
    if (result instanceof Promise) {
      return result.finally(() => restore(before));
    }
    restore(before);
    return result;
  };
  return wrapped as F;
}
