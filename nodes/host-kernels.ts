import type * as tf from '@tensorflow/tfjs';
import { tfjs, withTfjs } from './tfjs';

/**
 * Kernels of our own on the backends whose tensors live in this thread's memory (wasm: the module's
 * heap; cpu: typed arrays). A small net's step is bound by how many kernels it launches (each costs the
 * engine's bookkeeping, a few µs, whatever its size), so a chain of element-wise ops that tfjs runs as
 * ten kernels runs here as one loop over the values. Each loop rounds every operation to float32
 * (Math.fround) as the backends' own kernels do, so the numbers stay the same.
 */
export const hostBackends = ['wasm', 'cpu'] as const;

/** The memory of the active host backend: views of tensors and new outputs. */
export interface HostMemory {
  /** The backend these kernels run on. */
  backend: (typeof hostBackends)[number];
  /** A float32 view of a tensor's values (wasm: invalid after the next allocation; take views last). */
  view(t: tf.TensorInfo): Float32Array;
  /** A new float32 output of this shape. */
  alloc(shape: readonly number[]): tf.TensorInfo;
  /** Runs one of the backend's own kernels directly (no engine dispatch); its output is ours to free. */
  run(kernel: string, inputs: Record<string, tf.TensorInfo>, attrs?: Record<string, unknown>): tf.TensorInfo;
  /** Frees an intermediate made by `alloc` or `run`. */
  free(t: tf.TensorInfo): void;
  /** wasm: the module's memory and a tensor's byte offset in it (for code of our own that runs on the heap); null elsewhere. */
  heap: { memory: HeapMemory; offset(t: tf.TensorInfo): number } | null;
}

/** A WebAssembly.Memory, as far as used here (TypeScript declares WebAssembly in the DOM lib only; Node and browsers both have it). */
export interface HeapMemory { readonly buffer: ArrayBuffer | SharedArrayBuffer }

interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo; typedArrayFromHeap(t: tf.TensorInfo): Float32Array; disposeData(id: tf.DataId): boolean;
  dataIdMap: { get(id: tf.DataId): { memoryOffset: number } };
  /** Emscripten's module: the threaded build keeps its (shared) memory as `wasmMemory`, the others export it as `asm.memory`. */
  wasm: { wasmMemory?: HeapMemory; asm?: { memory?: HeapMemory } };
}
interface CpuBackend { makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo; data: { get(id: tf.DataId): { values: unknown } }; disposeData(id: tf.DataId): boolean }

function memory(backendName: string, backend: unknown): HostMemory {
  const run = (kernel: string, inputs: Record<string, tf.TensorInfo>, attrs: Record<string, unknown> = {}) =>
    tfjs.getKernel(kernel, backendName)!.kernelFunc({ inputs, attrs: attrs as tf.NamedAttrMap, backend: backend as tf.KernelBackend }) as tf.TensorInfo;
  if (backendName === 'wasm') {
    const b = backend as WasmBackend;
    const heapMemory = b.wasm.wasmMemory ?? b.wasm.asm?.memory;
    const heap = heapMemory?.buffer ? { memory: heapMemory, offset: (t: tf.TensorInfo) => b.dataIdMap.get(t.dataId).memoryOffset } : null;
    return { backend: 'wasm', view: (t) => b.typedArrayFromHeap(t), alloc: (shape) => b.makeOutput([...shape], 'float32'), run, free: (t) => void b.disposeData(t.dataId), heap };
  }
  const b = backend as CpuBackend;
  return {
    backend: 'cpu',
    view: (t) => {
      const v = b.data.get(t.dataId).values;
      if (!(v instanceof Float32Array)) throw new Error('a host kernel was given a tensor that is not float32');
      return v;
    },
    alloc: (shape) => b.makeTensorInfo([...shape], 'float32', new Float32Array(shape.reduce((a, d) => a * d, 1))),
    run,
    free: (t) => void b.disposeData(t.dataId),
    heap: null,
  };
}

export type HostKernel = (inputs: tf.NamedTensorInfoMap, attrs: Record<string, unknown>, mem: HostMemory) => tf.TensorInfo | tf.TensorInfo[];

/** One `HostMemory` per backend instance (made on its first kernel). */
const memories = new WeakMap<object, HostMemory>();

/** Registers a kernel on wasm and cpu (once, however often the module is loaded; once the runtime bound tfjs). */
export function registerHostKernel(kernelName: string, impl: HostKernel): void {
  withTfjs(() => registerNow(kernelName, impl));
}

function registerNow(kernelName: string, impl: HostKernel): void {
  for (const backendName of hostBackends) {
    if (tfjs.getKernel(kernelName, backendName)) continue;
    tfjs.registerKernel({
      kernelName, backendName,
      kernelFunc: ({ inputs, attrs, backend }) => {
        let mem = memories.get(backend);
        if (!mem) memories.set(backend, (mem = memory(backendName, backend)));
        return impl(inputs, attrs as Record<string, unknown>, mem);
      },
    });
  }
}

/** The active backend's host memory (null off wasm and cpu). */
export function hostMemory(): HostMemory | null {
  if (!onHost()) return null;
  const name = tfjs.getBackend(), backend = tfjs.backend();
  let mem = memories.get(backend);
  if (!mem) memories.set(backend, (mem = memory(name, backend)));
  return mem;
}

/** Whether the active backend runs host kernels. */
export function onHost(): boolean {
  return (hostBackends as readonly string[]).includes(tfjs.getBackend());
}

/** tfjs's engine entry for an op with forward and backward functions (what `tf.customGrad` builds on), typed here. */
export interface EngineWithKernelFunc {
  runKernelFunc(params: {
    inputs: Record<string, tf.Tensor>;
    forwardFunc: (backend: unknown, save: (tensors: tf.Tensor[]) => void) => tf.Tensor;
    backwardsFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => Record<string, () => tf.Tensor>;
  }): tf.Tensor2D;
}

/** Runs an op with a gradient of its own (what `tf.customGrad` builds on): one engine dispatch, saved tensors freed by the engine. */
export function customOp(params: Parameters<EngineWithKernelFunc['runKernelFunc']>[0]): tf.Tensor {
  return (tfjs.engine() as unknown as EngineWithKernelFunc).runKernelFunc(params);
}
