import { describe, expect, it } from 'vitest';
import { CsvParser } from './csv-parser.js';
import type { CsvRecord } from './csv-parser.js';

function parse(text: string, chunk = text.length || 1, delimiter = ','): CsvRecord[] {
  const p = new CsvParser(delimiter);
  for (let i = 0; i < text.length; i += chunk) p.push(text.slice(i, i + chunk));
  p.end();
  return p.records.drain();
}

describe('CsvParser', () => {
  const text = '\ufeffa,b,c\r\n1,"x, ""quoted""",3\n\n"multi\nline",,"end"\r"last",2,';
  const expected: CsvRecord[] = [
    { fields: ['a', 'b', 'c'], line: 1 },
    { fields: ['1', 'x, "quoted"', '3'], line: 2 },
    { fields: ['multi\nline', '', 'end'], line: 4 },
    { fields: ['last', '2', ''], line: 6 },
  ];

  it('parses quotes, doubled quotes, empty fields, CRLF/LF/CR, empty lines and a BOM', () => {
    expect(parse(text)).toEqual(expected);
  });

  it('gives the same records whatever the chunk boundaries', () => {
    for (const chunk of [1, 2, 3, 5, 7]) expect(parse(text, chunk)).toEqual(expected);
  });

  it('is lenient where RFC 4180 is silent, and reports an unclosed quote', () => {
    expect(parse('a"b,"c"d\n')).toEqual([{ fields: ['a"b', 'cd'], line: 1 }]);
    expect(parse('ok\n"never closed,1\n2')).toEqual([
      { fields: ['ok'], line: 1 },
      { error: 'has a quoted field that is never closed', line: 2 },
    ]);
    expect(parse('a;b\n1;2', 3, ';')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', '2'], line: 2 },
    ]);
    expect(parse('')).toEqual([]);
    expect(parse('"",""\n')).toEqual([{ fields: ['', ''], line: 1 }]);
  });
});
