import { describe, expect, it } from 'vitest';
import { findOutsideReferences } from './check-references.mjs';

// The names are built from parts so that this file passes its own check.
const design = ['DESIGN', 'md'].join('.');
const style = ['STYLE', 'md'].join('.');

describe('findOutsideReferences', () => {
  it.each([
    [`Read ${design} first.`, 'a design file that is not in the repository (see docs/architecture.md)'],
    [`see \`${style}\`:`, 'a style file that is not in the repository (see docs/style.md)'],
    [`import x from '../${'shared'}/notes.js';`, 'a folder beside the repository'],
    [`const data = '/${'work'}/main/data.bin';`, 'an absolute path of one machine'],
    [`cd /${'home'}/me/repo`, 'an absolute path of one machine'],
  ])('finds %j', (line, what) => {
    expect(findOutsideReferences('docs/x.md', `first line\n${line}\n`)).toEqual([expect.stringMatching(new RegExp(`^docs/x\\.md:2: ${what.replace(/[().]/g, '\\$&')} \\(`))]);
  });

  it.each([
    'See docs/architecture.md and docs/style.md.',
    'const dir = mkdtempSync(join(tmpdir(), "x"));',
    'the shared helper in tools/cli.mjs',
    'https://example.org/work/items',
    'DESIGNS.md is a different name',
  ])('passes %j', (line) => {
    expect(findOutsideReferences('README.md', line)).toEqual([]);
  });
});
