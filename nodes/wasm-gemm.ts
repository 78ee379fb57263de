/**
 * The matrix product of a small dense layer, C = A·B (+ a bias row), as a 128-bit SIMD loop on the wasm
 * backend's heap (wasm-asm.ts). A is read through strides (so Xᵀ needs no copy), B and C are row-major.
 *
 * Every output is `bias[j]` (or 0), then + A(i,p)·B(p,j) for p = 0, 1, … in turn, each product and each
 * sum rounded to float32: the SIMD loop's four lanes and its scalar tail compute the same numbers (the
 * test checks both against that sum written in JS, bit for bit), and one seed's slice of a batch is its
 * lone run's product whatever the batch (dense-seeds.ts).
 *
 * Why: a small layer's product (the font AE's 32×35·35×18 and smaller) costs XNNPACK its operator set-up
 * (packing the weight, which is new every step) more than its maths, and seeds batched in one program
 * ran each seed's XNNPACK product apart (plus the copies to and from the stack): ~20–70 µs a product.
 */
import { const32, f32, get, i32, moduleBytes, onHeap, op, set, v128 } from './wasm-asm';
import type { HeapMemory } from './host-kernels';

/**
 * Byte offsets of A, B, C and the bias; whether there is a bias; the sizes (C is M×N, the sum runs over
 * K); A's strides in bytes: from one row of C to the next (`aRow`) and from one term to the next (`aTerm`).
 */
export type GemmSimd = (a: number, b: number, c: number, bias: number, hasBias: number, M: number, K: number, N: number, aRow: number, aTerm: number) => void;

/** The module's bytes, importing `env.memory` as the heap is (shared for the threaded backend). */
export function gemmModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const [A, B, C, BIAS, HAS, M, K, N, AROWSTEP, ATERM] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  // i32 locals: the row, the column's byte offset, the terms left, the pointers into A and B, N and its
  // multiple of 4 in bytes, the current rows of C and A; then rows 1-3 of a block as offsets from row 0
  // in A (r·aRow) and in C (r·N·4).
  const [I, J, P, PA, PB, NB, JV, CROW, AROW] = [10, 11, 12, 13, 14, 15, 16, 17, 18];
  const OA = [0, 19, 20, 21], OC = [0, 22, 23, 24];
  // v128 locals: four rows' sums and B's four values; f32 locals: four rows' sums and B's value.
  const ACC = [25, 26, 27, 28], BV = 29, S = [30, 31, 32, 33], BS = 34;
  const { block, loop, end, br, brIf } = op;
  const eqz = 0x45, and = 0x71, ltu = 0x49;
  const geu = (x: number, y: number) => [...get(x), ...get(y), op.i32geu];
  const addTo = (x: number, y: number) => [...get(x), ...get(y), op.i32add, ...set(x)];
  const at = (base: number, off: number) => (off ? [...get(base), ...get(off), op.i32add] : get(base));
  /** The terms of R rows' outputs (four columns or one): B's value once, then each row's product added. */
  const terms = (R: number, vector: boolean) => [
    ...get(AROW), ...set(PA), ...get(B), ...get(J), op.i32add, ...set(PB), ...get(K), ...set(P),
    ...block, ...loop,
    ...get(P), eqz, brIf, 1,
    ...get(PB), ...(vector ? op.v128load : op.f32load), ...set(vector ? BV : BS),
    ...Array.from({ length: R }, (_, r) => vector
      ? [...get(ACC[r]!), ...at(PA, OA[r]!), ...op.f32load, ...op.splat, ...get(BV), ...op.f32x4mul, ...op.f32x4add, ...set(ACC[r]!)]
      : [...get(S[r]!), ...at(PA, OA[r]!), ...op.f32load, ...get(BS), op.f32mul, op.f32add, ...set(S[r]!)]).flat(),
    ...addTo(PA, ATERM), ...addTo(PB, NB), ...get(P), ...const32(1), op.i32sub, ...set(P),
    br, 0, end, end,
  ];
  /** Rows R at a time while R remain: every column, four at a time, then the last N mod 4 one at a time. */
  const rows = (R: number) => [
    ...block, ...loop,
    ...get(M), ...get(I), op.i32sub, ...const32(R), ltu, brIf, 1,
    ...const32(0), ...set(J),
    ...block, ...loop,
    ...geu(J, JV), brIf, 1,
    ...Array.from({ length: R }, (_, r) => [...get(HAS), 0x04, v128, ...get(BIAS), ...get(J), op.i32add, ...op.v128load, op.else, ...op.v128zero, end, ...set(ACC[r]!)]).flat(),
    ...terms(R, true),
    ...Array.from({ length: R }, (_, r) => [...at(CROW, OC[r]!), ...get(J), op.i32add, ...get(ACC[r]!), ...op.v128store]).flat(),
    ...get(J), ...const32(16), op.i32add, ...set(J),
    br, 0, end, end,
    ...block, ...loop,
    ...geu(J, NB), brIf, 1,
    ...Array.from({ length: R }, (_, r) => [...get(HAS), 0x04, f32, ...get(BIAS), ...get(J), op.i32add, ...op.f32load, op.else, ...op.f32zero, end, ...set(S[r]!)]).flat(),
    ...terms(R, false),
    ...Array.from({ length: R }, (_, r) => [...at(CROW, OC[r]!), ...get(J), op.i32add, ...get(S[r]!), ...op.f32store]).flat(),
    ...get(J), ...const32(4), op.i32add, ...set(J),
    br, 0, end, end,
    ...Array.from({ length: R }, () => [...addTo(AROW, AROWSTEP), ...addTo(CROW, NB)]).flat(), ...get(I), ...const32(R), op.i32add, ...set(I),
    br, 0, end, end,
  ];
  const body = [
    ...get(N), ...const32(2), op.i32shl, ...set(NB),
    ...get(N), ...const32(-4), and, ...const32(2), op.i32shl, ...set(JV),
    ...[1, 2, 3].flatMap((r) => [...get(AROWSTEP), ...const32(r), op.i32mul, ...set(OA[r]!), ...get(NB), ...const32(r), op.i32mul, ...set(OC[r]!)]),
    ...get(A), ...set(AROW), ...get(C), ...set(CROW),
    ...rows(4),
    ...rows(1),
  ];
  return moduleBytes({ name: 'gemm', params: Array(10).fill(i32), locals: [[15, i32], [5, v128], [5, f32]], body }, shared);
}

/** The SIMD product on this heap (a WebAssembly.Memory), or null where WebAssembly SIMD is not there. */
export const gemmSimd: (memory: HeapMemory) => GemmSimd | null = onHeap(gemmModuleBytes, 'gemm');
