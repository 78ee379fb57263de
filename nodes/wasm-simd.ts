/**
 * Loops of our own as 128-bit WebAssembly SIMD on the wasm backend's heap (assembled with wasm-asm.ts):
 * a small dense layer's product and activations (dense-op.ts), and binary cross-entropy's logs
 * (loss-reconstruction.ts). Each computes the same numbers in its four lanes and in its tail, so a seed's
 * slice of a seed-stacked batch gets its lone run's numbers, bit for bit.
 */
import { const32, f32, get, i32, moduleBytes, onHeap, op, set, simd, v128 } from './wasm-asm';
import type { HeapMemory } from './host-kernels';

/**
 * Byte offsets of A, B, C and the bias; whether there is a bias; the sizes (C is M×N, the sum runs over
 * K); A's strides in bytes: from one row of C to the next (`aRow`) and from one term to the next (`aTerm`).
 */
export type GemmSimd = (a: number, b: number, c: number, bias: number, hasBias: number, M: number, K: number, N: number, aRow: number, aTerm: number) => void;

/**
 * The matrix product of a small dense layer, C = A·B (+ a bias row). A is read through strides (so Xᵀ
 * needs no copy), B and C are row-major. Every output is `bias[j]` (or 0), then + A(i,p)·B(p,j) for
 * p = 0, 1, … in turn, each product and each sum rounded to float32: the test checks that against the
 * sum written in JS, bit for bit. Rows four at a time (B's values loaded once for four rows of C), the
 * last N mod 4 columns and M mod 4 rows one at a time.
 *
 * Why: a small layer's product (the font AE's 32×35·35×18 and smaller) costs XNNPACK its operator set-up
 * (packing the weight, which is new every step) more than its maths, and seeds batched in one program
 * ran each seed's XNNPACK product apart (plus the copies to and from the stack): ~20–70 µs a product.
 */
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
  /** R rows' columns from J on: four at a time (`vector`) while four remain, else one at a time to N. */
  const columns = (R: number, vector: boolean) => [
    ...block, ...loop,
    ...geu(J, vector ? JV : NB), brIf, 1,
    ...Array.from({ length: R }, (_, r) => [...get(HAS), 0x04, vector ? v128 : f32, ...get(BIAS), ...get(J), op.i32add,
      ...(vector ? op.v128load : op.f32load), op.else, ...(vector ? op.v128zero : op.f32zero), end, ...set(vector ? ACC[r]! : S[r]!)]).flat(),
    ...terms(R, vector),
    ...Array.from({ length: R }, (_, r) => [...at(CROW, OC[r]!), ...get(J), op.i32add, ...get(vector ? ACC[r]! : S[r]!), ...(vector ? op.v128store : op.f32store)]).flat(),
    ...get(J), ...const32(vector ? 16 : 4), op.i32add, ...set(J),
    br, 0, end, end,
  ];
  /** Rows R at a time while R remain: every column, four at a time, then the last N mod 4 one at a time. */
  const rows = (R: number) => [
    ...block, ...loop,
    ...get(M), ...get(I), op.i32sub, ...const32(R), ltu, brIf, 1,
    ...const32(0), ...set(J),
    ...columns(R, true),
    ...columns(R, false),
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

/** The i32 locals an element-wise loop keeps: the count, the byte offset, the end and the end of whole vectors. */
interface Loop { N: number; OFF: number; END: number; VEND: number }

/**
 * A loop over `N` float32 values, four at a time, then the last N mod 4 one at a time through lane 0 of
 * the same code (so every value gets the same numbers): `value(load)` leaves a result on the stack,
 * reading its inputs with `load` (v128.load, or f32.load and a splat) at byte offset OFF; `dest` pushes
 * the address the result goes to.
 */
function elementwise({ N, OFF, END, VEND }: Loop, dest: number[], value: (load: number[]) => number[]): number[] {
  const { block, loop, end, br, brIf } = op;
  return [
    ...get(N), ...const32(2), op.i32shl, ...set(END),
    ...get(N), ...const32(-4), 0x71, ...const32(2), op.i32shl, ...set(VEND),
    ...block, ...loop,
    ...get(OFF), ...get(VEND), op.i32geu, brIf, 1,
    ...dest, ...value(op.v128load), ...op.v128store,
    ...get(OFF), ...const32(16), op.i32add, ...set(OFF),
    br, 0, end, end,
    ...block, ...loop,
    ...get(OFF), ...get(END), op.i32geu, brIf, 1,
    ...dest, ...value([...op.f32load, ...op.splat]), ...simd(0x1f), 0, ...op.f32store,
    ...get(OFF), ...const32(4), op.i32add, ...set(OFF),
    br, 0, end, end,
  ];
}

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
  const { end } = op;
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
  const at = [...get(AT), ...get(OFF), op.i32add];
  const body = elementwise({ N, OFF, END, VEND }, at, (load) => [...at, ...load, ...set(X), ...activation]);
  return moduleBytes({ name: 'act', params: [i32, i32, i32], locals: [[3, i32], [6, v128]], body }, shared);
}

/** The SIMD activations on this heap, or null where WebAssembly SIMD is not there. */
export const activationSimd: (memory: HeapMemory) => ActivationSimd | null = onHeap(activationModuleBytes, 'act');

/**
 * Binary cross-entropy's terms: out[i] = t·log q + (1 − t)·log(1 − q) with q = p clipped to
 * [1e-7, 1 − 1e-7], each operation rounded to float32, for `n` values at byte offsets p, t and out (the
 * loss is minus their sum, taken in JS in order). NaN in p stays NaN.
 */
export type BceSimd = (p: number, t: number, out: number, n: number) => void;

const i32x4 = (v: number) => [...simd(0x0c), ...[v, v, v, v].flatMap((x) => [...new Uint8Array(Int32Array.of(x).buffer)])];

/**
 * The module of `BceSimd`. log x as Cephes' logf computes it, four lanes at a time: x = m·2ᵉ from its
 * bits (m in [√½, √2) − 1), a degree-9 polynomial in m, plus e·ln2 in two parts. Within 1e-7 relative of
 * the exact log over the clipped range (test).
 */
export function bceModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const [PP, TT, OUT, N] = [0, 1, 2, 3];
  const [OFF, END, VEND] = [4, 5, 6];
  // v128 locals: log's argument, its mantissa, exponent, m², sum and result; q, t, and t·log q.
  const [X, M, E, Z, Y, Q, T, L, W] = [7, 8, 9, 10, 11, 12, 13, 14, 15];
  const { f32x4add: add, f32x4mul: mul } = op;
  const f = (code: number) => simd(code);
  const [sub, min, max, lt, eq, bitselect, and, or] = [f(0xe5), f(0xe8), f(0xe9), f(0x43), f(0x41), f(0x52), f(0x4e), f(0x50)];
  const [shrU, iSub, iAdd, convert] = [f(0xad), f(0xb1), f(0xae), f(0xfa)];
  /** log(local X) into local L. */
  const log = [
    ...get(X), ...const32(23), ...shrU, ...i32x4(126), ...iSub, ...set(E),
    ...get(X), ...i32x4(0x807fffff | 0), ...and, ...i32x4(0x3f000000), ...or, ...set(M),
    // m < √½: e − 1 and m + m − 1, else m − 1 (the mask is −1 where true).
    ...get(M), ...f32x4(0.707106781186547524), ...lt, ...set(Z),
    ...get(E), ...get(Z), ...iAdd, ...set(E),
    ...get(M), ...get(M), ...get(Z), ...and, ...add, ...f32x4(1), ...sub, ...set(M),
    ...get(E), ...convert, ...set(E),
    ...get(M), ...get(M), ...mul, ...set(Z),
    ...f32x4(7.0376836292e-2), ...get(M), ...mul, ...f32x4(-1.1514610310e-1), ...add,
    ...get(M), ...mul, ...f32x4(1.1676998740e-1), ...add,
    ...get(M), ...mul, ...f32x4(-1.2420140846e-1), ...add,
    ...get(M), ...mul, ...f32x4(1.4249322787e-1), ...add,
    ...get(M), ...mul, ...f32x4(-1.6668057665e-1), ...add,
    ...get(M), ...mul, ...f32x4(2.0000714765e-1), ...add,
    ...get(M), ...mul, ...f32x4(-2.4999993993e-1), ...add,
    ...get(M), ...mul, ...f32x4(3.3333331174e-1), ...add,
    ...get(M), ...mul, ...get(Z), ...mul, ...set(Y),
    ...get(Y), ...get(E), ...f32x4(-2.12194440e-4), ...mul, ...add, ...set(Y),
    ...get(Y), ...get(Z), ...f32x4(-0.5), ...mul, ...add, ...set(Y),
    ...get(M), ...get(Y), ...add, ...get(E), ...f32x4(0.693359375), ...mul, ...add,
    // NaN in, NaN out.
    ...get(X), ...get(X), ...get(X), ...eq, ...bitselect, ...set(L),
  ];
  /** The term of the values at OFF (P's and T's offsets alike), left on the stack. */
  const term = (load: number[]) => [
    ...get(PP), ...get(OFF), op.i32add, ...load, ...f32x4(1e-7), ...max, ...f32x4(1 - 1e-7), ...min, ...set(Q),
    ...get(TT), ...get(OFF), op.i32add, ...load, ...set(T),
    ...get(Q), ...set(X), ...log, ...get(T), ...get(L), ...mul, ...set(W),
    ...f32x4(1), ...get(Q), ...sub, ...set(X), ...log, ...f32x4(1), ...get(T), ...sub, ...get(L), ...mul,
    ...get(W), ...add, // t·log q + (1 − t)·log(1 − q), as the JS loop adds them
  ];
  const body = elementwise({ N, OFF, END, VEND }, [...get(OUT), ...get(OFF), op.i32add], term);
  return moduleBytes({ name: 'bce', params: [i32, i32, i32, i32], locals: [[3, i32], [9, v128]], body }, shared);
}

/** The SIMD terms on this heap, or null where WebAssembly SIMD is not there. */
export const bceSimd: (memory: HeapMemory) => BceSimd | null = onHeap(bceModuleBytes, 'bce');

/** BCE's gradient with respect to p: out[i] = scale · ((1 − t)/(1 − q) − t/q) where p is inside the clip, else 0. */
export type BceGradSimd = (p: number, t: number, out: number, n: number, scale: number) => void;

/** The module of `BceGradSimd` (float32 operations, four lanes at a time, the tail through lane 0). */
export function bceGradModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const [PP, TT, OUT, N, SCALE] = [0, 1, 2, 3, 4];
  const [OFF, END, VEND] = [5, 6, 7];
  const [X, Q, T] = [8, 9, 10];
  const { f32x4mul: mul, f32x4div: div } = op;
  const f = (code: number) => simd(code);
  const [sub, min, max, ge, le, bitselect, and] = [f(0xe5), f(0xe8), f(0xe9), f(0x46), f(0x45), f(0x52), f(0x4e)];
  const lo = f32x4(1e-7), hi = f32x4(1 - 1e-7), one = f32x4(1);
  const grad = (load: number[]) => [
    ...get(PP), ...get(OFF), op.i32add, ...load, ...set(X),
    ...get(X), ...lo, ...max, ...hi, ...min, ...set(Q),
    ...get(TT), ...get(OFF), op.i32add, ...load, ...set(T),
    ...one, ...get(T), ...sub, ...one, ...get(Q), ...sub, ...div, ...get(T), ...get(Q), ...div, ...sub, ...get(SCALE), ...op.splat, ...mul,
    ...f32x4(0),
    ...get(X), ...lo, ...ge, ...get(X), ...hi, ...le, ...and, ...bitselect,
  ];
  const body = elementwise({ N, OFF, END, VEND }, [...get(OUT), ...get(OFF), op.i32add], grad);
  return moduleBytes({ name: 'grad', params: [i32, i32, i32, i32, f32], locals: [[3, i32], [3, v128]], body }, shared);
}

/** The SIMD gradient on this heap, or null where WebAssembly SIMD is not there. */
export const bceGradSimd: (memory: HeapMemory) => BceGradSimd | null = onHeap(bceGradModuleBytes, 'grad');
