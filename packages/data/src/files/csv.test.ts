import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, FormatError } from '@tensorloom/core';
import { readCsv } from './csv.js';

let dir: string;
const file = (name: string): string => join(dir, name);
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tensorloom-csv-'));
  await writeFile(
    file('people.csv'),
    'name,age,score,member,note\n' +
      'Ada,36,9.5,true,"likes ""maths"", and engines"\n' +
      'Alan,41,,FALSE,"two\nlines"\n' +
      'Grace,85,-1e2,true,\n',
  );
  await writeFile(file('bad.csv'), 'x,y\n1,2\n3\n4,oops\n5,6\n7,"open\n');
  await writeFile(file('plain.csv'), '1;a\n2;b\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readCsv', () => {
  it('reads a header, quoted fields and inferred column types', async () => {
    const rows = await readCsv(file('people.csv')).toArray();
    expect(rows).toEqual([
      { name: 'Ada', age: 36, score: 9.5, member: true, note: 'likes "maths", and engines' },
      { name: 'Alan', age: 41, score: Number.NaN, member: false, note: 'two\nlines' },
      { name: 'Grace', age: 85, score: -100, member: true, note: '' },
    ]);
  });

  it('takes column types and names, and re-reads the file each epoch', async () => {
    const ds = readCsv(file('plain.csv'), { header: false, delimiter: ';', columnNames: ['id', 'tag'], columns: { id: 'string' } });
    expect(await ds.toArray()).toEqual([
      { id: '1', tag: 'a' },
      { id: '2', tag: 'b' },
    ]);
    expect(await ds.toArray()).toHaveLength(2);
    expect(await readCsv(file('plain.csv'), { header: false, delimiter: ';' }).toArray()).toEqual([
      { column0: 1, column1: 'a' },
      { column0: 2, column1: 'b' },
    ]);
    expect(await readCsv(file('people.csv'), { inferRows: 0 }).take(1).toArray()).toEqual([
      { name: 'Ada', age: '36', score: '9.5', member: 'true', note: 'likes "maths", and engines' },
    ]);
  });

  it('fails on a malformed row naming file and line, or skips it with ignoreErrors', async () => {
    const path = file('bad.csv');
    await expect(readCsv(path).toArray()).rejects.toThrow(new FormatError(`readCsv '${path}': line 3 expected 2 fields, got 1`));
    const skipped: string[] = [];
    const rows = await readCsv(path, { columns: { y: 'int' } })
      .ignoreErrors({ onSkip: (e) => skipped.push((e as Error).message) })
      .toArray();
    expect(rows).toEqual([
      { x: 1, y: 2 },
      { x: 5, y: 6 },
    ]);
    expect(skipped).toEqual([
      `readCsv '${path}': line 3 expected 2 fields, got 1`,
      `readCsv '${path}': line 4 column 'y' expected an integer, got 'oops'`,
      `readCsv '${path}': line 6 has a quoted field that is never closed`,
    ]);
  });

  it('rejects a binary file (a NUL byte) and a header row of numbers only (a file without a header)', async () => {
    const png = file('image.csv');
    await writeFile(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    await expect(readCsv(png).toArray()).rejects.toThrow(
      new FormatError(`readCsv '${png}': expected a text file, got a NUL byte on line 3 (a binary file?)`),
    );
    const noHeader = file('no-header.csv');
    await writeFile(noHeader, '\n1,2.5\n3,4\n');
    await expect(readCsv(noHeader).toArray()).rejects.toThrow(
      new FormatError(`readCsv '${noHeader}': expected a header row naming the columns, got only numbers on line 2: 1, 2.5`, {
        help: 'pass header: false (and columnNames) for a file without one',
      }),
    );
    // without a header the NUL check still holds, and a text file still reads
    await expect(readCsv(png, { header: false }).toArray()).rejects.toThrow('expected a text file, got a NUL byte');
    expect(await readCsv(file('plain.csv'), { header: false, delimiter: ';' }).toArray()).toHaveLength(2);
  });

  it('rejects bad options and unreadable files', async () => {
    expect(() => readCsv('a.csv', { delimiter: ',,' })).toThrow(
      new ConfigError(`readCsv 'a.csv': delimiter expected one character other than a quote or newline, got ",,"`),
    );
    expect(() => readCsv('a.csv', { inferRows: -1 })).toThrow("readCsv 'a.csv': inferRows expected an integer >= 0, got -1");
    await expect(readCsv(file('people.csv'), { columns: { height: 'number' } }).toArray()).rejects.toThrow(
      `readCsv '${file('people.csv')}': columns expected names of the file's columns [name, age, score, member, note], got 'height'`,
    );
    const missing = file('missing.csv');
    await expect(readCsv(missing).toArray()).rejects.toThrow(new FormatError(`readCsv '${missing}': cannot read the file: no such file`));
    // a failure of the whole file ends the epoch even when errors are ignored
    expect(await readCsv(missing).ignoreErrors().toArray()).toEqual([]);
  });
});
