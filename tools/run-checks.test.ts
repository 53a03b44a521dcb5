// `npm test` (tools/run-checks.mjs) ends with one summary line of all the checks it ran.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, ['tools/run-checks.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 50_000 });

describe('tools/run-checks.mjs', () => {
  it('lists its checks, npm test order', () => {
    const { status, stdout } = run(['--list']);
    expect(status).toBe(0);
    const names = stdout.trim().split('\n').map((l) => l.split(':')[0]);
    expect(names).toEqual([
      'typecheck + lint (nx, every project)',
      'typecheck tools',
      'lint tools',
      'tests (vitest)',
      'docs site (typedoc + check-docs)',
      'no references outside the repository',
      'packages (build + npm pack)',
      'getting started from packed tarballs',
    ]);
  });

  it("ends with one summary line, after each check's own summary", () => {
    const { status, stdout } = run(['--only', 'references']);
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('checks: 1 passed, 0 failed');
    expect(lines.at(-2)).toMatch(/^ok {3}no references outside the repository \(\d+ s\): check-references: \d+ files, none refers to a file outside the repository$/);
  });

  it('rejects a selection that matches no check with one line and exit code 2', () => {
    const { status, stdout, stderr } = run(['--only', 'nothing-like-this']);
    expect(stdout).toBe('');
    expect(stderr).toBe("run-checks: option '--only <names>' expected words from the check names (see --list), got 'nothing-like-this'\n");
    expect(status).toBe(2);
  });
});
