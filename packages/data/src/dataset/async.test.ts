import { describe, expect, it } from 'vitest';
import { Dataset } from './dataset.js';

/** One turn of the event loop: deterministic FIFO ordering between awaiting parties. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** An async source that logs when it starts and finishes producing each element. */
function loggedSource(log: string[], n: number): Dataset<number> {
  return Dataset.from(async function* () {
    for (let i = 0; i < n; i++) {
      log.push(`produce ${i} start`);
      await turn();
      log.push(`produce ${i} end`);
      yield i;
    }
  });
}

async function consume(ds: Dataset<number>, log: string[]): Promise<void> {
  for await (const x of ds) {
    log.push(`consume ${x} start`);
    await turn();
    await turn();
    log.push(`consume ${x} end`);
  }
}

describe('Dataset.prefetch', () => {
  it('produces the next element while the consumer works on the current one', async () => {
    const log: string[] = [];
    await consume(loggedSource(log, 3).prefetch(1), log);
    expect(log.indexOf('produce 1 start')).toBeLessThan(log.indexOf('consume 0 end'));
    expect(log.indexOf('produce 2 start')).toBeLessThan(log.indexOf('consume 1 end'));
    // all elements arrive, in order
    expect(log.filter((e) => e.startsWith('consume') && e.endsWith('start'))).toEqual([
      'consume 0 start',
      'consume 1 start',
      'consume 2 start',
    ]);
  });

  it('(control) without prefetch, production waits for the consumer', async () => {
    const log: string[] = [];
    await consume(loggedSource(log, 3), log);
    expect(log.indexOf('produce 1 start')).toBeGreaterThan(log.indexOf('consume 0 end'));
    expect(log).toEqual([
      'produce 0 start',
      'produce 0 end',
      'consume 0 start',
      'consume 0 end',
      'produce 1 start',
      'produce 1 end',
      'consume 1 start',
      'consume 1 end',
      'produce 2 start',
      'produce 2 end',
      'consume 2 start',
      'consume 2 end',
    ]);
  });

  it('runs at most bufferSize elements ahead', async () => {
    const log: string[] = [];
    const it = loggedSource(log, 10).prefetch(3).iterate();
    await it.next(); // element 0 delivered; the pump refills up to 3 buffered
    for (let i = 0; i < 20; i++) await turn();
    const produced = log.filter((e) => e.endsWith('end')).length;
    expect(produced).toBe(4); // 0 (delivered) + 1, 2, 3 (buffered)
    await it.return!();
  });

  it('delivers failures in order and then goes on', async () => {
    const ds = Dataset.range(5)
      .map(async (x) => {
        await turn();
        if (x === 2) throw new Error('bad 2');
        return x;
      })
      .prefetch(3);
    const skipped: string[] = [];
    const out = await ds.ignoreErrors({ onSkip: (e) => skipped.push((e as Error).message) }).toArray();
    expect(out).toEqual([0, 1, 3, 4]);
    expect(skipped).toEqual(['bad 2']);
  });

  it('passes a synchronous upstream through unchanged', async () => {
    expect(await Dataset.range(5).prefetch(2).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(Dataset.range(5).prefetch(2).size).toBe(5);
  });
});

describe('Dataset.map concurrency', () => {
  it('keeps at most `concurrency` calls in flight and the input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const finished: number[] = [];
    const ds = Dataset.range(10).map(
      async (x) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        // element k takes (3 - k % 3) turns, so later elements often finish first
        for (let t = 0; t < 3 - (x % 3); t++) await turn();
        inFlight--;
        finished.push(x);
        return x * 2;
      },
      { concurrency: 3 },
    );
    expect(await ds.toArray()).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(peak).toBe(3);
    expect(finished).not.toEqual([...Array(10).keys()]); // completions were out of order
  });

  it('runs calls one at a time by default', async () => {
    let inFlight = 0;
    let peak = 0;
    await Dataset.range(5)
      .map(async (x) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await turn();
        inFlight--;
        return x;
      })
      .toArray();
    expect(peak).toBe(1);
  });

  it('pulls an asynchronous upstream while calls are in flight', async () => {
    const log: string[] = [];
    const ds = loggedSource(log, 4).map(
      async (x) => {
        log.push(`map ${x} start`);
        await turn();
        await turn();
        log.push(`map ${x} end`);
        return x;
      },
      { concurrency: 2 },
    );
    expect(await ds.toArray()).toEqual([0, 1, 2, 3]);
    expect(log.indexOf('map 1 start')).toBeLessThan(log.indexOf('map 0 end'));
  });
});
