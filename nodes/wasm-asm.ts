/**
 * A few hundred bytes of WebAssembly, assembled here and run on the wasm backend's own heap: the
 * encoding helpers the SIMD loops (Adam in src/runtime/wasm-adam.ts, the small matrix products in
 * wasm-simd.ts) are written with, and their instantiation on a heap (plain, or shared for the threaded
 * build), once per heap. A function that reads and writes tensors where tfjs keeps them: no copies.
 */
import type { HeapMemory } from './host-kernels';

/** An unsigned LEB128 number (lengths, indices, alignments). */
export const u32 = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};

/** A signed LEB128 number (`i32.const`'s operand). */
export const s32 = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
};

export const vec = (items: number[][]): number[] => [...u32(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...u32(body.length), ...body];
const name = (s: string): number[] => [...u32(s.length), ...[...s].map((c) => c.charCodeAt(0))];

export const i32 = 0x7f, f32 = 0x7d, v128 = 0x7b;
// Instructions (SIMD ones behind the 0xfd prefix, their numbers LEB128-encoded).
export const get = (i: number): number[] => [0x20, ...u32(i)];
export const set = (i: number): number[] => [0x21, ...u32(i)];
export const tee = (i: number): number[] => [0x22, ...u32(i)];
export const const32 = (n: number): number[] => [0x41, ...s32(n)];
export const simd = (op: number): number[] => [0xfd, ...u32(op)];
export const op = {
  i32add: 0x6a, i32sub: 0x6b, i32mul: 0x6c, i32shl: 0x74, i32geu: 0x4f, i32gtu: 0x4b,
  f32add: 0x92, f32mul: 0x94,
  block: [0x02, 0x40], loop: [0x03, 0x40], end: 0x0b, br: 0x0c, brIf: 0x0d,
  ifVoid: [0x04, 0x40], else: 0x05,
  f32load: [0x2a, 2, 0], f32store: [0x38, 2, 0], // align=4 offset=0
  v128load: [...simd(0x00), 4, 0], v128store: [...simd(0x0b), 4, 0], // align=16 offset=0
  v128zero: [...simd(0x0c), ...Array(16).fill(0)],
  splat: simd(0x13), f32x4add: simd(0xe4), f32x4mul: simd(0xe6), f32x4div: simd(0xe7), f32x4sqrt: simd(0xe3),
  f32zero: [0x43, 0, 0, 0, 0],
};

/** One exported function's module: its params and locals (value types), its body, importing `env.memory`. */
export function moduleBytes(fn: { name: string; params: number[]; locals: [count: number, type: number][]; body: number[] }, shared: boolean): Uint8Array<ArrayBuffer> {
  const type = [0x60, ...vec(fn.params.map((t) => [t])), 0];
  const code = [...vec(fn.locals.map(([n, t]) => [...u32(n), t])), ...fn.body, op.end];
  const limits = shared ? [0x03, ...u32(1), ...u32(65536)] : [0x00, ...u32(1)];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec([type])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, ...limits]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name(fn.name), 0x00, 0]])),
    ...section(10, vec([[...u32(code.length), ...code]])),
  ]);
}

/** WebAssembly's API as used here (TypeScript declares it in the DOM lib only; Node and browsers both have it). */
interface WasmApi {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/**
 * A cache of one function per heap: `instantiate(memory)` compiles the module for that heap on first
 * use (synchronously: a few hundred bytes, under the browsers' 4 KB limit for synchronous compiles on
 * the main thread), or gives null where WebAssembly SIMD is not there (the callers then run their loops
 * in JS).
 */
export function onHeap<F>(build: (shared: boolean) => Uint8Array<ArrayBuffer>, exportName: string): (memory: HeapMemory) => F | null {
  const instances = new WeakMap<HeapMemory, F | null>();
  return (memory) => {
    if (instances.has(memory)) return instances.get(memory)!;
    let fn: F | null = null;
    try {
      const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const instance = new wasm.Instance(new wasm.Module(build(shared)), { env: { memory } });
      fn = instance.exports[exportName] as F;
    } catch {
      fn = null;
    }
    instances.set(memory, fn);
    return fn;
  };
}
