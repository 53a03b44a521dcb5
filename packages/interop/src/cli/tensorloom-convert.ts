#!/usr/bin/env node
// The `tensorloom-convert` command (package.json "bin"); see convert.ts.
import { runConvert } from './convert.js';

process.exitCode = await runConvert(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
});
