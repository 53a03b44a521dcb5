// The judge of the samples: the image-classification app's classifier, rebuilt from its run
// folder (config.json + model.safetensors) with the public entries of models. Apps do not
// import each other, so the three architectures of that app are restated here, with the
// hyper-parameters its README documents; a folder this code cannot rebuild is one clear error.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rng, tf } from '@tensorloom/core';
import { loadSafetensors } from '@tensorloom/core/node';
import type { Module } from '@tensorloom/layers';
import { BackboneModel, CifarResNet, VisionTransformer, lenet5Relu } from '@tensorloom/models';

/** The classifier run the `--classifier` flag names by default: what `npm start` writes. */
export const DEFAULT_CLASSIFIER = 'runs/mnist-quick';

const ARCHITECTURES = ['lenet5', 'resnet', 'vit'] as const;

/** What this app reads of an image-classification run's `config.json`. */
export interface ClassifierConfig {
  dataset: string;
  spec: { architecture: (typeof ARCHITECTURES)[number]; classes: number; inputShape: [number, number, number] };
  classNames: string[];
}

/** A loaded classifier: logits and penultimate features of a batch in one forward pass. */
export interface Classifier {
  dir: string;
  config: ClassifierConfig;
  /** Images `[b, 28, 28, 1]` in [0, 1] → class probabilities `[b, classes]` and the penultimate features `[b, F]`. */
  run(images: tf.Tensor): { probabilities: tf.Tensor; features: tf.Tensor };
  dispose(): void;
}

/** A run folder that is missing or is not what the command needs: the CLI prints its message as one line. */
export class RunFolderError extends Error {
  override name = 'RunFolderError';
}

function foreign(dir: string, what: string): Error {
  return new RunFolderError(
    `classifier folder '${dir}': ${what} (expected a run folder written by 'image-classification train', e.g. by 'npm start', which writes ${DEFAULT_CLASSIFIER})`,
  );
}

/** Checks the parts of an image-classification `config.json` this app needs. */
function checkConfig(dir: string, value: unknown): ClassifierConfig {
  const c = value as Partial<ClassifierConfig> | null;
  const spec = c?.spec;
  if (typeof c !== 'object' || c === null || typeof spec !== 'object' || spec === null) {
    throw foreign(dir, `config.json has no model spec, got the keys ${c && typeof c === 'object' ? Object.keys(c).join(', ') || 'none' : typeof c}`);
  }
  if (!(ARCHITECTURES as readonly string[]).includes(spec.architecture)) {
    throw foreign(dir, `config.json spec.architecture expected one of ${ARCHITECTURES.join(', ')}, got ${JSON.stringify(spec.architecture)}`);
  }
  if (!Number.isInteger(spec.classes) || !Array.isArray(spec.inputShape) || spec.inputShape.length !== 3) {
    throw foreign(dir, `config.json spec expected classes and inputShape [h, w, c], got ${JSON.stringify(spec)}`);
  }
  if (typeof c.dataset !== 'string' || !Array.isArray(c.classNames) || c.classNames.length !== spec.classes) {
    throw foreign(dir, `config.json expected a dataset and ${spec.classes} classNames, got ${JSON.stringify({ dataset: c.dataset, classNames: c.classNames })}`);
  }
  return c as ClassifierConfig;
}

/** The networks of the image-classification app (its `architectures.ts`), by spec. */
function buildClassifier(spec: ClassifierConfig['spec']): Module {
  const [h, w, c] = spec.inputShape;
  const model =
    spec.architecture === 'lenet5'
      ? lenet5Relu({ inputSize: 28, inputChannels: c, classes: spec.classes })
      : spec.architecture === 'resnet'
        ? new CifarResNet({ depth: 20, classes: spec.classes, name: 'resnet20' })
        : new VisionTransformer({ imageSize: h, patchSize: 7, dModel: 64, depth: 4, numHeads: 4, mlpDim: 128, dropout: 0.1, classes: spec.classes });
  return model.build([null, h, w, c], rng(0));
}

/**
 * Loads the classifier of an image-classification run folder. Its penultimate features are
 * the input of its last layer: LeNet-5's 84 units of `f6`, ResNet-20's 64 pooled channels,
 * the ViT's 64-wide class token.
 *
 * @throws Error naming the folder when it is missing, is not an image-classification run, or
 *   its weights do not fit the network its config describes.
 */
export async function loadClassifier(dir: string): Promise<Classifier> {
  let text: string;
  try {
    text = await readFile(join(dir, 'config.json'), 'utf8');
  } catch {
    throw foreign(dir, 'no config.json');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw foreign(dir, 'config.json is not JSON');
  }
  const config = checkConfig(dir, parsed);
  const model = buildClassifier(config.spec);
  let tensors: Record<string, tf.Tensor>;
  try {
    ({ tensors } = await loadSafetensors(join(dir, 'model.safetensors')));
  } catch (cause) {
    model.dispose();
    throw new RunFolderError(`classifier folder '${dir}': model.safetensors expected the weights of its ${config.spec.architecture}, got none readable (${(cause as Error).message.split('\n')[0]})`, { cause });
  }
  try {
    model.loadState(tensors);
  } catch (cause) {
    model.dispose();
    throw new RunFolderError(`classifier folder '${dir}': model.safetensors does not fit the ${config.spec.architecture} of its config.json: ${(cause as Error).message.split('\n')[0]}`, { cause });
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
  const children = [...model.namedChildren()].map(([, m]) => m as Module<tf.Tensor, tf.Tensor>);
  const last = children.at(-1)!;
  const penultimate = (x: tf.Tensor): tf.Tensor =>
    model instanceof BackboneModel
      ? children.slice(0, -1).reduce((t, m) => m.apply(t), x) // every child but the last dense layer
      : (model as VisionTransformer).features(x); // the normalised class token the head reads
  return {
    dir,
    config,
    run: (images) =>
      tf.tidy(() => {
        const features = penultimate(images);
        return { features, probabilities: tf.softmax(last.apply(features)) };
      }),
    dispose: () => model.dispose(),
  };
}
