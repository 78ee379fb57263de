import * as tf from '@tensorflow/tfjs';

export const backendNames = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof backendNames)[number];

export interface BackendChoice {
  backend: BackendName;
  /** Backends tried before it and why each was skipped. */
  skipped: { backend: BackendName; reason: string }[];
}

export interface BackendOptions {
  /** Try only these, in this order (default: webgpu, webgl, wasm, cpu). */
  prefer?: readonly BackendName[];
  /** Where the browser finds the tfjs wasm binaries (served locally, never a CDN). */
  wasmPath?: string;
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof (globalThis as { document?: unknown }).document === 'undefined' && typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined';

let wasmConfigured = false;

async function prepare(name: BackendName, opts: BackendOptions): Promise<string | undefined> {
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  switch (name) {
    case 'webgpu':
      if (!nav?.gpu) return 'WebGPU is not available here (no navigator.gpu)';
      await import('@tensorflow/tfjs-backend-webgpu');
      return undefined;
    case 'webgl':
      if (isNode) return 'WebGL needs a browser';
      if (typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas === 'undefined' && typeof (globalThis as { document?: unknown }).document === 'undefined') return 'no canvas to run WebGL on';
      return undefined;
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      if (!wasmConfigured && opts.wasmPath && !isNode) {
        wasm.setWasmPaths(opts.wasmPath);
        wasmConfigured = true;
      }
      return undefined;
    }
    case 'cpu':
      return undefined;
  }
}

/** Activates the first backend that initialises, saying why the ones before it were skipped. */
export async function selectBackend(opts: BackendOptions = {}): Promise<BackendChoice> {
  const order = opts.prefer ?? backendNames;
  const skipped: BackendChoice['skipped'] = [];
  for (const name of order) {
    if (tf.engine().backendName === name) return { backend: name, skipped };
    try {
      const why = await prepare(name, opts);
      if (why) {
        skipped.push({ backend: name, reason: why });
        continue;
      }
      if (await tf.setBackend(name)) {
        await tf.ready();
        return { backend: name, skipped };
      }
      skipped.push({ backend: name, reason: `${name} did not initialise` });
    } catch (e) {
      skipped.push({ backend: name, reason: `${name} failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  throw new Error(`no tfjs backend could start: ${skipped.map((s) => s.reason).join('; ')}`);
}

/** The next backend to fall back to after `current` failed (e.g. a lost GPU device). */
export function fallbackAfter(current: string): BackendName[] {
  const i = backendNames.indexOf(current as BackendName);
  return backendNames.slice(i + 1);
}
