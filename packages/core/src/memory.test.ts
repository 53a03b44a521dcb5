import { describe, expect, it } from 'vitest';
import { LeakError, disposeAll, expectNoLeaks, forEachAsync, keep, scope, tf } from '@tensorloom/core';

describe('memory helpers', () => {
  it('scope disposes intermediates and keeps the result', () => {
    const before = tf.memory().numTensors;
    const y = scope(() => tf.sum(tf.square(tf.ones([3]))));
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(y.dataSync()[0]).toBe(3);
    y.dispose();
  });

  it('keep lets a tensor survive its scope', () => {
    let kept: tf.Tensor | undefined;
    scope(() => {
      kept = keep(tf.ones([2]));
    });
    expect(kept!.isDisposed).toBe(false);
    kept!.dispose();
  });

  it('expectNoLeaks passes clean code and counts returned tensors as owned', async () => {
    await expectNoLeaks(() => scope(() => tf.add(tf.ones([2]), 1)).dispose());
    const out = await expectNoLeaks(() => ({ a: tf.ones([1]), b: [tf.zeros([1])] }));
    disposeAll(out);
  });

  it('expectNoLeaks fails a leaking function with the count', async () => {
    let leaked: tf.Tensor | undefined;
    await expect(
      expectNoLeaks(() => {
        leaked = tf.ones([2]);
        tf.add(leaked, 1);
      }, 'leaky'),
    ).rejects.toThrowError(/^leaky: expected 0 leaked tensors, got 2 /);
    tf.dispose(leaked);
    await expect(expectNoLeaks(async () => void tf.ones([1]))).rejects.toBeInstanceOf(LeakError);
  });

  it('forEachAsync disposes items and detects growth after warm-up', async () => {
    const before = tf.memory().numTensors;
    const items = [0, 1, 2].map((i) => ({ x: tf.scalar(i) }));
    const n = await forEachAsync(items, async ({ x }) => {
      const y = scope(() => tf.mul(x, 2));
      await y.data();
      y.dispose();
    }, { disposeItems: true, leakCheck: { warmup: 1 } });
    expect(n).toBe(3);
    expect(tf.memory().numTensors).toBe(before);

    const kept: tf.Tensor[] = [];
    async function* gen() {
      for (let i = 0; i < 4; i++) yield i;
    }
    await expect(forEachAsync(gen(), () => void kept.push(tf.scalar(1)), { leakCheck: { label: 'train loop' } })).rejects.toThrowError(
      /^train loop: iteration 1 left 1 more tensors alive than the steady state/,
    );
    tf.dispose(kept);
  });
});
