/**
 * Adam's update as a 128-bit SIMD loop over the wasm backend's own memory: a few hundred bytes of
 * WebAssembly, assembled here, instantiated on the heap the tensors live in, so it reads each weight,
 * gradient and moment where tfjs keeps it and writes the new values into outputs tfjs allocated. No
 * copies, four values an instruction, and each operation rounded to float32 as tfjs's own kernels
 * round it (IEEE single precision, no fused multiply-add in WebAssembly): the same numbers as
 * `tf.train.adam`'s fourteen kernels a weight and as the scalar loop (flat-adam.ts), which does the
 * cpu backend and the last values (fewer than four) of each weight.
 *
 * Why: on a big net (the MNIST VAE, 1.07 M weights) tfjs's Adam is ~170 single-threaded element-wise
 * kernels a step and the scalar loop is slower still (sqrt and two divisions a value in JS).
 */

import type { HeapMemory } from '../../nodes/host-kernels';
import { f32, get, i32, moduleBytes, onHeap, op, set, v128 } from '../../nodes/wasm-asm';

/** Byte offsets into the heap, the count of values (a multiple of 4), then the step's constants. */
export type AdamSimd = (w: number, g: number, m: number, v: number, w2: number, m2: number, v2: number, n: number,
  b1: number, b2: number, c1: number, c2: number, eps: number, negLr: number, d1: number, d2: number) => void;

const { v128load: load, v128store: store, splat, f32x4add: add, f32x4mul: mul, f32x4div: div, f32x4sqrt: sqrt } = op;

/** The module's bytes, importing `env.memory` as the heap is (shared for the threaded backend). */
export function adamModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  // Params 0-7: w, g, m, v, w2, m2, v2 (byte offsets), n; 8-15: b1, b2, c1, c2, eps, -lr, d1, d2.
  // Locals 16-23: the constants splatted; 24, 25: the new moments; 26: the byte offset; 27: the end.
  const [W, G, M, V, W2, M2, V2, N] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [B1, B2, C1, C2, EPS, NLR, D1, D2] = [16, 17, 18, 19, 20, 21, 22, 23];
  const [MJ, VJ, OFF, END] = [24, 25, 26, 27];
  const at = (base: number) => [...get(base), ...get(OFF), 0x6a]; // base + offset
  const body = [
    ...[0, 1, 2, 3, 4, 5, 6, 7].flatMap((k) => [...get(8 + k), ...splat, ...set(16 + k)]),
    ...get(N), 0x41, 2, 0x74, ...set(END), // end = n << 2
    0x02, 0x40, 0x03, 0x40, // block, loop
    ...get(OFF), ...get(END), 0x4f, 0x0d, 1, // if offset >= end: break
    // m' = m·β₁ + g·(1 − β₁)
    ...at(M), ...load, ...get(B1), ...mul, ...at(G), ...load, ...get(C1), ...mul, ...add, ...set(MJ),
    // v' = v·β₂ + g²·(1 − β₂)
    ...at(V), ...load, ...get(B2), ...mul, ...at(G), ...load, ...at(G), ...load, ...mul, ...get(C2), ...mul, ...add, ...set(VJ),
    ...at(M2), ...get(MJ), ...store,
    ...at(V2), ...get(VJ), ...store,
    // w' = (m'/(1 − β₁ᵗ)) / (√(v'/(1 − β₂ᵗ)) + ε) · (−lr) + w
    ...at(W2),
    ...get(MJ), ...get(D1), ...div, ...get(VJ), ...get(D2), ...div, ...sqrt, ...get(EPS), ...add, ...div, ...get(NLR), ...mul,
    ...at(W), ...load, ...add, ...store,
    ...get(OFF), 0x41, 16, 0x6a, ...set(OFF), // offset += 16
    0x0c, 0, // continue
    0x0b, 0x0b, // end loop, end block
  ];
  return moduleBytes({ name: 'adam', params: [...Array(8).fill(i32), ...Array(8).fill(f32)], locals: [[10, v128], [2, i32]], body }, shared);
}

/** The SIMD update on this heap (a WebAssembly.Memory), or null where WebAssembly SIMD is not there (then the scalar loop runs). */
export const adamSimd: (memory: HeapMemory) => AdamSimd | null = onHeap(adamModuleBytes, 'adam');
