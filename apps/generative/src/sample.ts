// `generative sample --run <folder> --n 64 --out grid.png`: a grid of fresh samples of a trained run.
import { writeFile } from 'node:fs/promises';
import { rng } from '@tensorloom/core';
import { selectBackend } from '@tensorloom/app-kit';
import type { BackendFlag } from '@tensorloom/app-kit';
import { loadRun } from './run-folder.js';
import { sampleGrid } from './train.js';

/** Writes `n` samples of the run's generator (or decoder) drawn with `seed` as one PNG grid. */
export async function sample(flags: { run: string; n: number; out: string; seed: number; backend: BackendFlag }): Promise<void> {
  await selectBackend(flags.backend);
  const run = await loadRun(flags.run);
  const z = rng(flags.seed).normalTensor([flags.n, run.config.latent]);
  await writeFile(flags.out, sampleGrid(run.decode, z));
  z.dispose();
  run.dispose();
  console.log(`${flags.n} samples of ${run.config.model} (${run.config.dataset}) written to ${flags.out}`);
}
