import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, FormatError } from '@tensorloom/core';
import type { CheckpointStore } from '../checkpoint/store.js';
import { checkCheckpointName } from '../checkpoint/store.js';
import type { Sink } from '../callbacks/sink.js';

/** The file a checkpoint directory must hold to count as complete (written last). */
const MARKER = 'trainer.json';

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function unique(): string {
  return `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * A {@link CheckpointStore} of directories under `dir`, one per checkpoint, written
 * atomically: the files go into a hidden temporary directory, each is fsynced, then the
 * directory is fsynced and renamed into place and the parent directory is fsynced — the
 * directory entry comes last, so a crash at any byte leaves either the whole new checkpoint
 * or none of it, and never touches the earlier ones. `trainer.json` is written last inside
 * it, and only directories holding it are listed. Removal renames the directory away first.
 *
 * @param dir - the run directory (created when missing).
 * @returns the store.
 * @example
 * ```ts
 * import { fileStore } from '@tensorloom/train/node';
 * const store = fileStore('runs/mnist');
 * await fit(model, data, { ...options, callbacks: [callbacks.checkpoint({ store, every: { steps: 200 } })] });
 * await fit(model, data, { ...options, resumeFrom: store }); // after a crash
 * ```
 */
export function fileStore(dir: string): CheckpointStore {
  if (typeof dir !== 'string' || dir.length === 0) throw new ConfigError(`fileStore: dir expected a directory path, got ${String(dir)}`);
  return {
    location: dir,
    async write(name, files) {
      checkCheckpointName('fileStore', name);
      await mkdir(dir, { recursive: true });
      const tmp = join(dir, `.tmp-${name}-${unique()}`);
      await mkdir(tmp);
      const names = Object.keys(files).filter((f) => f !== MARKER);
      if (files[MARKER] !== undefined) names.push(MARKER);
      for (const f of names) {
        if (!/^[A-Za-z0-9_.-]+$/.test(f) || f.startsWith('.')) throw new ConfigError(`fileStore: file name expected letters, digits, '_', '-' or '.', got '${f}'`);
        await writeDurably(join(tmp, f), files[f]!);
      }
      await fsyncPath(tmp);
      const target = join(dir, name);
      let old: string | null = null;
      if (await exists(target)) {
        old = join(dir, `.old-${name}-${unique()}`);
        await rename(target, old);
      }
      await rename(tmp, target);
      await fsyncPath(dir);
      if (old !== null) await rm(old, { recursive: true, force: true });
    },
    async list() {
      let entries: string[];
      try {
        entries = await readdir(dir);
      } catch {
        return [];
      }
      const complete: string[] = [];
      for (const e of entries) {
        if (e.startsWith('.')) continue;
        if (await exists(join(dir, e, MARKER))) complete.push(e);
      }
      return complete.sort();
    },
    async read(name) {
      checkCheckpointName('fileStore', name);
      const path = join(dir, name);
      let entries: string[];
      try {
        entries = await readdir(path);
      } catch (cause) {
        throw new FormatError(`fileStore '${dir}': checkpoint '${name}' expected a directory, got none`, { cause });
      }
      const out: Record<string, Uint8Array> = {};
      for (const f of entries) out[f] = new Uint8Array(await readFile(join(path, f)));
      return out;
    },
    async remove(name) {
      checkCheckpointName('fileStore', name);
      const path = join(dir, name);
      if (!(await exists(path))) return;
      const gone = join(dir, `.del-${name}-${unique()}`);
      await rename(path, gone);
      await rm(gone, { recursive: true, force: true });
    },
  };
}

/**
 * A {@link Sink} that appends to a file (for `csvLogger`, `jsonlLogger`, `tensorBoard`). The
 * file is truncated on the first write unless `append` is set.
 *
 * @param path - the file.
 * @param options - `append: true` keeps what is there (a resumed run). Default `false`.
 * @returns the sink.
 * @example
 * ```ts
 * callbacks.csvLogger({ sink: fileSink('runs/mnist/log.csv') });
 * ```
 */
export function fileSink(path: string, options: { append?: boolean } = {}): Sink {
  let started = options.append === true;
  return (chunk) => {
    if (!started) {
      writeFileSync(path, chunk);
      started = true;
    } else {
      appendFileSync(path, chunk);
    }
  };
}

/**
 * A {@link Sink} for `callbacks.tensorBoard`: a new event file
 * `dir/events.out.tfevents.<seconds>.<host>` (the name TensorBoard looks for), the directory
 * created when missing.
 *
 * @param dir - the log directory (`tensorboard --logdir <dir>`).
 * @returns the sink.
 * @example
 * ```ts
 * callbacks.tensorBoard({ sink: tensorBoardFile('runs/mnist/tb') });
 * ```
 */
export function tensorBoardFile(dir: string): Sink {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `events.out.tfevents.${Math.floor(Date.now() / 1000)}.${hostname()}.${process.pid}`);
  return fileSink(path);
}
