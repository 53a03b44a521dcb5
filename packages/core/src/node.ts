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
 */
export async function loadSafetensors(
  path: string,
  options: { expect?: SafetensorsExpectation } = {},
): Promise<SafetensorsContent> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new FormatError(`safetensors '${path}': cannot read the file`, { cause });
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
 */
export async function saveSafetensors(
  path: string,
  tensors: Record<string, tf.Tensor>,
  metadata?: Record<string, string>,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, writeSafetensors(tensors, metadata));
}
