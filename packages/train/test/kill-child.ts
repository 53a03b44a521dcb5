// Child process of file-store.test.ts: writes checkpoints step-1, step-2, ... into argv[2]
// as fast as it can until it is killed. Each checkpoint's files are filled with its step
// number (sizes vary with the step), so a reader can tell a whole checkpoint from a torn one.
import { fileStore } from '../src/node/file-store.js';

const dir = process.argv[2]!;
const store = fileStore(dir);

export function filesFor(step: number): Record<string, Uint8Array> {
  const fill = (n: number): Uint8Array => new Uint8Array(n).fill(step % 251);
  return {
    'model.safetensors': fill(200_000 + (step % 7) * 10_000),
    'state.safetensors': fill(50_000 + (step % 5) * 1000),
    'trainer.json': new TextEncoder().encode(JSON.stringify({ step })),
  };
}

async function main(): Promise<void> {
  for (let step = 1; ; step++) {
    await store.write(`step-${String(step).padStart(9, '0')}`, filesFor(step));
    if (step > 2) await store.remove(`step-${String(step - 2).padStart(9, '0')}`);
    if (step === 1) process.stdout.write('ready\n');
  }
}

if (process.argv[2] !== undefined) void main();
