// A user's program on wasm that fails on its own: run by process-handlers.test.ts in a child
// process. argv[2] picks how it fails: 'throw' (an uncaught exception) or 'reject' (an
// unhandled rejection); 'listeners' prints the process's error listeners before and after.
import { useBackend } from '@tensorloom/core';
import '@tensorloom/backend-wasm';

const mode = process.argv[2];
const mine = (): void => {};
if (mode === 'listeners') process.on('uncaughtException', mine);
const count = (): string =>
  `${process.listenerCount('uncaughtException')} ${process.listenerCount('unhandledRejection')}`;
const before = count();
console.log(await useBackend('auto'));
if (mode === 'throw') throw new Error('my own bug');
if (mode === 'reject') void Promise.reject(new Error('my own rejection'));
if (mode === 'listeners') {
  console.log(before, count(), process.listeners('uncaughtException')[0] === mine);
  process.off('uncaughtException', mine);
}
