/**
 * Node-only helpers of `@tensorloom/core`: safetensors files on disk.
 *
 * @module
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { FormatError } from './errors.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';
import type { SafetensorsContent, SafetensorsExpectation } from './safetensors.js';

const REASONS: Record<string, (what: 'file' | 'folder') => string> = {
  ENOENT: (what) => `no such ${what}`,
  EACCES: () => 'permission denied',
  EPERM: () => 'permission denied',
  EISDIR: () => 'it is a folder',
  ENOTDIR: (what) => (what === 'folder' ? 'it is not a folder' : 'a part of the path is not a folder'),
  EMFILE: () => 'too many open files',
};

/**
 * The error for a file or folder that cannot be read: a `FormatError` whose message says why
 * in words (`no such file`, `permission denied`, `it is a folder`, or the system's message),
 * with the system error kept as `cause`. Every reader in Tensorloom reports this way.
 *
 * @param unit - names the reader and the path: `readCsv 'data/iris.csv'`.
 * @param cause - what `fs` threw.
 * @param what - `'file'` (default) or `'folder'`.
 * @example
 * ```ts
 * import { fileReadError } from '@tensorloom/core/node';
 * try { await readFile(path); } catch (cause) { throw fileReadError(`readImage '${path}'`, cause); }
 * // readImage 'x.png': cannot read the file: no such file
 * ```
 *
 * @group Tensor files
 */
export function fileReadError(unit: string, cause: unknown, what: 'file' | 'folder' = 'file'): FormatError {
  const code = (cause as { code?: unknown } | null)?.code;
  const reason =
    typeof code === 'string' && code in REASONS
      ? REASONS[code]!(what)
      : cause instanceof Error
        ? cause.message
        : String(cause);
  return new FormatError(`${unit}: cannot read the ${what}: ${reason}`, { cause });
}

/**
 * Reads a `.safetensors` file into tensors (owned by the caller).
 *
 * @param path - the file.
 * @param options - an optional expectation of names and shapes to check.
 * @throws `FormatError` naming the file when it cannot be read or is malformed.
 * @example
 * ```ts
 * import { loadSafetensors } from '@tensorloom/core/node';
 * const { tensors, metadata } = await loadSafetensors('runs/mnist/model.safetensors');
 * ```
 *
 * @group Tensor files
 */
export async function loadSafetensors(
  path: string,
  options: { expect?: SafetensorsExpectation } = {},
): Promise<SafetensorsContent> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw fileReadError(`safetensors '${path}'`, cause);
  }
  return readSafetensors(bytes, { source: path, ...options });
}

/**
 * Writes tensors to a `.safetensors` file, creating its folder when needed.
 *
 * @param path - the file.
 * @param tensors - tensors by name; not disposed.
 * @param metadata - optional string metadata stored in the header.
 * @example
 * ```ts
 * import { saveSafetensors } from '@tensorloom/core/node';
 * await saveSafetensors('runs/mnist/model.safetensors', model.state());
 * ```
 *
 * @group Tensor files
 */
export async function saveSafetensors(
  path: string,
  tensors: Record<string, tf.Tensor>,
  metadata?: Record<string, string>,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, writeSafetensors(tensors, metadata));
}
