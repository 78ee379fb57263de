/**
 * When a GPU backend fails mid-run (a lost device, a lost context) the run rebuilds itself on the next
 * backend from the last good weights in JS memory (nan-guard.ts) and says so. This file watches the
 * WebGPU device and chooses where to go; run.ts frees and rebuilds.
 */
import * as tf from '@tensorflow/tfjs';
import { fallbackAfter, selectBackend, type BackendChoice, type BackendName } from './backend';
import type { RunOptions } from './types';

/** Rejects when the WebGPU device is lost, so a read-back never waits on a dead device. */
export class DeviceWatch {
  lost: Promise<never> | null = null;
  reason: string | null = null;

  watch(backend: string | null): void {
    this.lost = null;
    this.reason = null;
    const device = backend === 'webgpu' ? (tf.backend() as unknown as { device?: { lost?: Promise<{ message?: string }> } }).device : undefined;
    if (!device?.lost) return;
    const lost = device.lost.then((info) => {
      this.reason = `the GPU device was lost${info?.message ? `: ${info.message}` : ''}`;
      throw new Error(this.reason);
    });
    lost.catch(() => undefined);
    this.lost = lost;
  }
}

/**
 * The backend a run starts on: the one asked for, or the first that works in the default order.
 * `threads`: wasm threads for this workload (`wasmThreadsFor`; undefined: every core).
 */
export function firstBackend(options: Pick<RunOptions, 'backend' | 'wasmPath'>, threads?: number): Promise<BackendChoice> {
  const prefer = typeof options.backend === 'string' ? [options.backend] : options.backend;
  return selectBackend({ prefer, wasmPath: options.wasmPath, threads });
}

/**
 * The backend after `from` failed: the next one in the order asked for (or the default order), or null
 * where there is none (only GPU backends fall back).
 */
export async function nextBackend(from: string | null, options: Pick<RunOptions, 'backend' | 'wasmPath'>, threads?: number): Promise<BackendChoice | null> {
  if (from !== 'webgpu' && from !== 'webgl') return null;
  const asked = typeof options.backend === 'string' ? null : options.backend;
  const next: BackendName[] = asked ? asked.slice(asked.indexOf(from) + 1) : fallbackAfter(from);
  if (next.length === 0) return null;
  return selectBackend({ prefer: next, wasmPath: options.wasmPath, allowSoftwareGpu: asked !== null, threads });
}
