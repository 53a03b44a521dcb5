import { ConfigError, FormatError } from '@tensorloom/core';
import type { PackageFileReader } from '../read.js';

/**
 * The reader a loader uses: the one given, or the Node reader from
 * `@tensorloom/datasets/node`, imported only when needed.
 */
export async function resolveReader(unit: string, read: PackageFileReader | undefined): Promise<PackageFileReader> {
  if (read !== undefined) {
    if (typeof read !== 'function') {
      throw new ConfigError(`${unit}: read expected a function (file) => Promise<Uint8Array>, got ${typeof read}`);
    }
    return read;
  }
  if (typeof process === 'undefined' || typeof process.versions?.node !== 'string') {
    throw new ConfigError(`${unit}: read expected a file reader outside Node, got undefined`, {
      help: 'serve the npm package files yourself and pass { read: (file) => fetch(...) } (see PackageFileReader)',
    });
  }
  // The package's own `./node` subpath: Node gets the `fs` reader, browser bundles get a
  // stand-in without `fs` (the `browser` export condition), so no bundler pulls `fs` in.
  const node = await import('@tensorloom/datasets/node');
  return node.readPackageFile;
}

const decoder = new TextDecoder('utf-8');

/** Reads a package file as UTF-8 text. */
export async function readText(read: PackageFileReader, file: string): Promise<string> {
  return decoder.decode(await read(file));
}

/** Reads a package file as JSON. */
export async function readJson(read: PackageFileReader, file: string): Promise<unknown> {
  const text = await readText(read, file);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new FormatError(`datasets: '${file}' is not valid JSON`, { cause });
  }
}
