// `npm run bench`: runs every benchmark in tools/bench, one after another.
//
//   npm run bench                 # all of them, with their default options
//   npm run bench -- pipeline     # only the named ones (file names without .ts)
//
// A benchmark is a file here that exports `main(args: string[]): Promise<void>` and prints
// its own report (and runs `main` itself when executed directly). Files starting with `_`
// and this file are skipped.
import { readdirSync } from 'node:fs';

const here = new URL('.', import.meta.url);
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -'.ts'.length))
  .sort();
const unknown = wanted.filter((w) => !names.includes(w));
if (unknown.length > 0) {
  throw new Error(`bench: unknown benchmark ${unknown.join(', ')}; expected one of ${names.join(', ')}`);
}
for (const name of wanted.length > 0 ? wanted : names) {
  const module = (await import(new URL(`${name}.ts`, here).href)) as { main?: (args: string[]) => Promise<void> };
  if (typeof module.main !== 'function') throw new Error(`bench: tools/bench/${name}.ts does not export main(args)`);
  console.log(`\n=== ${name} ===`);
  await module.main([]);
}
