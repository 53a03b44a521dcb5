// The timing loop every training worker shares (no Tensorloom import: the stock tfjs-layers
// worker uses it too), and the line a worker prints for tools/bench/perf.ts to read.
import { performance } from 'node:perf_hooks';

/** What a worker reports for one task, implementation and backend. */
export interface WorkerResult {
  samplesPerSec: number[];
  samplesPerCpuSec: number[];
  steps: number[];
  peakRssMb: number;
  error?: string;
}

/** Warm-up, then `repeats` timed runs of as many steps as fit in `budgetMs` (at least one). */
export async function measure(
  step: () => Promise<unknown>,
  options: { batch: number; warmup: number; repeats: number; budgetMs: number },
): Promise<WorkerResult> {
  for (let i = 0; i < options.warmup; i++) await step();
  const result: WorkerResult = { samplesPerSec: [], samplesPerCpuSec: [], steps: [], peakRssMb: 0 };
  for (let r = 0; r < options.repeats; r++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let steps = 0;
    do {
      await step();
      steps++;
    } while (performance.now() - t0 < options.budgetMs);
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSec = (cpu.user + cpu.system) / 1e6;
    result.samplesPerSec.push((steps * options.batch) / wall);
    result.samplesPerCpuSec.push((steps * options.batch) / cpuSec);
    result.steps.push(steps);
  }
  result.peakRssMb = process.resourceUsage().maxRSS / 1024;
  return result;
}

/** The marker before the JSON line a worker prints last. */
export const RESULT_MARKER = 'PERF-RESULT ';

/** Prints the result line and exits (the engine may keep handles open). */
export function report(result: WorkerResult): never {
  console.log(RESULT_MARKER + JSON.stringify(result));
  process.exit(0);
}

/** Reports a failure (a task that cannot train here) as a result with `error`. */
export function reportError(error: unknown): never {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] as string;
  report({ samplesPerSec: [], samplesPerCpuSec: [], steps: [], peakRssMb: process.resourceUsage().maxRSS / 1024, error: message });
}

/** `--name value` pairs of a worker's command line (workers are started only by perf.ts). */
export function workerArgs(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) out[(argv[i] as string).replace(/^--/, '')] = argv[i + 1] as string;
  return out;
}
