import { rng, tf } from '@tensorloom/core';
import type { BackboneModel } from '@tensorloom/models';
import { describe, expect, it } from 'vitest';
import { buildModel } from './architectures.js';
import type { ModelSpec } from './architectures.js';
import { BackboneAutoencoder } from './autoencoder.js';

const specs: ModelSpec[] = [
  { architecture: 'lenet5', classes: 10, inputShape: [28, 28, 1] },
  { architecture: 'resnet', classes: 10, inputShape: [28, 28, 1], depth: 8, width: 4 },
];

describe('BackboneAutoencoder', () => {
  it.each(specs)("names its encoder's state exactly as the $architecture classifier's backbone, shape for shape", (spec) => {
    const ae = new BackboneAutoencoder(spec).build([null, 28, 28, 1], rng(1));
    const classifier = buildModel(spec, rng(2)) as BackboneModel;
    const base = new Set(classifier.baseKeys);
    const expected = Object.entries(classifier.state()).filter(([name]) => base.has(name.split('.')[0]!));
    const got = ae.backboneState();
    expect(Object.keys(got).sort()).toEqual(expected.map(([name]) => name).sort());
    for (const [name, v] of expected) expect(got[name]!.shape, name).toEqual(v.shape);
    const x = tf.zeros([2, 28, 28, 1]);
    const y = ae.apply(x);
    expect(y.shape).toEqual([2, 28, 28, 1]);
    tf.dispose([x, y]);
    ae.dispose();
    classifier.dispose();
  });

  it('masks the input in training only: inference is unchanged by the mask rate', () => {
    const spec = specs[0]!;
    const plain = new BackboneAutoencoder(spec).build([null, 28, 28, 1], rng(3));
    const masked = new BackboneAutoencoder(spec, { maskRate: 0.5 }).build([null, 28, 28, 1], rng(3));
    const x = tf.tidy(() => rng(4).uniformTensor([2, 28, 28, 1]));
    const [a, b, c] = [plain.apply(x), masked.apply(x), masked.apply(x, { training: true })];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(c, a))).dataSync()[0]!)).toBeGreaterThan(1e-3);
    tf.dispose([x, a, b, c]);
    plain.dispose();
    masked.dispose();
    expect(() => new BackboneAutoencoder(spec, { maskRate: 1 })).toThrow(/maskRate expected a number in \[0, 1\), got 1/);
  });
});
