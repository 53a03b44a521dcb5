import { FormatError, inRange, intInRange } from '@tensorloom/core';
import type { ImageDataset, ImageDatasetCounts, ImageLoadOptions, ImageSets } from '../image-dataset.js';
import { ImageSplit } from '../image-split.js';
import type { PackageFileReader } from '../read.js';
import { resolveReader } from './files.js';
import { parsePixelJson } from './pixel-json.js';
import { stratifiedSplit } from './split.js';

/** Every image of a per-class package, classes concatenated in label order. */
export interface ClassImages {
  /** `count * 784` raw values: floats in [0, 1] (`mnist`) or bytes in [0, 255] (`fashion-mnist`). */
  pixels: Float32Array | Uint8Array;
  /** The label of each image. */
  labels: Int32Array;
  /** What a raw value is divided by to land in [0, 1] (1 or 255). */
  divisor: number;
}

/** Where a per-class image package keeps its data. */
export interface ClassImageSource {
  /** One JSON file per class, in label order. */
  files: readonly string[];
  /** How values are stored. */
  kind: 'float32' | 'uint8';
  /** Pixels per image. */
  rowSize: number;
}

/** Reads every class file of a per-class image package (`mnist`, `fashion-mnist`). */
export async function readClassImages(read: PackageFileReader, source: ClassImageSource): Promise<ClassImages> {
  const parts: { pixels: Float32Array | Uint8Array; count: number }[] = [];
  for (const file of source.files) {
    const bytes = await read(file);
    parts.push(
      source.kind === 'uint8'
        ? parsePixelJson(bytes, file, source.rowSize, 'uint8')
        : parsePixelJson(bytes, file, source.rowSize, 'float32'),
    );
  }
  const total = parts.reduce((sum, p) => sum + p.count, 0);
  const pixels = source.kind === 'uint8' ? new Uint8Array(total * source.rowSize) : new Float32Array(total * source.rowSize);
  const labels = new Int32Array(total);
  let at = 0;
  parts.forEach((part, label) => {
    pixels.set(part.pixels, at * source.rowSize);
    labels.fill(label, at, at + part.count);
    at += part.count;
  });
  return { pixels, labels, divisor: source.kind === 'uint8' ? 255 : 1 };
}

/** Copies the images at `indices` (at most `limit` of them) into a new split, scaled to [0, 1]. */
export function gatherImages(
  images: ClassImages,
  indices: Int32Array,
  limit: number,
  shape: readonly [number, number, number],
  classNames: readonly string[],
): ImageSplit {
  const n = Math.min(indices.length, limit);
  const size = shape[0] * shape[1] * shape[2];
  const out = new Float32Array(n * size);
  const labels = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = indices[k] as number;
    const src = images.pixels.subarray(i * size, (i + 1) * size);
    if (images.divisor === 1) out.set(src, k * size);
    else for (let p = 0; p < size; p++) out[k * size + p] = (src[p] as number) / images.divisor;
    labels[k] = images.labels[i] as number;
  }
  return new ImageSplit(out, labels, shape, classNames);
}

/** The options of an image loader, checked and defaulted. */
export interface ImagePlan {
  seed: number;
  trainFraction: number;
  validationFraction: number;
  limit: number;
}

/** Checks image loader options (`unit` is e.g. `'mnist.load'`). */
export function imagePlan(unit: string, options: ImageLoadOptions, defaultTrainFraction: number): ImagePlan {
  return {
    seed: intInRange(unit, 'seed', options.seed ?? 0),
    trainFraction: inRange(unit, 'trainFraction', options.trainFraction ?? defaultTrainFraction, { min: 0, max: 1, minOpen: true, maxOpen: true }),
    validationFraction: inRange(unit, 'validationFraction', options.validationFraction ?? 0, { min: 0, max: 1, maxOpen: true }),
    limit: intInRange(unit, 'limit', options.limit ?? Number.MAX_SAFE_INTEGER, 1),
  };
}


/** Builds an {@link ImageDataset} over a per-class image package. */
export function classImageDataset(spec: {
  name: string;
  classNames: readonly string[];
  source: ClassImageSource;
  counts: ImageDatasetCounts;
  defaultTrainFraction: number;
}): ImageDataset {
  const shape = [28, 28, 1] as const;
  return {
    name: spec.name,
    classNames: spec.classNames,
    shape,
    counts: spec.counts,
    defaultTrainFraction: spec.defaultTrainFraction,
    async load(options: ImageLoadOptions = {}): Promise<ImageSets> {
      const unit = `${spec.name}.load`;
      const plan = imagePlan(unit, options, spec.defaultTrainFraction);
      const read = await resolveReader(unit, options.read);
      const images = await readClassImages(read, spec.source);
      if (images.labels.length !== spec.counts.total) {
        throw new FormatError(
          `${unit}: the package files expected ${spec.counts.total} images, got ${images.labels.length}`,
          { help: 'the installed data package differs from the version @tensorloom/datasets was written for' },
        );
      }
      const split = stratifiedSplit(images.labels, plan);
      const sets: ImageSets = {
        train: gatherImages(images, split.train, plan.limit, shape, spec.classNames),
        test: gatherImages(images, split.test, plan.limit, shape, spec.classNames),
      };
      if (plan.validationFraction > 0) {
        sets.validation = gatherImages(images, split.validation, plan.limit, shape, spec.classNames);
      }
      return sets;
    },
  };
}
