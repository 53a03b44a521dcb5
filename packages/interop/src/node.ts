/**
 * Node-only helpers of `@tensorloom/interop`: writing exported models to files.
 *
 * @packageDocumentation
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Module } from '@tensorloom/layers';
import { exportOnnx } from './onnx/export-onnx.js';
import type { ExportOnnxOptions } from './onnx/export-onnx.js';

/**
 * Exports a built model with {@link exportOnnx} and writes the `.onnx` file, creating its folder.
 *
 * @param path - the file to write.
 * @param model - a built model.
 * @param options - as for `exportOnnx`: the input shape (required), opset, input dtype, names.
 * @returns the number of bytes written.
 * @throws ConfigError as `exportOnnx` does, before anything is written.
 * @example
 * ```ts
 * import { writeOnnx } from '@tensorloom/interop/node';
 * await writeOnnx('runs/mnist/model.onnx', model, { inputShape: [null, 28, 28, 1] });
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function writeOnnx(path: string, model: Module<any, any>, options: ExportOnnxOptions): Promise<number> {
  const bytes = exportOnnx(model, options);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
  return bytes.byteLength;
}
