/**
 * Node-only helpers of `@tensorloom/interop`: writing exported models to files.
 *
 * @packageDocumentation
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FormatError } from '@tensorloom/core';
import type { tf } from '@tensorloom/core';
import type { Module, Sequential } from '@tensorloom/layers';
import type { LayerGraph } from './tfjs-layers/layer-graph.js';
import { exportOnnx } from './onnx/export-onnx.js';
import type { ExportOnnxOptions } from './onnx/export-onnx.js';
import { fromTfjsLayers, toTfjsLayers } from './tfjs-layers/tfjs-layers.js';
import type { ToTfjsLayersOptions } from './tfjs-layers/tfjs-layers.js';

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

async function readOrFail(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    const missing = (cause as { code?: string }).code === 'ENOENT';
    throw new FormatError(`tfjs-layers model '${path}': ${missing ? `no such ${what}` : `cannot read the ${what}`}`, { cause });
  }
}

/**
 * Loads a tfjs-layers model saved with `model.save('file://dir')` (or `downloads://`):
 * `model.json` and its weight shards, into the equivalent Tensorloom Sequential, or a
 * `LayerGraph` for a functional model (see `fromTfjsLayers`).
 *
 * @param modelJsonPath - the `model.json` file; shards are read from its folder.
 * @returns the built model with the saved weights.
 * @throws FormatError naming the file when it or a shard is missing, truncated or not JSON;
 *   the errors of `fromTfjsLayers` for unsupported layers and mismatched weights.
 * @example
 * ```ts
 * import { loadTfjsLayersModel } from '@tensorloom/interop/node';
 * const model = await loadTfjsLayersModel('saved/model.json');
 * ```
 */
export async function loadTfjsLayersModel(modelJsonPath: string): Promise<Sequential | LayerGraph> {
  const text = (await readOrFail(modelJsonPath, 'file')).toString('utf8');
  let json: { modelTopology?: unknown; weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  try {
    json = JSON.parse(text) as typeof json;
  } catch (cause) {
    throw new FormatError(`tfjs-layers model '${modelJsonPath}': not a model.json file (not valid JSON)`, { cause });
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const shards: Uint8Array[] = [];
  for (const group of json.weightsManifest ?? []) {
    specs.push(...group.weights);
    for (const p of group.paths) shards.push(await readOrFail(join(dirname(modelJsonPath), p), 'weight shard'));
  }
  const total = shards.reduce((n, s) => n + s.byteLength, 0);
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * (s.quantization ? ({ uint8: 1, uint16: 2, float16: 2 } as Record<string, number>)[s.quantization.dtype]! : 4), 0);
  if (total !== expected) {
    throw new FormatError(`tfjs-layers model '${modelJsonPath}': weight shards expected ${expected} bytes for the manifest, got ${total}`, {
      help: 'a shard is truncated or belongs to another model',
    });
  }
  const data = new Uint8Array(total);
  let at = 0;
  for (const s of shards) {
    data.set(s, at);
    at += s.byteLength;
  }
  return fromTfjsLayers(
    { modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'], weightSpecs: specs, weightData: data.buffer },
    { source: modelJsonPath },
  );
}

/**
 * Saves a Tensorloom Sequential or LayerGraph of shared layers in the tfjs-layers format: `model.json`
 * and one `weights.bin` in `dir`, loadable with `tf.loadLayersModel('file://dir/model.json')`
 * (tfjs-node) or from a web server.
 *
 * @param dir - the folder (created when needed).
 * @param model - a built Sequential or LayerGraph.
 * @param options - the input shape (a Sequential's; a LayerGraph knows its own).
 * @returns the path of `model.json`.
 * @example
 * ```ts
 * import { saveTfjsLayersModel } from '@tensorloom/interop/node';
 * await saveTfjsLayersModel('export/tfjs', model, { inputShape: [null, 784] });
 * ```
 */
export async function saveTfjsLayersModel(dir: string, model: Sequential | LayerGraph, options: ToTfjsLayersOptions = {}): Promise<string> {
  const artifacts = await toTfjsLayers(model, options);
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'model.json');
  const modelJson = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  };
  await writeFile(join(dir, 'weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
  await writeFile(path, JSON.stringify(modelJson));
  return path;
}
