import { describe, expect, it } from 'vitest';
import { expectNoLeaks, tf } from '@tensorloom/core';
import { Dataset } from './dataset.js';

/** A source that makes fresh tensors each epoch (the pipeline owns them). */
function fresh(n: number): Dataset<{ x: tf.Tensor; y: tf.Tensor }> {
  return Dataset.from(function* () {
    for (let i = 0; i < n; i++) yield { x: tf.fill([2, 2], i), y: tf.scalar(i, 'int32') };
  });
}

const live = (): number => tf.memory().numTensors;

describe('Dataset tensor ownership', () => {
  it('map disposes the input tensors it does not return, and keeps those it does', async () => {
    const inputs: { x: tf.Tensor; y: tf.Tensor }[] = [];
    const ds = fresh(2).map((el) => {
      inputs.push(el);
      return { y: el.y, z: tf.add(el.x, 1) };
    });
    const out = await ds.toArray();
    expect(inputs.every(({ x, y }) => x.isDisposed && !y.isDisposed)).toBe(true);
    expect(out.map(({ y }) => y)).toEqual(inputs.map(({ y }) => y));
    tf.dispose(out);
  });

  it('leaks nothing over an epoch of map, filter, shuffle, batch, unbatch, zip, prefetch', async () => {
    await expectNoLeaks(async () => {
      const ds = fresh(23)
        .map(({ x, y }) => ({ x: tf.mul(x, 2), y }))
        .filter((el) => el.y.dataSync()[0]! % 3 !== 0)
        .shuffle(5, { seed: 1 })
        .batch(4)
        .unbatch()
        .map(async (el) => {
          await Promise.resolve();
          return el;
        }, { concurrency: 3 })
        .zip(Dataset.range(100))
        .prefetch(2)
        .batch(3);
      await ds.forEachAsync(() => undefined, { disposeElements: true });
      await ds.forEachAsync(() => undefined, { disposeElements: true }); // a second epoch
    }, 'pipeline epoch');
  });

  it('releases buffered elements when the consumer stops early', async () => {
    const pipelines: [string, () => Dataset<unknown>][] = [
      ['shuffle buffer', () => fresh(20).shuffle(8, { seed: 2 })],
      ['partial batch', () => fresh(20).batch(3).unbatch()],
      ['prefetch buffer', () => fresh(20).prefetch(4)],
      ['concurrent map', () => fresh(20).map(async (e) => e, { concurrency: 4 })],
      ['interleave', () => Dataset.range(3).interleave(() => fresh(5), { cycleLength: 3 })],
      ['repeat', () => fresh(2).shuffle(2, { seed: 1 }).repeat()],
      ['concat', () => fresh(2).concat(fresh(3))],
    ];
    for (const [label, make] of pipelines) {
      await expectNoLeaks(async () => {
        let seen = 0;
        for await (const el of make()) {
          tf.dispose(el as tf.TensorContainer);
          if (++seen === 3) break;
        }
        expect(seen).toBe(3);
      }, label);
    }
  });

  it('take closes its upstream (freeing a shuffle buffer) and skip disposes what it skips', async () => {
    await expectNoLeaks(async () => {
      const out = await fresh(20).shuffle(10, { seed: 3 }).take(2).toArray();
      expect(out).toHaveLength(2);
      tf.dispose(out);
      const rest = await fresh(5).skip(3).toArray();
      expect(rest.map(({ y }) => y.dataSync()[0])).toEqual([3, 4]);
      tf.dispose(rest);
    }, 'take and skip');
  });

  it('zip disposes the elements of an incomplete last round', async () => {
    await expectNoLeaks(async () => {
      const out = await fresh(3).zip(fresh(5)).toArray();
      expect(out).toHaveLength(3);
      tf.dispose(out);
    }, 'zip');
  });

  it('disposes the tensors of elements a stage fails on', async () => {
    await expectNoLeaks(async () => {
      const failing = fresh(4).map((el) => {
        if (el.y.dataSync()[0] === 2) throw new Error('bad');
        return el;
      });
      await expect(failing.toArray()).rejects.toThrow('bad');
      const skipped = await failing.ignoreErrors().toArray();
      expect(skipped).toHaveLength(3);
      tf.dispose(skipped);
      const failingAsync = fresh(4).map(
        async (el) => {
          if (el.y.dataSync()[0] === 1) throw new Error('bad async');
          return el;
        },
        { concurrency: 2 },
      );
      await expect(failingAsync.prefetch(2).toArray()).rejects.toThrow('bad async');
      const failingFilter = fresh(3).filter((el) => {
        if (el.y.dataSync()[0] === 1) throw new Error('bad predicate');
        return true;
      });
      await expect(failingFilter.toArray()).rejects.toThrow('bad predicate');
    }, 'failures');
  });

  it('leaves an array source intact: it hands out clones the pipeline may dispose', async () => {
    const source = [tf.tensor1d([1, 2]), tf.tensor1d([3, 4])];
    const before = live();
    const ds = Dataset.from(source).map((x) => tf.mul(x, 10));
    for (let epoch = 0; epoch < 2; epoch++) {
      const out = await ds.toArray();
      expect(out.map((t) => Array.from(t.dataSync()))).toEqual([
        [10, 20],
        [30, 40],
      ]);
      tf.dispose(out);
    }
    expect(source.every((t) => !t.isDisposed)).toBe(true);
    expect(live()).toBe(before);
    tf.dispose(source);
  });

  it('cache keeps clones alive until dispose(), replays them, and refills afterwards', async () => {
    let produced = 0;
    const source = Dataset.from(function* () {
      for (let i = 0; i < 3; i++) {
        produced++;
        yield tf.scalar(i);
      }
    });
    const before = live();
    const cached = source.cache();
    const doubled = cached.map((x) => tf.mul(x, 2));
    const read = async (): Promise<number[]> => {
      const out = await doubled.toArray();
      const v = out.map((t) => t.dataSync()[0]!);
      tf.dispose(out);
      return v;
    };
    expect(await read()).toEqual([0, 2, 4]);
    expect(live()).toBe(before + 3); // the cache's clones
    expect(await read()).toEqual([0, 2, 4]);
    expect(produced).toBe(3); // replayed, not recomputed
    doubled.dispose(); // releases the cache upstream
    expect(live()).toBe(before);
    expect(await read()).toEqual([0, 2, 4]);
    expect(produced).toBe(6);
    cached.dispose();
    expect(live()).toBe(before);
  });

  it('does not fill the cache from an epoch cut short', async () => {
    let produced = 0;
    const cached = Dataset.from(function* () {
      for (let i = 0; i < 4; i++) {
        produced++;
        yield tf.scalar(i);
      }
    }).cache();
    await expectNoLeaks(async () => {
      const first = await cached.take(2).toArray();
      tf.dispose(first);
    }, 'partial cache epoch');
    const all = await cached.toArray();
    expect(all.map((t) => t.dataSync()[0])).toEqual([0, 1, 2, 3]);
    tf.dispose(all);
    expect(produced).toBe(2 + 4);
    cached.dispose();
  });
});
