#!/usr/bin/env node
// Keeps package-lock.json installable with `npm ci` on every platform.
//
// Why: nx ships its native binary as optional per-platform packages (@nx/nx-darwin-arm64,
// @nx/nx-win32-x64-msvc, ...). The registry our machines reach does not carry every one of
// them for the pinned nx 23.3.x, so `npm install` silently leaves them out of the lockfile,
// and `npm ci` then refuses the lockfile ("Missing: @nx/nx-darwin-arm64@ from lock file").
// This adds an entry for each missing optional platform package with its version and its
// os/cpu/libc (read from the parent's declared versions and the package naming scheme), so
// npm skips it on other platforms and fetches it by name where it matches.
//
// Runs from `prepare` (after every `npm install`); idempotent.
import { readFileSync, writeFileSync } from 'node:fs';
import { command, parse } from './cli.mjs';

parse(command('lockfile-platform-entries', "Adds package-lock.json entries for nx's optional per-platform packages the registry lacks."));

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const PLATFORM = /-(darwin|linux|win32|freebsd)-(arm64|x64|arm|ia32)(?:-(gnu|musl|gnueabihf|msvc))?$/;

let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const m = PLATFORM.exec(name);
    if (!m) continue;
    const target = `node_modules/${name}`;
    if (lock.packages[target] || lock.packages[`${key}/${target}`]) continue;
    const [, os, cpu, abi] = m;
    lock.packages[target] = {
      version,
      cpu: [cpu],
      ...(entry.dev ? { dev: true } : {}),
      ...(os === 'linux' && (abi === 'musl' || abi === 'gnu') ? { libc: [abi === 'musl' ? 'musl' : 'glibc'] } : {}),
      optional: true,
      os: [os],
    };
    added++;
  }
}
if (added > 0) {
  lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)));
  writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`package-lock.json: added ${added} optional platform entries`);
}
