import { describe, expect, expectTypeOf, it } from 'vitest';
import { ConfigError, rng, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import { Dataset } from './dataset.js';
import type { MapContext } from './dataset.js';

describe('Dataset sources', () => {
  it('reads arrays, typed arrays, sets, iterables, async iterables and generator functions', async () => {
    expect(await Dataset.from([1, 2, 3]).toArray()).toEqual([1, 2, 3]);
    expect(await Dataset.from(new Int32Array([4, 5])).toArray()).toEqual([4, 5]);
    expect(await Dataset.from(new Set(['a', 'b'])).toArray()).toEqual(['a', 'b']);
    expect(
      await Dataset.from(function* () {
        yield 1;
        yield 2;
      }).toArray(),
    ).toEqual([1, 2]);
    expect(
      await Dataset.from(async function* () {
        yield 'x';
        await Promise.resolve();
        yield 'y';
      }).toArray(),
    ).toEqual(['x', 'y']);
    const asyncIterable = {
      async *[Symbol.asyncIterator]() {
        yield 7;
      },
    };
    expect(await Dataset.from(asyncIterable).toArray()).toEqual([7]);
    // a factory returning a bare iterator
    let i = 0;
    const bare = Dataset.from(() => ({ next: () => (i < 2 ? { done: false, value: i++ } : { done: true, value: undefined }) }));
    expect(await bare.toArray()).toEqual([0, 1]);
    // a factory returning a bare async iterator
    let j = 0;
    const bareAsync = Dataset.from(() => ({
      next: async () => (j < 2 ? { done: false as const, value: j++ } : { done: true as const, value: undefined }),
    }));
    expect(await bareAsync.toArray()).toEqual([0, 1]);
  });

  it('knows the size of arrays, typed arrays, sets and maps, and takes a declared size', () => {
    expect(Dataset.from([1, 2, 3]).size).toBe(3);
    expect(Dataset.from(new Float32Array(5)).size).toBe(5);
    expect(Dataset.from(new Map([[1, 2]])).size).toBe(1);
    expect(Dataset.from(function* () {}).size).toBeNull();
    expect(Dataset.from(function* () {}, { size: 10 }).size).toBe(10);
  });

  it('re-iterates: a generator function is called once per epoch', async () => {
    let calls = 0;
    const ds = Dataset.from(function* () {
      calls++;
      yield calls;
    });
    expect(await ds.toArray()).toEqual([1]);
    expect(await ds.toArray()).toEqual([2]);
    expect(ds.epochs).toBe(2);
  });

  it('refuses to run a one-shot iterator a second time', async () => {
    function* gen(): Generator<number> {
      yield 1;
    }
    const ds = Dataset.from(gen());
    expect(await ds.toArray()).toEqual([1]);
    await expect(ds.toArray()).rejects.toThrow(
      'Dataset.from: source expected a re-iterable source for a second epoch, got a one-shot iterator',
    );
  });

  it('rejects what is not a source', async () => {
    expect(() => Dataset.from(42 as unknown as number[])).toThrow(
      new ConfigError('Dataset.from: source expected an array, iterable, async iterable or generator function, got number'),
    );
    expect(() => Dataset.from([1], { size: -1 })).toThrow('Dataset.from: size expected an integer >= 0, got -1');
    await expect(Dataset.from(() => 5 as unknown as Iterable<number>).toArray()).rejects.toThrow(
      'Dataset.from: source function expected to return an iterable, async iterable or iterator, got number',
    );
  });

  it('ranges', async () => {
    expect(await Dataset.range(3).toArray()).toEqual([0, 1, 2]);
    expect(await Dataset.range(1, 10, 4).toArray()).toEqual([1, 5, 9]);
    expect(await Dataset.range(3, 0, -1).toArray()).toEqual([3, 2, 1]);
    expect(Dataset.range(1, 10, 4).size).toBe(3);
    expect(() => Dataset.range(0, 3, 0)).toThrow('Dataset.range: step expected a non-zero finite number, got 0');
    expect(() => Dataset.range(Infinity)).toThrow('Dataset.range: bounds expected finite numbers, got 0 and Infinity');
  });
});

describe('Dataset transformations', () => {
  it('maps, filters, takes and skips, carrying the size where it is known', async () => {
    const ds = Dataset.range(10);
    const mapped = ds.map((x) => x * 10);
    expect(mapped.size).toBe(10);
    expect(await mapped.take(3).toArray()).toEqual([0, 10, 20]);
    const odd = ds.filter((x) => x % 2 === 1);
    expect(odd.size).toBeNull();
    expect(await odd.toArray()).toEqual([1, 3, 5, 7, 9]);
    expect(ds.skip(7).size).toBe(3);
    expect(await ds.skip(7).toArray()).toEqual([7, 8, 9]);
    expect(ds.skip(20).size).toBe(0);
    expect(ds.take(20).size).toBe(10);
    expect(odd.take(2).size).toBeNull();
    expect(odd.take(0).size).toBe(0);
    expect(odd.skip(1).size).toBeNull();
  });

  it('awaits asynchronous map and filter functions', async () => {
    const ds = Dataset.range(5)
      .map(async (x) => {
        await Promise.resolve();
        return x + 1;
      })
      .filter(async (x) => x > 2);
    expect(await ds.toArray()).toEqual([3, 4, 5]);
  });

  it('repeats, counting each repetition as an upstream epoch', async () => {
    const seen: number[] = [];
    const ds = Dataset.range(2)
      .map((x, { epoch }) => {
        seen.push(epoch);
        return x;
      })
      .repeat(3);
    expect(ds.size).toBe(6);
    expect(await ds.toArray()).toEqual([0, 1, 0, 1, 0, 1]);
    expect(seen).toEqual([0, 0, 1, 1, 2, 2]);
    seen.length = 0;
    await ds.toArray(); // epoch 1 of the repeat = upstream epochs 3, 4, 5
    expect(seen).toEqual([3, 3, 4, 4, 5, 5]);
    const endless = Dataset.range(1)
      .map((_, { epoch }) => epoch)
      .repeat()
      .take(3);
    expect(await endless.toArray()).toEqual([0, 1, 2]);
    expect(await endless.toArray()).toEqual([2 ** 20, 2 ** 20 + 1, 2 ** 20 + 2]);
    expect(Dataset.range(2).repeat().size).toBe(Infinity);
    expect(Dataset.range(2).repeat().take(5).size).toBe(5);
    expect(await Dataset.range(2).repeat().take(5).toArray()).toEqual([0, 1, 0, 1, 0]);
    expect(Dataset.range(2).repeat(0).size).toBe(0);
    // an endless repeat of an empty dataset ends
    expect(await Dataset.from<number>([]).repeat().toArray()).toEqual([]);
  });

  it('zips tuples and records, ending with the shortest', async () => {
    const a = Dataset.range(3);
    const b = Dataset.from(['x', 'y']);
    expect(a.zip(b).size).toBe(2);
    expect(await a.zip(b).toArray()).toEqual([
      [0, 'x'],
      [1, 'y'],
    ]);
    const rec = Dataset.zip({ n: a, s: b });
    expect(await rec.toArray()).toEqual([
      { n: 0, s: 'x' },
      { n: 1, s: 'y' },
    ]);
    const slow = Dataset.from(async function* () {
      yield 10;
      yield 11;
      yield 12;
    });
    expect(Dataset.zip([a, slow]).size).toBeNull();
    expect(await Dataset.zip([a, slow]).toArray()).toEqual([
      [0, 10],
      [1, 11],
      [2, 12],
    ]);
    expect(() => Dataset.zip([a, [1] as unknown as Dataset<number>])).toThrow(
      'Dataset.zip: dataset 1 expected a Dataset, got an array',
    );
  });

  it('concatenates', async () => {
    const ds = Dataset.range(2).concat(Dataset.from(['a']));
    expect(ds.size).toBe(3);
    expect(await ds.toArray()).toEqual([0, 1, 'a']);
    expect(Dataset.range(2).concat(Dataset.range(3).filter(() => true)).size).toBeNull();
  });

  it('interleaves inner datasets round-robin by blocks, refilling finished slots', async () => {
    const ds = Dataset.from([0, 1, 2]).interleave((k) => Dataset.range(k * 10, k * 10 + 3), {
      cycleLength: 2,
      blockLength: 2,
    });
    // slots: [0-source, 1-source]; blocks of 2; source 0 ends -> slot refilled by source 2
    expect(await ds.toArray()).toEqual([0, 1, 10, 11, 2, 12, 20, 21, 22]);
    const fromIterables = Dataset.from(['ab', 'cde']).interleave((s) => s);
    expect(await fromIterables.toArray()).toEqual(['a', 'c', 'b', 'd', 'e']);
    expect(() => Dataset.range(2).interleave((x) => [x], { cycleLength: 0 })).toThrow(
      'Dataset.interleave: cycleLength expected an integer >= 1, got 0',
    );
  });

  it('validates configuration when it is given', () => {
    const ds = Dataset.range(3);
    expect(() => ds.map((x) => x, { concurrency: 0 })).toThrow('Dataset.map: concurrency expected an integer >= 1, got 0');
    expect(() => ds.map((x) => x, { seed: 1.5 })).toThrow('Dataset.map: seed expected an integer, got 1.5');
    expect(() => ds.filter(() => true, { seed: 0.5 })).toThrow('Dataset.filter: seed expected an integer, got 0.5');
    expect(() => ds.take(-1)).toThrow('Dataset.take: count expected an integer >= 0, got -1');
    expect(() => ds.skip(1.5)).toThrow('Dataset.skip: count expected an integer >= 0, got 1.5');
    expect(() => ds.repeat(-2)).toThrow('Dataset.repeat: count expected an integer >= 0, got -2');
    expect(() => ds.shuffle(0, { seed: 1 })).toThrow('Dataset.shuffle: bufferSize expected an integer >= 1, got 0');
    expect(() => ds.shuffle(2, { seed: 0.1 })).toThrow('Dataset.shuffle: seed expected an integer, got 0.1');
    expect(() => ds.prefetch(0)).toThrow('Dataset.prefetch: bufferSize expected an integer >= 1, got 0');
    expect(() => ds.ignoreErrors({ maxSkips: -1 })).toThrow('Dataset.ignoreErrors: maxSkips expected an integer >= 0, got -1');
    expect(() => ds.concat([1] as unknown as Dataset<number>)).toThrow('Dataset.concat: dataset 0 expected a Dataset, got an array');
    expect(() => ds.iterate({ epoch: -1 })).toThrow('Dataset.iterate: epoch expected an integer >= 0, got -1');
  });
});

describe('Dataset randomness and epochs', () => {
  it('gives map a context rng equal to rng(seed).fold(epoch).fold(index)', async () => {
    const draws = await Dataset.range(3)
      .map((_, { rng: r }) => r.uint32(), { seed: 5 })
      .toArray();
    expect(draws).toEqual([0, 1, 2].map((i) => rng(5).fold(0).fold(i).uint32()));
  });

  it('makes map randomness independent of concurrency and timing', async () => {
    const run = (concurrency: number): Promise<number[]> =>
      Dataset.range(12)
        .map(
          async (x, { rng: r, index }) => {
            // later elements finish first
            await new Promise((resolve) => setTimeout(resolve, (12 - index) % 4));
            return x * 1000 + r.int(1000);
          },
          { seed: 9, concurrency },
        )
        .toArray();
    const serial = await run(1);
    expect(await run(4)).toEqual(serial);
    expect(serial.map((v) => Math.floor(v / 1000))).toEqual([...Array(12).keys()]);
  });

  it('advances the epoch on each iteration and iterates a chosen epoch', async () => {
    const ds = Dataset.range(1).map((_, { epoch }) => epoch);
    expect(await ds.toArray()).toEqual([0]);
    expect(await ds.toArray()).toEqual([1]);
    expect(await ds.toArray({ epoch: 7 })).toEqual([7]);
    expect(ds.epochs).toBe(8);
    const seen: number[] = [];
    for await (const e of ds) seen.push(e);
    for await (const e of ds.iterate({ epoch: 2 })) seen.push(e);
    expect(seen).toEqual([8, 2]);
  });

  it('shuffles a full buffer into a permutation that changes each epoch and repeats with the seed', async () => {
    const ds = Dataset.range(20).shuffle(20, { seed: 3 });
    const e0 = await ds.toArray();
    const e1 = await ds.toArray();
    expect([...e0].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(e1).not.toEqual(e0);
    expect(await Dataset.range(20).shuffle(20, { seed: 3 }).toArray()).toEqual(e0);
    expect(await Dataset.range(20).shuffle(20, { seed: 4 }).toArray()).not.toEqual(e0);
    const fixed = Dataset.range(20).shuffle(20, { seed: 3, reshuffleEachEpoch: false });
    expect(await fixed.toArray()).toEqual(await fixed.toArray());
  });

  it('shuffles with a small buffer locally: an element moves at most bufferSize-1 places earlier', async () => {
    const out = await Dataset.range(100).shuffle(4, { seed: 1 }).toArray();
    expect([...out].sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
    // with a buffer of 4, the element at output position p entered by input position p + 3
    out.forEach((x, p) => expect(x).toBeLessThanOrEqual(p + 3));
    expect(out).not.toEqual([...Array(100).keys()]);
  });

  it('draws a full-buffer shuffle uniformly (chi-square over first positions)', async () => {
    // 3 elements, 3! = 6 orders, 1200 epochs: expected 200 each; chi2(5) 99.9% quantile = 20.5
    const ds = Dataset.range(3).shuffle(3, { seed: 11 });
    const counts = new Map<string, number>();
    for (let e = 0; e < 1200; e++) {
      const key = (await ds.toArray()).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - 200) ** 2 / 200, 0);
    expect(chi2).toBeLessThan(20.5);
  });

  it('splits a child from an Rng seed', async () => {
    const parent = rng(1);
    const a = await Dataset.range(10).shuffle(10, { seed: parent }).toArray();
    const b = await Dataset.range(10).shuffle(10, { seed: parent }).toArray();
    expect(a).not.toEqual(b); // the parent advanced
    const again = rng(1);
    expect(await Dataset.range(10).shuffle(10, { seed: again }).toArray()).toEqual(a);
  });
});

describe('Dataset consumers', () => {
  it('forEachAsync runs the body in order and counts elements', async () => {
    const seen: number[] = [];
    const n = await Dataset.range(4).forEachAsync(async (x, i) => {
      await Promise.resolve();
      seen.push(x * 10 + i);
    });
    expect(n).toBe(4);
    expect(seen).toEqual([0, 11, 22, 33]);
  });

  it('stays synchronous for a synchronous pipeline and body (no await per element)', async () => {
    // Every element is processed before forEachAsync yields to the microtask queue once.
    const log: string[] = [];
    const done = Dataset.range(3)
      .map((x) => x + 1)
      .batch(1)
      .unbatch()
      .forEachAsync((x) => void log.push(`el ${(x as tf.Tensor).dataSync()[0]}`), { disposeElements: true });
    void Promise.resolve().then(() => log.push('microtask'));
    await done;
    expect(log).toEqual(['el 1', 'el 2', 'el 3', 'microtask']);
  });

  it('serialises concurrent next() calls on an iterator', async () => {
    const it = Dataset.range(3)
      .map(async (x) => {
        await new Promise((r) => setTimeout(r, 3 - x));
        return x;
      })
      .iterate();
    const results = await Promise.all([it.next(), it.next(), it.next(), it.next()]);
    expect(results.map((r) => r.value)).toEqual([0, 1, 2, undefined]);
    expect(results[3]!.done).toBe(true);
  });

  it('propagates an error from a stage to the consumer', async () => {
    const ds = Dataset.range(3).map((x) => {
      if (x === 1) throw new Error('bad element 1');
      return x;
    });
    await expect(ds.toArray()).rejects.toThrow('bad element 1');
    const seen: number[] = [];
    await expect(async () => {
      for await (const x of ds) seen.push(x);
    }).rejects.toThrow('bad element 1');
    expect(seen).toEqual([0]);
  });
});

describe('Dataset ignoreErrors', () => {
  it('skips failed elements, counts them and goes on', async () => {
    const skips: [string, number][] = [];
    const ds = Dataset.range(6)
      .map(async (x) => {
        if (x % 3 === 1) throw new Error(`bad ${x}`);
        return x;
      })
      .ignoreErrors({ onSkip: (e, n) => skips.push([(e as Error).message, n]) });
    expect(ds.size).toBeNull();
    expect(await ds.toArray()).toEqual([0, 2, 3, 5]);
    expect(skips).toEqual([
      ['bad 1', 1],
      ['bad 4', 2],
    ]);
  });

  it('skips failures inside a concurrent map, and synchronous ones, in order', async () => {
    const sync = Dataset.range(5).map((x) => {
      if (x === 2) throw new Error('sync');
      return x;
    });
    expect(await sync.ignoreErrors().toArray()).toEqual([0, 1, 3, 4]);
    const concurrent = Dataset.range(8).map(
      async (x) => {
        await new Promise((r) => setTimeout(r, 8 - x));
        if (x === 3 || x === 6) throw new Error(`bad ${x}`);
        return x;
      },
      { concurrency: 3 },
    );
    expect(await concurrent.ignoreErrors().toArray()).toEqual([0, 1, 2, 4, 5, 7]);
  });

  it('keeps failing for errors `when` rejects and after maxSkips', async () => {
    const ds = Dataset.range(5).map((x) => {
      if (x === 1) throw new TypeError('type');
      if (x >= 2) throw new RangeError('range');
      return x;
    });
    await expect(ds.ignoreErrors({ when: (e) => e instanceof RangeError }).toArray()).rejects.toThrow('type');
    await expect(ds.skip(2).ignoreErrors({ maxSkips: 2 }).toArray()).rejects.toThrow('range');
  });

  it('continues a batch across a failed element', async () => {
    const ds = Dataset.range(5)
      .map((x) => {
        if (x === 2) throw new Error('bad');
        return x;
      })
      .batch(2)
      .ignoreErrors();
    const batches = await ds.toArray();
    expect(batches.map((b) => Array.from(b.dataSync()))).toEqual([[0, 1], [3, 4]]);
    tf.dispose(batches);
  });
});

describe('Dataset types', () => {
  it('carries element types through the chain', () => {
    const image = tf.zeros([2, 2, 1]) as tf.Tensor3D;
    const ds = Dataset.from([{ image, label: 1, name: 'a' }]);
    expectTypeOf(ds).toEqualTypeOf<Dataset<{ image: tf.Tensor3D; label: number; name: string }>>();
    const mapped = ds.map(({ image, label }) => ({ x: image, y: label > 0 }));
    expectTypeOf(mapped).toEqualTypeOf<Dataset<{ x: tf.Tensor3D; y: boolean }>>();
    const asyncMapped = ds.map(async ({ label }) => String(label));
    expectTypeOf(asyncMapped).toEqualTypeOf<Dataset<string>>();
    expectTypeOf(ds.batch(2)).toEqualTypeOf<Dataset<{ image: tf.Tensor4D; label: tf.Tensor1D; name: string[] }>>();
    expectTypeOf(ds.batch(2).unbatch()).toEqualTypeOf<Dataset<{ image: tf.Tensor3D; label: tf.Scalar; name: string }>>();
    expectTypeOf(Dataset.from([new Int32Array(2)]).batch(2)).toEqualTypeOf<Dataset<tf.Tensor2D>>();
    expectTypeOf(Dataset.from([[image as unknown as tf.Scalar, 2] as [tf.Scalar, number]]).batch(2)).toEqualTypeOf<
      Dataset<[tf.Tensor1D, tf.Tensor1D]>
    >();
    expectTypeOf(ds.shuffle(2, { seed: 1 }).take(1).skip(0).repeat(2).prefetch().cache().ignoreErrors()).toEqualTypeOf(ds);
    expectTypeOf(Dataset.range(2).zip(Dataset.from(['a']))).toEqualTypeOf<Dataset<[number, string]>>();
    expectTypeOf(Dataset.zip({ a: Dataset.range(1), b: Dataset.from([true]) })).toEqualTypeOf<
      Dataset<{ a: number; b: boolean }>
    >();
    expectTypeOf(Dataset.zip([Dataset.range(1), Dataset.from(['s'])])).toEqualTypeOf<Dataset<[number, string]>>();
    expectTypeOf(Dataset.range(2).concat(Dataset.from(['a']))).toEqualTypeOf<Dataset<number | string>>();
    expectTypeOf(Dataset.from(['ab']).interleave((s) => Dataset.from([...s]))).toEqualTypeOf<Dataset<string>>();
    const narrowed = Dataset.from<number | string>([1, 'a']).filter((x): x is string => typeof x === 'string');
    expectTypeOf(narrowed).toEqualTypeOf<Dataset<string>>();
    expectTypeOf(
      Dataset.from(function* () {
        yield 1;
      }),
    ).toEqualTypeOf<Dataset<number>>();
    expectTypeOf(
      Dataset.from(async function* () {
        yield 'a';
      }),
    ).toEqualTypeOf<Dataset<string>>();
    image.dispose();
  });

  it('accepts an augmentation-style transform (sample, Rng | { rng }) => sample', async () => {
    // the signature augment's transforms have: generic over the sample, rng or context second
    const jitter = <S extends { value: number }>(sample: S, source: Rng | { readonly rng: Rng }): S => {
      const r = 'rng' in source ? source.rng : source;
      return { ...sample, value: sample.value + r.uniform() };
    };
    const ds = Dataset.from([{ value: 1, id: 'a' }]).map(jitter, { seed: 2 });
    expectTypeOf(ds).toEqualTypeOf<Dataset<{ value: number; id: string }>>();
    const [out] = await ds.toArray();
    expect(out!.value).toBe(1 + rng(2).fold(0).fold(0).uniform());
    expect(out!.id).toBe('a');
    const ctx: MapContext = { index: 0, epoch: 0, rng: rng(1) };
    expectTypeOf(jitter).toBeCallableWith({ value: 1 }, ctx);
  });
});
