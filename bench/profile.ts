import * as tf from '@tensorflow/tfjs';
import type { DataIO } from '../nodes/define';
import { registry } from '../nodes';
import { compile, createRun, type BackendName } from '../src/runtime';
import { readEvery, type Workload } from './measure';

/** One kernel's share of a training step. */
export interface KernelTime { kernel: string; calls: number; msPerStep: number }

export interface WorkloadProfile {
  backend: string; workload: string; steps: number;
  /** Kernels launched per training step (the read-backs of losses included). */
  kernelsPerStep: number;
  /** Every kernel's time summed, per step (kernel time, not wall time: JS overhead between kernels is not in it). */
  kernelMsPerStep: number;
  top: KernelTime[];
}

/** Steps to profile: a tenth of a timing (profiling is slower than training). */
export const profileSteps = (w: Workload, backend: BackendName) => Math.max(2, Math.round((w.steps[backend] ?? 20) / 10));

/** A kernel with its input shapes: `BatchMatMul 1x256x784 1x256x512` tells a weight gradient from a forward. */
const label = (name: string, shapes: (number[] | null)[]) => `${name} ${shapes.map((s) => (s ? s.join('x') || 'scalar' : '-')).join(' ')}`;

/**
 * Runs a workload through the runtime under tfjs's profiler and sums each kernel's time. On wasm and
 * cpu a kernel's time is its synchronous run; on webgl/webgpu it is the GPU timer's (where available).
 */
export async function profileWorkload(w: Workload, backend: BackendName, io: DataIO, steps: number, wasmPath?: string): Promise<WorkloadProfile> {
  const c = compile(w.doc(), registry);
  if (!c.ok) throw new Error(c.problems.map((p) => p.message).join('; '));
  const run = createRun(c.plan, { io, backend, wasmPath, metricsEvery: readEvery });
  const check = tf.env().getBool('CHECK_COMPUTATION_FOR_ERRORS');
  try {
    await run.step(w.warmup);
    // Otherwise the profiler reads every kernel's output back to look for NaNs.
    tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
    const info = await tf.profile(() => run.step(steps).then(() => []));
    const byLabel = new Map<string, { calls: number; ms: number }>();
    let total = 0;
    // Ops with their own gradient (the dense layer) are listed too, around the kernels they run: left out.
    const kernels = info.kernels.filter((k) => tf.getKernel(k.name, tf.getBackend()) !== undefined);
    for (const k of kernels) {
      const key = label(k.name, k.inputShapes);
      const e = byLabel.get(key) ?? { calls: 0, ms: 0 };
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      e.calls++;
      e.ms += ms;
      total += ms;
      byLabel.set(key, e);
    }
    const top = [...byLabel].map(([kernel, e]) => ({ kernel, calls: e.calls / steps, msPerStep: e.ms / steps }))
      .sort((a, b) => b.msPerStep - a.msPerStep).slice(0, 12);
    return { backend, workload: w.name, steps, kernelsPerStep: kernels.length / steps, kernelMsPerStep: total / steps, top };
  } finally {
    tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', check);
    await run.dispose();
  }
}

export function formatProfile(p: WorkloadProfile): string {
  const lines = [`${p.backend} ${p.workload}: ${p.kernelsPerStep.toFixed(1)} kernels/step, ${p.kernelMsPerStep.toFixed(2)} ms of kernels/step (${p.steps} steps profiled)`];
  for (const k of p.top) lines.push(`  ${k.msPerStep.toFixed(3).padStart(9)} ms/step  ${k.calls.toFixed(1).padStart(5)}×  ${k.kernel}`);
  return lines.join('\n');
}
