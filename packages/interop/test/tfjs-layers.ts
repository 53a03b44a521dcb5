// Test helpers for tfjs-layers models: the artifacts their own save writes, and seeded random
// weights. They live in test/, where importing @tensorflow/* directly is allowed, as in tests.
import type * as tfl from '@tensorflow/tfjs-layers';
import { rng, tf } from '@tensorloom/core';

/** The artifacts tfjs-layers' own `model.save` produces. */
export async function artifactsOf(model: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved!;
}

/** Seeded random weights for a tfjs-layers model (variances positive). */
export function randomizeTfjs(model: tfl.LayersModel, seed: number): void {
  const r = rng(seed);
  const values = model.weights.map((w, i) => {
    const t = r.fold(String(i)).normalTensor(w.shape as number[], 0, 0.5);
    if (!w.name.includes('variance')) return t;
    const positive = tf.add(tf.abs(t), 0.5);
    t.dispose();
    return positive;
  });
  model.setWeights(values);
  tf.dispose(values);
}
