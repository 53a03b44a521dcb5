// Scores of a generator, judged by a classifier of the same data set: the share of samples it
// labels with confidence ≥ 0.9, the class histogram, and the Fréchet distance between the
// samples and the test images on the classifier's penultimate features (with the same
// distance between the train and test images beside it: the floor a perfect generator of
// this data set would reach, given as many images).
import { tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import type { ImageSplit } from '@tensorloom/datasets';
import { featureStatistics, frechetDistanceFromMoments } from '@tensorloom/metrics';
import type { FeatureMoments } from '@tensorloom/metrics';
import type { Classifier } from './classifier.js';

/** The confidence a sample must reach to count as recognised. */
export const CONFIDENT = 0.9;

/** What the classifier makes of one set of images. */
export interface SetScores {
  /** Images judged. */
  count: number;
  /** Share labelled with a top probability ≥ 0.9. */
  confidentShare: number;
  /** Share of the images whose top class is each class, by label. */
  classShares: number[];
  /** Fréchet distance to the test images on the classifier's penultimate features. */
  frechetToTest: number;
}

/** The scores `evaluate` writes into `metrics.json` and the report. */
export interface GenerativeScores {
  /** The classifier's run folder and architecture. */
  classifier: { dir: string; architecture: string; featureDim: number };
  /** Seed of the sampled latents. */
  seed: number;
  /** The generator's (or the VAE decoder's, from the prior) samples. */
  samples: SetScores;
  /** The train images against the test images: the floor of the distance. */
  trainImages: SetScores;
  /** The test images themselves (distance 0): how confident the classifier is on real digits. */
  testImages: SetScores;
}

/** Accumulates what the classifier says about batches of images in [0, 1]. */
class Judge {
  private readonly stats = featureStatistics({ name: 'classifier features' });
  private readonly counts: number[];
  private confident = 0;
  private count = 0;

  constructor(
    private readonly classifier: Classifier,
    classes: number,
  ) {
    this.counts = new Array<number>(classes).fill(0);
  }

  add(images: tf.Tensor): void {
    const { probabilities, features } = this.classifier.run(images);
    const p = probabilities.dataSync();
    const classes = this.counts.length;
    for (let i = 0; i < images.shape[0]!; i++) {
      let best = 0;
      for (let k = 1; k < classes; k++) if (p[i * classes + k]! > p[i * classes + best]!) best = k;
      this.counts[best]!++;
      if (p[i * classes + best]! >= CONFIDENT) this.confident++;
    }
    this.count += images.shape[0]!;
    this.stats.update(features);
    tf.dispose([probabilities, features]);
  }

  moments(): FeatureMoments {
    return this.stats.result();
  }

  scores(test: FeatureMoments): SetScores {
    return {
      count: this.count,
      confidentShare: this.confident / this.count,
      classShares: this.counts.map((n) => n / this.count),
      frechetToTest: frechetDistanceFromMoments(this.moments(), test),
    };
  }
}

/** Feeds every image of a split to a judge, in batches. */
function judgeSplit(judge: Judge, split: ImageSplit, batchSize: number): void {
  for (let start = 0; start < split.count; start += batchSize) {
    const { xs, ys } = split.slice(start, Math.min(split.count, start + batchSize)).tensors();
    judge.add(xs);
    tf.dispose([xs, ys]);
  }
}

/**
 * Scores `n` samples of `decode` (latents → images in [0, 1], `[b, 28, 28, 1]`) drawn from
 * N(0, I) with `rng` (batch k of the latents from `rng.fold(k)`, so the samples do not depend
 * on the batch size), against the test split, with the train split as the floor.
 */
export function scoreGenerator(
  decode: (z: tf.Tensor) => tf.Tensor,
  latentDim: number,
  n: number,
  rng: Rng,
  classifier: Classifier,
  data: { train: ImageSplit; test: ImageSplit },
  seed: number,
  batchSize = 500,
): GenerativeScores {
  const classes = classifier.config.spec.classes;
  const test = new Judge(classifier, classes);
  judgeSplit(test, data.test, batchSize);
  const train = new Judge(classifier, classes);
  judgeSplit(train, data.train, batchSize);
  const samples = new Judge(classifier, classes);
  for (let start = 0, k = 0; start < n; start += batchSize, k++) {
    const b = Math.min(batchSize, n - start);
    const z = rng.fold(k).normalTensor([b, latentDim]);
    const images = tf.tidy(() => tf.clipByValue(tf.reshape(decode(z), [b, 28, 28, 1]), 0, 1));
    samples.add(images);
    tf.dispose([z, images]);
  }
  const testMoments = test.moments();
  return {
    classifier: { dir: classifier.dir, architecture: classifier.config.spec.architecture, featureDim: testMoments.dim },
    seed,
    samples: samples.scores(testMoments),
    trainImages: train.scores(testMoments),
    testImages: test.scores(testMoments),
  };
}

/** One line per set: confident share, smallest class share, Fréchet distance. */
export function formatScores(s: GenerativeScores, what: string): string {
  const line = (name: string, x: SetScores): string =>
    `${name.padEnd(14)} ${String(x.count).padStart(6)}  confident ≥ 0.9 ${(x.confidentShare * 100).toFixed(2).padStart(6)} %` +
    `  smallest class ${(Math.min(...x.classShares) * 100).toFixed(2).padStart(5)} %  Fréchet to test ${x.frechetToTest.toFixed(3)}`;
  return [line(what, s.samples), line('train images', s.trainImages), line('test images', s.testImages)].join('\n');
}
