import * as tf from '@tensorflow/tfjs';

import './tfjs-bind';
import { backendNames, type BackendName } from './backend-names';
import { errorMessage } from '../lib/error-message';

export { backendNames, type BackendName };

export interface BackendChoice {
  backend: BackendName;
  /** Backends tried before it and why each was skipped. */
  skipped: { backend: BackendName; reason: string }[];
  /** Threads it computes with (see `backendThreads`). */
  threads: number | null;
}

export interface BackendOptions {
  /** Try only these, in this order (default: webgpu, webgl, wasm, cpu). */
  prefer?: readonly BackendName[];
  /** Where the browser finds the tfjs wasm binaries (served locally, never a CDN). */
  wasmPath?: string;
  /**
   * Use a GPU backend even when it runs on a software renderer (SwiftShader). Off when choosing
   * automatically: software WebGPU/WebGL are 10-50x slower than wasm. On when asked for by name.
   */
  allowSoftwareGpu?: boolean;
  /** wasm: compute with at most this many threads (default: every core). Read when wasm first starts. */
  threads?: number;
}

/**
 * Multiply-adds a training step (weights × batch) below which wasm computes on one thread. A small
 * net's kernels are a few µs each and every one waits for the whole thread pool: on this 2-core
 * machine under load the font AE (51 k a step) ran 420 steps/s on one thread and 27 on two in
 * Chromium, while the MNIST VAE (274 M a step) ran 3.7 steps/s on two and 2.9 on one.
 */
export const oneWasmThreadBelow = 1 << 22;

/** The wasm threads a step of this many multiply-adds computes best with (undefined: every core). */
export function wasmThreadsFor(multiplyAdds: number): number | undefined {
  return multiplyAdds < oneWasmThreadBelow ? 1 : undefined;
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof (globalThis as { document?: unknown }).document === 'undefined' && typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined';

let wasmConfigured = false;
let wasmModule: typeof import('@tensorflow/tfjs-backend-wasm') | null = null;

type Nav = { hardwareConcurrency?: number };
/** The cores this machine offers a page or Worker. */
const cores = () => Math.max(1, (globalThis as { navigator?: Nav }).navigator?.hardwareConcurrency ?? 1);

/**
 * Runs `f` (the wasm backend's initialisation) with every core available to it. tfjs-backend-wasm 4.22
 * caps its thread pool at half of `navigator.hardwareConcurrency` (read once, as its module starts),
 * whatever `setThreadsCount` asks; the count is doubled for that moment only, then the real one shows again.
 */
async function withEveryCore<T>(f: () => Promise<T>): Promise<T> {
  const nav = (globalThis as { navigator?: Nav }).navigator;
  const n = nav?.hardwareConcurrency;
  let shadowed = false;
  if (nav && n && !isNode) {
    try {
      Object.defineProperty(nav, 'hardwareConcurrency', { value: 2 * n, configurable: true });
      shadowed = true;
    } catch {
      // A navigator that refuses: the backend keeps half the cores.
    }
  }
  try {
    return await f();
  } finally {
    if (shadowed) delete (nav as Nav).hardwareConcurrency;
  }
}

/**
 * Threads the active backend computes with: wasm's thread pool (one thread per core in a
 * cross-origin-isolated page or its Workers; one thread without isolation, and always in Node, where
 * tfjs 4.22 does not run wasm threads); 1 for cpu; null for the GPU backends.
 */
export function backendThreads(): number | null {
  switch (tf.getBackend()) {
    case 'wasm': return wasmModule ? wasmModule.getThreadsCount() : null;
    case 'cpu': return 1;
    default: return null;
  }
}

async function prepare(name: BackendName, opts: BackendOptions): Promise<string | undefined> {
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  switch (name) {
    case 'webgpu': {
      const gpu = nav?.gpu as { requestAdapter(): Promise<{ isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean; description?: string } } | null> } | undefined;
      if (!gpu) return 'WebGPU is not available here (no navigator.gpu)';
      if (!opts.allowSoftwareGpu) {
        const adapter = await gpu.requestAdapter();
        if (!adapter) return 'WebGPU found no adapter';
        if (adapter.isFallbackAdapter || adapter.info?.isFallbackAdapter) return 'WebGPU runs on a software adapter here: slower than wasm';
      }
      await import('@tensorflow/tfjs-backend-webgpu');
      return undefined;
    }
    case 'webgl': {
      if (isNode) return 'WebGL needs a browser';
      const G = globalThis as { OffscreenCanvas?: new (w: number, h: number) => { getContext(t: string): unknown } };
      if (!G.OffscreenCanvas && typeof (globalThis as { document?: unknown }).document === 'undefined') return 'no canvas to run WebGL on';
      if (!opts.allowSoftwareGpu && G.OffscreenCanvas) {
        const gl = new G.OffscreenCanvas(1, 1).getContext('webgl2') as { getExtension(n: string): { UNMASKED_RENDERER_WEBGL: number } | null; getParameter(p: number): unknown } | null;
        if (!gl) return 'WebGL 2 is not available here';
        const info = gl.getExtension('WEBGL_debug_renderer_info');
        const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : '');
        const software = /swiftshader|llvmpipe|software/i.exec(renderer)?.[0];
        if (software) return `WebGL runs on a software renderer here (${software}): slower than wasm`;
      }
      return undefined;
    }
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // Read when the backend initialises (the first time only): every core, not the default half.
      if (!wasmModule) wasm.setThreadsCount(Math.max(1, Math.min(cores(), opts.threads ?? cores())));
      wasmModule = wasm;
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

/**
 * In Node, tfjs-backend-wasm's Emscripten glue adds process listeners that rethrow any unhandled
 * rejection or exception (exit 7 with a 39 KB dump of its own source): the program's own handlers
 * decide instead, so the listeners a backend adds while it starts are taken off again.
 */
async function keepProcessHandlers<T>(start: () => Promise<T>): Promise<T> {
  if (!isNode) return start();
  const proc = process as unknown as { listeners(event: string): unknown[]; removeListener(event: string, listener: unknown): void };
  const events = ['unhandledRejection', 'uncaughtException'];
  const before = events.map((e) => new Set(proc.listeners(e)));
  try {
    return await start();
  } finally {
    events.forEach((e, i) => { for (const l of proc.listeners(e)) if (!before[i]!.has(l)) proc.removeListener(e, l); });
  }
}

/** Activates the first backend that initialises, saying why the ones before it were skipped. */
export async function selectBackend(opts: BackendOptions = {}): Promise<BackendChoice> {
  const order = opts.prefer ?? backendNames;
  // Named explicitly (one backend, or a list): the user gets what they asked for, software or not.
  opts = { ...opts, allowSoftwareGpu: opts.allowSoftwareGpu ?? opts.prefer !== undefined };
  const skipped: BackendChoice['skipped'] = [];
  for (const name of order) {
    if (tf.engine().backendName === name) return { backend: name, skipped, threads: backendThreads() };
    try {
      const why = await prepare(name, opts);
      if (why) {
        skipped.push({ backend: name, reason: why });
        continue;
      }
      const started = await keepProcessHandlers(async () => {
        if (!(await (name === 'wasm' ? withEveryCore(() => tf.setBackend(name)) : tf.setBackend(name)))) return false;
        await tf.ready();
        return true;
      });
      if (started) return { backend: name, skipped, threads: backendThreads() };
      skipped.push({ backend: name, reason: `${name} did not initialise` });
    } catch (e) {
      skipped.push({ backend: name, reason: `${name} failed: ${errorMessage(e)}` });
    }
  }
  throw new Error(`no tfjs backend could start: ${skipped.map((s) => s.reason).join('; ')}`);
}

/** The next backend to fall back to after `current` failed (e.g. a lost GPU device). */
export function fallbackAfter(current: string): BackendName[] {
  const i = backendNames.indexOf(current as BackendName);
  return backendNames.slice(i + 1);
}
