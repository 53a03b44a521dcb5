// The guides in docs/ that belong to this package, run as written: their ```ts blocks,
// concatenated in order, are one program (its own checks throw on a wrong number).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function programOf(markdown: string): string {
  const blocks = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.join('\n');
}

describe('guides run as written', () => {
  for (const guide of ['serving-with-onnx-runtime.md', 'migrating-from-tfjs-layers.md']) {
    it(guide, async () => {
      const source = programOf(readFileSync(new URL(`../../../docs/${guide}`, import.meta.url), 'utf8'));
      expect(source.length).toBeGreaterThan(0);
      const file = join(mkdtempSync(join(tmpdir(), 'interop-guide-')), `${guide.replace('.md', '')}.ts`);
      writeFileSync(file, `${source}\nexport {};\n`);
      await import(/* @vite-ignore */ file);
    });
  }
});
