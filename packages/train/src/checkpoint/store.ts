import { ConfigError, FormatError } from '@tensorloom/core';

/**
 * Where checkpoints live. A write is all or nothing: until `write` resolves, `list` does not
 * show the checkpoint, and a crash in the middle leaves the earlier ones whole.
 * `memoryStore()` keeps them in memory (browsers, tests); `fileStore(dir)` from
 * `@tensorloom/train/node` writes directories atomically (temporary file, fsync, rename).
 *
 * @example
 * ```ts
 * const store: CheckpointStore = memoryStore();
 * await store.write('step-00000010', { 'trainer.json': new TextEncoder().encode('{}') });
 * await store.list(); // ['step-00000010']
 * ```
 */
export interface CheckpointStore {
  /** Where the store writes, for messages (`'memory'`, a directory path). */
  readonly location: string;
  /** Writes one checkpoint (its files by name) atomically, replacing one of the same name. */
  write(name: string, files: Record<string, Uint8Array>): Promise<void>;
  /** The names of the complete checkpoints, sorted. */
  list(): Promise<string[]>;
  /** Reads a checkpoint's files. */
  read(name: string): Promise<Record<string, Uint8Array>>;
  /** Deletes a checkpoint (no error when it is absent). */
  remove(name: string): Promise<void>;
}

/** @internal Checks a checkpoint name: letters, digits, `-`, `_`, `.` (not leading). */
export function checkCheckpointName(unit: string, name: string): void {
  if (!/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(name)) {
    throw new ConfigError(`${unit}: checkpoint name expected letters, digits, '_', '-' or '.', got '${name}'`);
  }
}

/**
 * A {@link CheckpointStore} in memory: for browsers and tests. Files are copied on write and
 * on read.
 *
 * @example
 * ```ts
 * const store = memoryStore();
 * await fit(model, data, { ...options, callbacks: [callbacks.checkpoint({ store, every: { steps: 100 } })] });
 * await fit(model2, data, { ...options, resumeFrom: store });
 * ```
 */
export function memoryStore(): CheckpointStore {
  const saved = new Map<string, Record<string, Uint8Array>>();
  const copy = (files: Record<string, Uint8Array>): Record<string, Uint8Array> =>
    Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.slice()]));
  return {
    location: 'memory',
    async write(name, files) {
      checkCheckpointName('memoryStore', name);
      saved.set(name, copy(files));
    },
    async list() {
      return [...saved.keys()].sort();
    },
    async read(name) {
      const files = saved.get(name);
      if (files === undefined) throw new FormatError(`memoryStore: checkpoint '${name}' expected to exist, got none of that name`);
      return copy(files);
    },
    async remove(name) {
      saved.delete(name);
    },
  };
}
