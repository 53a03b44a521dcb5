// Per-kernel time of one training step, from tf.profile: where a step's time goes.
import { tf } from '@tensorloom/core';

/** The time of one kernel (or one kernel with one set of input shapes), summed over a step. */
export interface KernelTime {
  /** `BatchMatMul` or `BatchMatMul [64,128] [128,128]`. */
  kernel: string;
  /** How many times it ran in the step. */
  calls: number;
  /** Summed kernel time, ms. */
  ms: number;
}

/** What {@link profileStep} measured. */
export interface StepProfile {
  /** Wall-clock time of the profiled step, ms (profiling adds a little). */
  wallMs: number;
  /** Sum of every backend kernel's time, ms; the rest of `wallMs` is JavaScript around the kernels. */
  kernelMs: number;
  /** Backend kernel invocations in the step. */
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
 * Runs `step` once under `tf.profile` and sums kernel times by kernel name and by kernel
 * name and input shapes. tf.profile also lists the ops that are not backend kernels
 * (`tf.customGrad` functions, tfjs ops built from others such as `fusedMatMul__op`) with
 * the time of the kernels they ran inside; those are left out, so nothing counts twice.
 */
export async function profileStep(step: () => Promise<void>): Promise<StepProfile> {
  const backend = tf.getBackend();
  const start = performance.now();
  const info = await tf.profile(step);
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
  const slowestFirst = (m: Map<string, KernelTime>): KernelTime[] => [...m.values()].sort((a, b) => b.ms - a.ms);
  return { wallMs, kernelMs, kernelCalls, byName: slowestFirst(byName), byShape: slowestFirst(byShape) };
}

/** The profile as text: the totals, then the `top` slowest kernels by name and by shapes. */
export function formatProfile(title: string, p: StepProfile, top: number): string {
  const rows = (list: KernelTime[]): string[] =>
    list.slice(0, top).map((k) => `    ${k.ms.toFixed(2).padStart(9)} ms ${String(k.calls).padStart(5)}×  ${k.kernel}`);
  return [
    `${title}: step ${p.wallMs.toFixed(1)} ms, ${p.kernelCalls} kernel calls taking ${p.kernelMs.toFixed(1)} ms, ` +
      `${(p.wallMs - p.kernelMs).toFixed(1)} ms outside kernels`,
    '  by kernel:',
    ...rows(p.byName),
    '  by kernel and input shapes:',
    ...rows(p.byShape),
  ].join('\n');
}
