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
import { const32, f32, get, i32, moduleBytes, onHeap, op, set, simd, v128 } from './wasm-asm';
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

/** An activation in place over `n` float32 values at a byte offset: 0 sigmoid, 1 tanh, 2 elu. */
export type ActivationSimd = (at: number, n: number, kind: number) => void;

/** The activations the SIMD loop computes, by `ActivationSimd`'s `kind`. */
export const simdActivations = ['sigmoid', 'tanh', 'elu'] as const;

const f32Bytes = (v: number) => [...new Uint8Array(Float32Array.of(v).buffer)];
/** A v128 constant of four equal float32 values. */
const f32x4 = (v: number) => [...simd(0x0c), ...f32Bytes(v), ...f32Bytes(v), ...f32Bytes(v), ...f32Bytes(v)];

/**
 * The module of `ActivationSimd`. eˣ as Cephes' expf computes it, four lanes at a time: x clamped to
 * [-87.3, 88], n = round(x·log₂e), r = x − n·ln2 (in two parts), a degree-7 polynomial in r, times 2ⁿ
 * made from its exponent bits. Then sigmoid = 1 / (1 + e⁻ˣ), tanh = 1 − 2 / (e²ˣ + 1) (x − x³/3 + 2x⁵/15
 * below |x| = 1/16, where the difference loses digits), elu = eˣ − 1 below 0 (its Taylor series above
 * −1/16). Within 2·10⁻⁷ of the exact values (test); NaN stays NaN. A count that is no multiple of 4 ends
 * one value at a time through the same vector code (lane 0), so every value gets the same numbers.
 */
export function activationModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const [AT, N, KIND] = [0, 1, 2];
  const [OFF, END, VEND] = [3, 4, 5];
  // v128 locals: x, eˣ, n, r, the polynomial, and x kept aside (elu, tanh near 0).
  const [X, E, NN, R, P, KEEP] = [6, 7, 8, 9, 10, 11];
  const { block, loop, end, br, brIf } = op;
  const f = (code: number) => simd(code);
  const [sub, min, max, nearest, lt, bitselect] = [f(0xe5), f(0xe8), f(0xe9), f(0x6a), f(0x43), f(0x52)];
  const [truncSat, i32x4add, i32x4shl] = [f(0xf8), f(0xae), f(0xab)];
  const { f32x4add: add, f32x4mul: mul, f32x4div: div } = op;
  /** e^(local X) into local E. */
  const exp = [
    ...get(X), ...f32x4(-87.3), ...max, ...f32x4(88), ...min, ...set(R),
    ...get(R), ...f32x4(1.44269504088896341), ...mul, ...nearest, ...set(NN),
    ...get(R), ...get(NN), ...f32x4(0.693359375), ...mul, ...sub, ...get(NN), ...f32x4(-2.12194440e-4), ...mul, ...sub, ...set(R),
    ...f32x4(1.9875691500e-4), ...get(R), ...mul, ...f32x4(1.3981999507e-3), ...add,
    ...get(R), ...mul, ...f32x4(8.3334519073e-3), ...add,
    ...get(R), ...mul, ...f32x4(4.1665795894e-2), ...add,
    ...get(R), ...mul, ...f32x4(1.6666665459e-1), ...add,
    ...get(R), ...mul, ...f32x4(5.0000001201e-1), ...add, ...set(P),
    ...get(P), ...get(R), ...get(R), ...mul, ...mul, ...get(R), ...add, ...f32x4(1), ...add,
    ...get(NN), ...truncSat, ...const32(127), ...simd(0x11), ...i32x4add, ...const32(23), ...i32x4shl, // (n + 127) << 23: 2ⁿ's bits
    ...mul, ...set(E),
  ];
  /** The activation of local X, left on the stack. */
  const activation = [
    ...get(KIND), 0x45, 0x04, v128, // kind == 0
    // sigmoid: 1 / (1 + e^-x)
    ...get(X), ...f(0xe1), ...set(X), ...exp, ...f32x4(1), ...f32x4(1), ...get(E), ...add, ...div,
    op.else,
    ...get(KIND), ...const32(1), 0x46, 0x04, v128, // kind == 1
    // tanh: 1 - 2 / (e^2x + 1); below |x| = 1/16 (where that loses digits) x − x³/3 + 2x⁵/15.
    ...get(X), ...set(KEEP), ...get(X), ...get(X), ...add, ...set(X), ...exp, ...f32x4(1), ...f32x4(2), ...get(E), ...f32x4(1), ...add, ...div, ...sub,
    ...get(KEEP), ...get(KEEP), ...mul, ...set(R),
    ...f32x4(2 / 15), ...get(R), ...mul, ...f32x4(-1 / 3), ...add, ...get(R), ...mul, ...get(KEEP), ...mul, ...get(KEEP), ...add,
    ...get(KEEP), ...f(0xe0), ...f32x4(0.0625), ...f(0x46), ...bitselect, // |x| ≥ 1/16: the first
    op.else,
    // elu: x above 0; eˣ − 1 below, x + x²/2 + x³/6 + x⁴/24 above −1/16 (where the difference loses digits).
    ...get(X), ...set(KEEP), ...exp, ...get(E), ...f32x4(1), ...sub,
    ...f32x4(1 / 24), ...get(KEEP), ...mul, ...f32x4(1 / 6), ...add, ...get(KEEP), ...mul, ...f32x4(0.5), ...add, ...get(KEEP), ...mul, ...get(KEEP), ...mul, ...get(KEEP), ...add,
    ...get(KEEP), ...f32x4(-0.0625), ...lt, ...bitselect, // x < −1/16: the first
    ...get(KEEP), ...get(KEEP), ...f32x4(0), ...lt, ...bitselect,
    end, end,
  ];
  const body = [
    ...get(AT), ...set(OFF),
    ...get(AT), ...get(N), ...const32(2), op.i32shl, op.i32add, ...set(END),
    ...get(AT), ...get(N), ...const32(-4), 0x71, ...const32(2), op.i32shl, op.i32add, ...set(VEND),
    ...block, ...loop,
    ...get(OFF), ...get(VEND), op.i32geu, brIf, 1,
    ...get(OFF), ...get(OFF), ...op.v128load, ...set(X), ...activation, ...op.v128store,
    ...get(OFF), ...const32(16), op.i32add, ...set(OFF),
    br, 0, end, end,
    ...block, ...loop,
    ...get(OFF), ...get(END), op.i32geu, brIf, 1,
    ...get(OFF), ...get(OFF), ...op.f32load, ...op.splat, ...set(X), ...activation, ...simd(0x1f), 0, ...op.f32store,
    ...get(OFF), ...const32(4), op.i32add, ...set(OFF),
    br, 0, end, end,
  ];
  return moduleBytes({ name: 'act', params: [i32, i32, i32], locals: [[3, i32], [6, v128]], body }, shared);
}

/** The SIMD activations on this heap, or null where WebAssembly SIMD is not there. */
export const activationSimd: (memory: HeapMemory) => ActivationSimd | null = onHeap(activationModuleBytes, 'act');
