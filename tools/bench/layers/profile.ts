// Per-kernel time of one training step, from tf.profile: where a step's time goes.
import { tf } from '@tensorloom/core';

/** The time of one kernel name with one set of input shapes, summed over a step. */
export interface KernelTime {
  /** `MatMul [64,784] [784,256]`: the kernel and its input shapes. */
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
  /** Sum of every kernel's time, ms; the rest of `wallMs` is JavaScript around the kernels. */
  kernelMs: number;
  /** Kernel invocations in the step. */
  kernelCalls: number;
  /** Per kernel and input shapes, slowest first. */
  kernels: KernelTime[];
}

/** Runs `step` once under `tf.profile` and sums kernel times by kernel name and input shapes. */
export async function profileStep(step: () => Promise<void>): Promise<StepProfile> {
  const start = performance.now();
  const info = await tf.profile(step);
  const wallMs = performance.now() - start;
  const byKey = new Map<string, KernelTime>();
  let kernelMs = 0;
  for (const k of info.kernels) {
    const ms = Number(k.kernelTimeMs);
    kernelMs += ms;
    const shapes = k.inputShapes.map((s) => (s === null ? 'null' : `[${s.join(',')}]`)).join(' ');
    const key = `${k.name} ${shapes}`;
    const entry = byKey.get(key) ?? { kernel: key, calls: 0, ms: 0 };
    entry.calls++;
    entry.ms += ms;
    byKey.set(key, entry);
  }
  const kernels = [...byKey.values()].sort((a, b) => b.ms - a.ms);
  return { wallMs, kernelMs, kernelCalls: info.kernels.length, kernels };
}

/** The profile as text: the totals, then the `top` slowest kernels. */
export function formatProfile(title: string, p: StepProfile, top: number): string {
  const lines = [
    `${title}: step ${p.wallMs.toFixed(1)} ms, ${p.kernelCalls} kernel calls taking ${p.kernelMs.toFixed(1)} ms, ` +
      `${(p.wallMs - p.kernelMs).toFixed(1)} ms outside kernels`,
  ];
  for (const k of p.kernels.slice(0, top)) {
    lines.push(`  ${k.ms.toFixed(2).padStart(9)} ms ${String(k.calls).padStart(5)}×  ${k.kernel}`);
  }
  return lines.join('\n');
}
