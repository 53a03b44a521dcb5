// The Emscripten module inside tfjs-backend-wasm adds process-wide 'uncaughtException' and
// 'unhandledRejection' listeners that rethrow: a user's own error then printed ~38 KB of
// minified code and exited with code 7. The package must leave the process's error handling
// as it found it. Each case runs test/user-error.ts in a fresh Node process.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const script = fileURLToPath(new URL('../test/user-error.ts', import.meta.url));

function run(mode: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, mode], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

describe('process error handling on wasm', () => {
  it.each([
    ['throw', 'Error: my own bug'],
    ['reject', 'Error: my own rejection'],
  ])("a user's %s prints as on cpu: short, the message present, exit code 1", async (mode, message) => {
    const { code, stdout, stderr } = await run(mode);
    expect(stdout.trim()).toBe('wasm');
    expect(stderr).toContain(message);
    expect(stderr).not.toContain('WasmBackendModule');
    expect(Buffer.byteLength(stdout + stderr)).toBeLessThan(2048);
    expect(code).toBe(1);
  }, 60_000);

  it('keeps the listeners the program had and adds none', async () => {
    const { code, stdout } = await run('listeners');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual(['wasm', '1 0 1 0 true']);
  }, 60_000);
});
