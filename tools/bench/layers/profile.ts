// Per-kernel time of one training step, from tf.profile: where a step's time goes.
import { tf } from '@tensorloom/core';

/** The time of one kernel (or one kernel with one set of input shapes) in a step. */
export interface KernelTime {
  /** `BatchMatMul` or `BatchMatMul [64,128] [128,128]`. */
  kernel: string;
  /** How many times it ran per step. */
  calls: number;
  /** Its summed time per step, ms. */
  ms: number;
}

/** What {@link profileStep} measured. */
export interface StepProfile {
  /** How many steps were profiled; every figure is per step. */
  steps: number;
  /** Wall-clock time of a profiled step, ms (profiling reads every kernel's output back, which adds to it). */
  wallMs: number;
  /** Sum of every backend kernel's time, ms; the rest of `wallMs` is JavaScript around the kernels. */
  kernelMs: number;
  /** Backend kernel invocations. */
  kernelCalls: number;
  /** Per kernel name, slowest first. */
  byName: KernelTime[];
  /** Per kernel name and input shapes, slowest first. */
  byShape: KernelTime[];
}

function add(map: Map<string, KernelTime>, key: string, ms: number): void {
  const entry = map.get(key) ?? { kernel: key, calls: 0, ms: 0 };
  entry.calls++;
  entry.ms += ms;
  map.set(key, entry);
}

/**
 * Runs `step` `steps` times under `tf.profile` and sums kernel times by kernel name and by
 * kernel name and input shapes, per step (one step alone is at the mercy of a GC pause). tf.profile also lists the ops that are not backend kernels
 * (`tf.customGrad` functions, tfjs ops built from others such as `fusedMatMul__op`) with
 * the time of the kernels they ran inside; those are left out, so nothing counts twice.
 */
export async function profileSteps(step: () => Promise<void>, steps: number): Promise<StepProfile> {
  const backend = tf.getBackend();
  const start = performance.now();
  const info = await tf.profile(async () => {
    for (let i = 0; i < steps; i++) await step();
  });
  const wallMs = performance.now() - start;
  const byName = new Map<string, KernelTime>();
  const byShape = new Map<string, KernelTime>();
  let kernelMs = 0;
  let kernelCalls = 0;
  for (const k of info.kernels) {
    if (tf.getKernel(k.name, backend) === undefined) continue;
    const ms = Number(k.kernelTimeMs);
    kernelMs += ms;
    kernelCalls++;
    const shapes = k.inputShapes.map((s) => (s === null ? 'null' : `[${s.join(',')}]`)).join(' ');
    add(byName, k.name, ms);
    add(byShape, `${k.name} ${shapes}`, ms);
  }
  const perStep = (m: Map<string, KernelTime>): KernelTime[] =>
    [...m.values()].map((k) => ({ kernel: k.kernel, calls: k.calls / steps, ms: k.ms / steps })).sort((a, b) => b.ms - a.ms);
  return {
    steps,
    wallMs: wallMs / steps,
    kernelMs: kernelMs / steps,
    kernelCalls: kernelCalls / steps,
    byName: perStep(byName),
    byShape: perStep(byShape),
  };
}

/** The profile as text: the totals, then the `top` slowest kernels by name and by shapes. */
export function formatProfile(title: string, p: StepProfile, top: number): string {
  const rows = (list: KernelTime[]): string[] =>
    list.slice(0, top).map((k) => `    ${k.ms.toFixed(2).padStart(9)} ms ${String(Number(k.calls.toFixed(1))).padStart(5)}×  ${k.kernel}`);
  return [
    `${title}, per step (mean of ${p.steps}): ${p.wallMs.toFixed(1)} ms, ${Math.round(p.kernelCalls)} kernel calls taking ` +
      `${p.kernelMs.toFixed(1)} ms, ${(p.wallMs - p.kernelMs).toFixed(1)} ms outside kernels`,
    '  by kernel:',
    ...rows(p.byName),
    '  by kernel and input shapes:',
    ...rows(p.byShape),
  ].join('\n');
}
