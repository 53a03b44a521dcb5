// The repository's configuration refers only to files that exist.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('nx.json', () => {
  it('names only workspace files that exist', () => {
    const text = readFileSync(`${root}nx.json`, 'utf8');
    const files = [...text.matchAll(/\{workspaceRoot\}\/([^"*]+?)"/g)].map((m) => m[1]!);
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !existsSync(`${root}${f}`))).toEqual([]);
  });
});

describe('package.json scripts', () => {
  it('name only tools that exist', () => {
    const { scripts } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> };
    const tools = Object.values(scripts).flatMap((s) => [...s.matchAll(/tools\/[\w./-]+\.(?:mjs|ts)/g)].map((m) => m[0]));
    expect(tools.length).toBeGreaterThan(0);
    expect(tools.filter((t) => !existsSync(`${root}${t}`))).toEqual([]);
  });
});
