// Token generation with and without the key/value cache on a GPT-style causal LM.
//
//   npm run bench -- generate [--tokens N] [--layers L] [--d-model D] [--batch B] [--backend cpu|wasm] [--repeats R]
//   node --import tsx tools/bench/generate.ts --help
//
// Builds a `causalLM` of L blocks of width D (heads D/32, MLP 4·D, vocabulary 512, context
// N + 8) with seed 1, then greedy-decodes N tokens after an 8-token prompt, B rows at once:
// once through `lm.decoder()` (each step projects the new position only and attends to the
// cached keys/values) and once through `lm.decoder({ cache: false })` (each step reruns the
// whole sequence). Both must produce the same tokens (checked). Each is warmed up on 8 tokens,
// then timed R times; the best run is reported in tokens per wall-clock second and per second
// of this process's CPU time, with the speed-up of the cache.
import { pathToFileURL } from 'node:url';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { currentBackend, rng, tf, useBackend } from '@tensorloom/core';
import '@tensorloom/backend-wasm';
import { causalLM, greedyDecode } from '@tensorloom/models';
import type { CausalLM } from '@tensorloom/models';
import * as cli from '../cli.mjs';
import type { Command } from '../cli.mjs';

interface Options {
  tokens: number;
  layers: number;
  dModel: number;
  batch: number;
  backend: 'cpu' | 'wasm';
  repeats: number;
}

/** The benchmark's options, their parsers and defaults (`--help` prints them). */
export function command(): Command {
  return cli
    .command('generate', 'Greedy generation with and without the key/value cache on a GPT-style causal LM.')
    .option('--tokens <n>', 'tokens generated per row', cli.int({ min: 1 }), 256)
    .option('--layers <n>', 'transformer blocks', cli.int({ min: 1 }), 4)
    .option('--d-model <n>', 'model width (a multiple of 32: heads of 32 features)', cli.int({ min: 32 }), 128)
    .option('--batch <n>', 'rows decoded together', cli.int({ min: 1 }), 1)
    .option('--backend <name>', 'cpu or wasm', cli.choice(['cpu', 'wasm']), 'wasm')
    .option('--repeats <n>', 'timed runs per decoder (the best is reported)', cli.int({ min: 1 }), 2);
}

/** Generates with one decoder; returns the tokens and the best wall and CPU seconds. */
function time(lm: CausalLM, cache: boolean, o: Options, prompts: number[][]): { tokens: number[][]; wall: number; cpu: number } {
  greedyDecode(lm.decoder({ cache }), { prompts, maxLength: 8 }); // warm-up: kernels, shapes
  let best = { tokens: [] as number[][], wall: Infinity, cpu: Infinity };
  for (let r = 0; r < o.repeats; r++) {
    const before = tf.memory().numTensors;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const tokens = greedyDecode(lm.decoder({ cache }), { prompts, maxLength: o.tokens });
    const wall = (performance.now() - t0) / 1000;
    const usage = process.cpuUsage(cpu0);
    const cpu = (usage.user + usage.system) / 1e6;
    const leaked = tf.memory().numTensors - before;
    if (leaked !== 0) throw new Error(`generate: expected 0 leaked tensors, got ${leaked} (cache ${cache})`);
    if (wall < best.wall) best = { tokens, wall, cpu };
  }
  return best;
}

/** Parses `args`, runs both decoders and prints the table. */
export async function main(args: readonly string[] = process.argv.slice(2)): Promise<void> {
  const o = cli.parse<Options>(command(), args);
  if (o.dModel % 32 !== 0) {
    console.error(`generate: --d-model expected a multiple of 32, got ${o.dModel}`);
    process.exit(cli.USAGE_EXIT_CODE);
  }
  await useBackend(o.backend);
  const prompt = 8;
  const lm = causalLM({ vocabSize: 512, contextLength: o.tokens + prompt, dModel: o.dModel, numLayers: o.layers, numHeads: o.dModel / 32, dropout: 0 }).build([null, null], rng(1));
  const prompts = Array.from({ length: o.batch }, (_, b) => Array.from({ length: prompt }, (_, i) => (b * 31 + i * 7) % 512));
  const cached = time(lm, true, o, prompts);
  const plain = time(lm, false, o, prompts);
  if (JSON.stringify(cached.tokens) !== JSON.stringify(plain.tokens)) throw new Error('generate: cached and uncached decoding produced different tokens');
  const n = o.tokens * o.batch;
  console.log(`\ncausalLM: ${o.layers} layers, dModel ${o.dModel}, ${o.dModel / 32} heads, vocab 512, ${lm.countParams().total} parameters; ${o.tokens} tokens × ${o.batch} rows after an ${prompt}-token prompt`);
  console.log(`backend ${currentBackend()} (node ${process.version}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.table({
    'with cache': { seconds: +cached.wall.toFixed(2), 'tokens/s': Math.round(n / cached.wall), 'tokens per CPU s': Math.round(n / cached.cpu) },
    'without cache': { seconds: +plain.wall.toFixed(2), 'tokens/s': Math.round(n / plain.wall), 'tokens per CPU s': Math.round(n / plain.cpu) },
  });
  console.log(`speed-up of the cache: ${(plain.wall / cached.wall).toFixed(1)}× wall, ${(plain.cpu / cached.cpu).toFixed(1)}× CPU`);
  lm.dispose();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
