// The README's example is a program: it must be the file test/readme-example.ts, verbatim,
// and that file must run (on wasm, printing the loss of one SGD step).
import { readFileSync } from 'node:fs';
import { tf } from '@tensorloom/core';
import { describe, expect, it, vi } from 'vitest';

describe('README', () => {
  it('shows test/readme-example.ts, which runs on wasm', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('../test/readme-example.ts', import.meta.url), 'utf8');
    const first = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(first).toBe(example);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await import('../test/readme-example.js');
    expect(log.mock.calls[0]).toEqual(['wasm']);
    expect(log.mock.calls[1]?.[0]).toBe('loss');
    expect(Number.isFinite(log.mock.calls[1]?.[1])).toBe(true);
    expect(tf.getBackend()).toBe('wasm');
    log.mockRestore();
  });
});
