// Worker: greedy generation with Tensorloom's GPT (`causalLM` of @tensorloom/models) on one
// backend, with or without the key/value cache; prints its tokens/s the way the training
// workers print samples/s (one "step" of the timing loop is a whole generation).
//   node --import tsx tools/bench/perf/generate-tensorloom.ts --task gpt-cached --backend native --threads 2
//     --warmup 1 --repeats 3 --budget-ms 3000
// The PyTorch twin is perf/torch_generate.py (same shapes, same prompt, same token count).
import { rng, tf, useBackend } from '@tensorloom/core';
import type { BackendName } from '@tensorloom/core';
import { setNativeThreads } from '@tensorloom/backend-native';
import { causalLM, greedyDecode } from '@tensorloom/models';
import { measure, report, reportError, workerArgs } from './measure.js';
import { GPT_SHAPE } from './tasks.js';

const args = workerArgs(process.argv.slice(2));
try {
  setNativeThreads(Number(args.threads ?? 2));
  await useBackend(args.backend as BackendName);
  const cache = args.task === 'gpt-cached';
  const { tokens, prompt, layers, dModel, heads, vocab } = GPT_SHAPE;
  const lm = causalLM({ vocabSize: vocab, contextLength: prompt + tokens, dModel, numLayers: layers, numHeads: heads, dropout: 0 }).build([null, null], rng(1));
  const prompts = [Array.from({ length: prompt }, (_, i) => (i * 7) % vocab)];
  // Both decoders must agree before either is timed (as in tools/bench/generate.ts).
  const a = greedyDecode(lm.decoder({ cache: true }), { prompts, maxLength: 16 });
  const b = greedyDecode(lm.decoder({ cache: false }), { prompts, maxLength: 16 });
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`cached and uncached generation differ: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  const before = tf.memory().numTensors;
  const step = async () => {
    const out = greedyDecode(lm.decoder({ cache }), { prompts, maxLength: tokens });
    if (out[0]?.length !== tokens) throw new Error(`expected ${tokens} tokens, got ${out[0]?.length}`);
  };
  const result = await measure(step, { batch: tokens, warmup: Number(args.warmup), repeats: Number(args.repeats), budgetMs: Number(args['budget-ms']) });
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`generation left ${leaked} tensors behind`);
  report(result);
} catch (e) {
  reportError(e);
}
