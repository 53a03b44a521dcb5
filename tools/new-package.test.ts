// `npm run new-package` writes a package whose starter test passes and prints the steps that
// are left. The package goes to a scratch folder inside node_modules/.cache (so `vitest` and
// the packages resolve as in the repository, and no workspace sees it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
const scratch = mkdtempSync(join(root, 'node_modules/.cache/new-package-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm run new-package', () => {
  const result = spawnSync(process.execPath, ['tools/new-package.mjs', 'starter', 'A starter package.', '--into', relative(root, scratch)], { cwd: root, encoding: 'utf8' });
  const dir = join(scratch, 'starter');

  it('writes the shared layout with a starter test', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    for (const f of ['package.json', 'tsconfig.json', 'tsconfig.lib.json', 'typedoc.json', 'README.md', 'src/index.ts', 'src/index.test.ts']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; nx: { tags: string[] } };
    expect(manifest.name).toBe('@tensorloom/starter');
    expect(manifest.nx.tags).toEqual(['type:lib', 'scope:starter']);
  });

  it('prints the steps that are left: install, depConstraints rule, README row, changeset', () => {
    expect(result.stdout).toContain('npm install');
    expect(result.stdout).toContain("{ sourceTag: 'scope:starter', onlyDependOnLibsWithTags: ['scope:core'] }");
    expect(result.stdout).toContain('README.md: add a row for @tensorloom/starter');
    expect(result.stdout).toContain('.changeset/starter-initial.md');
  });

  it("the starter test passes under vitest", () => {
    // The root vitest config's alias for @tensorloom/core, without its project list.
    writeFileSync(
      join(dir, 'vitest.config.mjs'),
      `export default { resolve: { alias: [{ find: /^@tensorloom\\/core$/, replacement: ${JSON.stringify(join(root, 'packages/core/src/index.ts'))} }] }, test: { include: ['src/**/*.test.ts'] } };\n`,
    );
    const run = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', join(dir, 'vitest.config.mjs'), '--root', dir], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    expect(run.stdout + run.stderr).toMatch(/Tests\s+1 passed \(1\)/);
    expect(run.status).toBe(0);
  });

  it('rejects an existing package and a bad name with one line and exit code 2', () => {
    const existing = spawnSync(process.execPath, ['tools/new-package.mjs', 'core', 'x'], { cwd: root, encoding: 'utf8' });
    expect(existing.stderr).toBe("new-package: <name> expected a new package, got 'core' (packages/core already exists)\n");
    expect(existing.status).toBe(2);
    const bad = spawnSync(process.execPath, ['tools/new-package.mjs', 'My_Pkg', 'x'], { cwd: root, encoding: 'utf8' });
    expect(bad.stderr).toBe("new-package: command-argument value 'My_Pkg' is invalid for argument 'name'. expected lowercase letters, digits and dashes, starting with a letter\n");
    expect(bad.status).toBe(2);
  });
});
