/**
 * Every library entry that promises to run in a browser bundles for one: esbuild with
 * `platform: 'browser'` (which honours each dependency's `browser` field, as browser
 * bundlers do) must resolve every import without a Node built-in (`fs`, `node:path`, …).
 * Node-only code belongs behind a package's `/node` subpath, which is not checked here.
 */
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const ENTRIES = ['core', 'data', 'layers', 'metrics', 'train', 'models', 'backend-wasm'];
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Sibling packages from their sources, as in development (no build needed first). */
const sources: Plugin = {
  name: 'tensorloom-sources',
  setup(b) {
    b.onResolve({ filter: /^@tensorloom\/[a-z0-9-]+$/ }, (args) => ({ path: `${root}packages/${args.path.slice('@tensorloom/'.length)}/src/index.ts` }));
  },
};

/**
 * The Node built-ins a production browser bundle of `entry` would need (esbuild's unresolved
 * imports), and any other error of that bundle.
 */
async function nodeBuiltinsOf(entry: { path: string } | { contents: string }): Promise<string[]> {
  const result = await build({
    ...('path' in entry ? { entryPoints: [entry.path] } : { stdin: { contents: entry.contents, resolveDir: root, loader: 'ts' } }),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
    plugins: [sources],
  }).catch((e: { errors?: { text: string }[] }) => ({ errors: e.errors ?? [{ text: String(e) }] }));
  // A built-in by its name; any other failure by esbuild's whole message (it fails the test too).
  return result.errors.map((e) => {
    const name = /Could not resolve "([^"]+)"/.exec(e.text)?.[1];
    return name !== undefined && builtins.has(name) ? name : e.text;
  });
}

describe('browser bundles of the library entries', () => {
  it('fails for an entry that imports a Node built-in (the check can fail)', async () => {
    expect(await nodeBuiltinsOf({ contents: "import { readFileSync } from 'node:fs'; import { join } from 'path'; console.log(readFileSync, join);" })).toEqual(['node:fs', 'path']);
  });

  it("catches core's Node-only /node entry", async () => {
    expect(await nodeBuiltinsOf({ path: `${root}packages/core/src/node.ts` })).toEqual(['node:fs/promises', 'node:path']);
  });

  it.each(ENTRIES)('@tensorloom/%s imports no Node built-in', async (name) => {
    expect(await nodeBuiltinsOf({ path: `${root}packages/${name}/src/index.ts` })).toEqual([]);
  });
});
