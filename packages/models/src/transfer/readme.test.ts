import { describe, expect, it } from 'vitest';
import { rng, tf } from '@tensorloom/core';
import { Dense } from '@tensorloom/layers';
import { resnet20 } from '../index.js';

// The README's transfer-learning example, as written there.
describe('README transfer-learning example', () => {
  it('runs', () => {
    const pretrained = resnet20({ width: 4, classes: 10 }).build([null, 32, 32, 3], rng(1));
    const base = resnet20({ width: 4, includeTop: false, pooling: 'avg' }).build([null, 32, 32, 3], rng(2));
    const report = base.loadState(pretrained.state(), { strict: false });
    base.freeze();
    const head = new Dense({ units: 2 }).build([null, 16], rng(3));
    const x = tf.zeros([4, 32, 32, 3]);
    const logits = head.apply(base.features(x, { training: true }));
    base.unfreeze('layer3');
    expect(report.unexpected).toEqual(['fc.kernel', 'fc.bias']);
    expect(logits.shape).toEqual([4, 2]);
    expect(Object.keys(base.trainableParameters()).every((n) => n.startsWith('layer3.'))).toBe(true);
    expect(Object.keys(base.trainableParameters()).length).toBeGreaterThan(0);
    tf.dispose([x, logits]);
    [pretrained, base, head].forEach((m) => m.dispose());
  });
});
