import { describe, expect, it } from 'vitest';
import { rng, tf } from '@tensorloom/core';
import { Dense } from '@tensorloom/layers';
import { CifarResNet } from '../index.js';
import { adamSteps, crossEntropy } from './internal/testing.js';

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

describe('transfer-learning recipe', () => {
  it('train on task A, drop the head, freeze the base, train a new head on task B, unfreeze the last block', () => {
    // Task A: 6 random 8×8 images, 3 classes.
    const modelA = new CifarResNet({ depth: 8, width: 4, classes: 3 }).build([null, 8, 8, 3], rng(1));
    const xa = rng(2).normalTensor([6, 8, 8, 3]);
    const lossA = adamSteps([modelA], () => crossEntropy(modelA.apply(xa, { training: true }), [0, 1, 2, 0, 1, 2]), 15, 0.03);
    expect(lossA.at(-1)!).toBeLessThan(lossA[0]! / 2);

    // Drop the head: a backbone of the same architecture takes every weight but fc.
    const base = new CifarResNet({ depth: 8, width: 4, includeTop: false, pooling: 'avg' }).build([null, 8, 8, 3], rng(9));
    const report = base.loadState(modelA.state(), { strict: false });
    expect(report.missing).toEqual([]);
    expect(report.unexpected).toEqual(['fc.kernel', 'fc.bias']);
    expect(report.shapeMismatched).toEqual([]);
    expect(values(base.parameters()['layer1.0.conv1.kernel']!)).toEqual(values(modelA.parameters()['layer1.0.conv1.kernel']!));

    // Phase 1 — task B (other images, 2 classes): the base frozen, a new head trains on its features.
    base.freeze();
    const head = new Dense({ name: 'head_b', units: 2 }).build([null, 16], rng(3));
    const xb = rng(4).normalTensor([6, 8, 8, 3]);
    const labelsB = [1, 0, 0, 1, 1, 0];
    const frozenKernel = values(base.parameters()['layer3.0.conv2.kernel']!);
    const frozenStats = values(base.buffers()['layer2.0.bn1.movingMean']!);
    const phase1 = adamSteps([base, head], () => crossEntropy(head.apply(base.features(xb, { training: true })), labelsB), 20, 0.05);
    expect(phase1.at(-1)!).toBeLessThan(phase1[0]! * 0.7);
    expect(values(base.parameters()['layer3.0.conv2.kernel']!)).toEqual(frozenKernel);
    // Frozen batch norm runs on its running statistics and leaves them alone (Keras' fine-tuning behaviour).
    expect(values(base.buffers()['layer2.0.bn1.movingMean']!)).toEqual(frozenStats);

    // Phase 2 — unfreeze the last block and fine-tune it with the head: the loss keeps falling.
    base.unfreeze('layer3');
    expect(Object.keys(base.trainableParameters()).every((n) => n.startsWith('layer3.'))).toBe(true);
    const stem = values(base.parameters()['conv1.kernel']!);
    const phase2 = adamSteps([base, head], () => crossEntropy(head.apply(base.features(xb, { training: true })), labelsB), 15, 0.01);
    expect(phase2.at(-1)!).toBeLessThan(phase2[0]! * 0.7);
    expect(phase2.at(-1)!).toBeLessThan(phase1.at(-1)!);
    expect(values(base.parameters()['conv1.kernel']!)).toEqual(stem);
    expect(values(base.parameters()['layer3.0.conv2.kernel']!)).not.toEqual(frozenKernel);

    // The same split by position: everything up to layer2 frozen leaves layer3 (and nothing else) trainable.
    base.unfreeze().freeze({ upTo: 'layer2' });
    expect(Object.keys(base.trainableParameters()).every((n) => n.startsWith('layer3.'))).toBe(true);
    tf.dispose([xa, xb]);
    [modelA, base, head].forEach((m) => m.dispose());
  });
});
