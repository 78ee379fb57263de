import type * as tf from '@tensorflow/tfjs';
import { tfjs } from './tfjs';
import { leakyReluAlpha, type ActivationName } from './activations';
import { hostMemory, onHost, registerHostKernel, type EngineWithKernelFunc, type HostMemory } from './host-kernels';
import { activationSimd, gemmSimd, simdActivations, type GemmSimd } from './wasm-simd';

export type { EngineWithKernelFunc };

/**
 * One dense layer, `activation(x · W + b)`, as a single op with a gradient of its own.
 *
 * Why: tfjs's gradient of `matMul` multiplies by transposed operands through the transposeA/B flags,
 * and the wasm backend runs those flags on a slow path, 10–25× slower than a plain matMul of the same
 * size (256×784 · 784×512: 5 ms forward, 133 ms for the weight gradient). Here the backward pass
 * transposes explicitly on wasm when the product is big enough for that to pay (dW = xᵀ·dz and
 * dx = dz·Wᵀ as plain matMuls), and keeps the flags elsewhere (webgl/webgpu transpose for free in the
 * shader, the cpu backend is faster with them). The forward pass is one fused matMul + bias +
 * activation kernel where the backend has it. The input's gradient is only computed when something
 * upstream needs it (never for a dataset feeding the first layer).
 */
export function dense(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D, activation: string): tf.Tensor2D {
  const act = activation as ActivationName;
  const fused = fusedName[act];
  if (fused === undefined) throw new Error(`unknown activation ${activation}`);
  const [m, k] = x.shape;
  const n = kernel.shape[1];
  const engine = tfjs.engine() as unknown as EngineWithKernelFunc;
  if (onHost()) return hostDense(engine, x, kernel, bias, act);
  return engine.runKernelFunc({
    inputs: { x, kernel, bias },
    forwardFunc: (_backend, save) => {
      const a = tfjs.reshape(x, [1, m, k]);
      const b = tfjs.reshape(kernel, [1, k, n]);
      const attrs = { transposeA: false, transposeB: false, activation: fused, leakyreluAlpha: leakyReluAlpha };
      const z = tfjs.engine().runKernel('_FusedMatMul', { a, b, bias }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor3D;
      let y = tfjs.reshape(z, [m, n]) as tf.Tensor2D;
      if (act === 'tanh') y = tfjs.tanh(y);
      save([x, kernel, y]);
      return y;
    },
    backwardsFunc: (dy, saved) => {
      const [xs, w, y] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      // The activation's derivative from its output, as tfjs's own gradients compute it.
      const dz = activationGrad(act, dy as tf.Tensor2D, y);
      const explicit = tfjs.getBackend() === 'wasm' && m * k * n >= wasmTransposeAbove;
      return {
        x: () => (explicit ? tfjs.matMul(dz, tfjs.transpose(w)) : tfjs.matMul(dz, w, false, true)),
        kernel: () => (explicit ? tfjs.matMul(tfjs.transpose(xs), dz) : tfjs.matMul(xs, dz, true, false)),
        bias: () => tfjs.sum(dz, 0),
      };
    },
  });
}

/**
 * Below this many multiply-adds (m·k·n) wasm's transposed matMul is as fast as a transpose and a
 * plain matMul (and one kernel fewer): measured with the font AE's layers, 32×35×18 and smaller.
 */
export const wasmTransposeAbove = 1 << 15;

/** Our activation names as the fused kernels call them; tanh has no fused form and runs after a linear one. */
export const fusedName: Record<ActivationName, string> = { linear: 'linear', sigmoid: 'sigmoid', relu: 'relu', 'leaky-relu': 'leakyrelu', elu: 'elu', tanh: 'linear' };

export function activationGrad(act: ActivationName, dy: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
  switch (act) {
    case 'linear': return dy;
    case 'sigmoid': return tfjs.mul(dy, tfjs.mul(y, tfjs.sub(1, y)));
    case 'tanh': return tfjs.mul(dy, tfjs.sub(1, tfjs.square(y)));
    // y > 0 exactly where the input was > 0 (tfjs's relu and leaky relu gradients test the input).
    case 'relu': return tfjs.mul(dy, tfjs.step(y));
    case 'leaky-relu': return tfjs.mul(dy, tfjs.maximum(tfjs.sign(y), leakyReluAlpha));
    // elu: 1 for y > 0, y + 1 below (tfjs's EluGrad).
    case 'elu': return tfjs.mul(dy, tfjs.add(tfjs.minimum(y, 0), 1));
  }
}

/**
 * The dense layer on wasm and cpu in as few kernels as the maths allows: the forward pass is one kernel
 * (the fused matMul, plus tanh, on 2-D views: no reshapes); the backward pass one kernel for the
 * activation's derivative, the weight gradient and the bias gradient, and one matMul for the input's
 * gradient when something upstream needs it. A kernel variable is not copied for the backward pass
 * (its value cannot change before the optimizer has the gradients).
 *
 * A small layer on wasm (`ownProduct`) multiplies with our own SIMD loop (wasm-simd.ts) instead of
 * XNNPACK, and may come stacked over seeds (x [S, m, k], kernel [S, k, n], bias [S, n]: dense-seeds.ts):
 * each seed's slice is then the product a lone run computes, in one kernel for all seeds.
 */
export function hostDense<T extends tf.Tensor2D | tf.Tensor3D>(engine: EngineWithKernelFunc, x: T, kernel: T, bias: tf.Tensor, act: ActivationName): T {
  const [m, k] = x.shape.slice(-2) as [number, number];
  const n = kernel.shape[kernel.rank - 1]!;
  const kept = kernel instanceof tfjs.Variable;
  // Known while the tape records: whether a gradient can flow on to x (a dataset's batch: never).
  const needDx = dependsOnTrainable(x);
  return engine.runKernelFunc({
    inputs: { x, kernel, bias },
    forwardFunc: (_backend, save) => {
      const y = tfjs.engine().runKernel(denseKernel, { x, kernel, bias }, { activation: act } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
      save(kept ? [x, y] : [x, y, kernel]);
      return y;
    },
    backwardsFunc: (dy, saved) => {
      const [xs, y, w = kernel] = saved as tf.Tensor2D[];
      // Computed here, not in the closures: the engine frees what no closure hands on when the backward pass ends.
      const [dz, dW, db, dx] = tfjs.engine().runKernel(denseGradKernel, { dy, y: y!, x: xs!, kernel: w }, { activation: act, dx: needDx } as unknown as tf.NamedAttrMap) as unknown as tf.Tensor2D[];
      const explicit = tfjs.getBackend() === 'wasm' && m * k * n >= wasmTransposeAbove;
      return {
        x: () => dx ?? (explicit ? tfjs.matMul(dz!, tfjs.transpose(w)) : tfjs.matMul(dz!, w, false, true)),
        kernel: () => dW!,
        bias: () => db!,
      };
    },
  }) as unknown as T;
}

/**
 * Below this many multiply-adds (m·k·n) a layer's products on wasm are our own SIMD loop
 * (wasm-simd.ts): XNNPACK's set-up (packing a weight that is new every step) costs more than such a
 * product's maths. Measured, Node, one thread: 32×35·35×18 2.6 µs against ~20 µs; the font AE preset
 * (35-64-32-2, batch 32: its biggest product 71,680) trained at 1,410 steps/s against 1,250 with
 * XNNPACK for products above 2¹⁵ (before the SIMD activations, which took it to ~2,000).
 */
export const ownProductBelow = 1 << 18;

/** Our SIMD product for an m×k·k×n layer on this memory, or null (XNNPACK's, or cpu's, does it). */
export function ownProduct(mem: HostMemory | null, m: number, k: number, n: number): GemmSimd | null {
  return mem?.heap && m * k * n < ownProductBelow ? gemmSimd(mem.heap.memory) : null;
}

/** Whether the active backend multiplies an m×k·k×n layer with our own loop (then seeds stack in one kernel). */
export function ownProductActive(m: number, k: number, n: number): boolean {
  return ownProduct(hostMemory(), m, k, n) !== null;
}

interface TapeNode { id: number; inputs: Record<string, tf.Tensor | undefined>; outputs: tf.Tensor[] }

/** Whether the tape being recorded computed x from a trainable variable (then its gradient is wanted). */
function dependsOnTrainable(x: tf.Tensor): boolean {
  const tape = (tfjs.engine() as unknown as { state: { activeTape: TapeNode[] | null } }).state.activeTape;
  if (!tape?.length) return false;
  const producer = new Map<number, TapeNode>();
  for (const node of tape) for (const o of node.outputs) producer.set(o.id, node);
  const seen = new Set<number>();
  const stack: tf.Tensor[] = [x];
  while (stack.length) {
    const t = stack.pop()!;
    if (t instanceof tfjs.Variable) {
      if (t.trainable) return true;
      continue;
    }
    const node = producer.get(t.id);
    if (!node || seen.has(node.id)) continue;
    seen.add(node.id);
    for (const input of Object.values(node.inputs)) if (input) stack.push(input);
  }
  return false;
}

/** A 2-D tensor seen as a batch of one matrix (the backends' matMul kernels are 3-D), without a kernel. */
const as3d = (t: tf.TensorInfo): tf.TensorInfo => ({ dataId: t.dataId, shape: [1, ...t.shape], dtype: t.dtype });
const as2d = (t: tf.TensorInfo): tf.TensorInfo => ({ dataId: t.dataId, shape: t.shape.slice(1), dtype: t.dtype });

const denseKernel = 'LatentflowDense';
registerHostKernel(denseKernel, ({ x, kernel, bias }, attrs, mem) => {
  const act = attrs.activation as ActivationName;
  const [m, k] = x!.shape.slice(-2) as [number, number];
  const n = kernel!.shape[kernel!.shape.length - 1]!;
  const gemm = ownProduct(mem, m, k, n);
  if (gemm) {
    const S = x!.shape.length === 3 ? x!.shape[0]! : 1;
    const y = mem.alloc([...x!.shape.slice(0, -1), n]);
    const at = mem.heap!.offset;
    for (let s = 0; s < S; s++) gemm(at(x!) + s * m * k * 4, at(kernel!) + s * k * n * 4, at(y) + s * m * n * 4, at(bias!) + s * n * 4, 1, m, k, n, k * 4, 4);
    // sigmoid, tanh and elu as SIMD over the heap (~5× faster than Math.exp/tanh a value); the others are cheap in JS.
    const kind = simdActivations.indexOf(act as (typeof simdActivations)[number]);
    const simd = kind >= 0 ? activationSimd(mem.heap!.memory) : null;
    if (simd) simd(at(y), y.shape.reduce((a, d) => a * d, 1), kind);
    else activationLoop(act, mem.view(y));
    return y;
  }
  const z = mem.run('_FusedMatMul', { a: as3d(x!), b: as3d(kernel!), bias: bias! }, { transposeA: false, transposeB: false, activation: fusedName[act], leakyreluAlpha: leakyReluAlpha });
  if (act !== 'tanh') return as2d(z);
  const y = mem.run('Tanh', { x: z });
  mem.free(z);
  return as2d(y);
});

/** Outputs dz (the gradient before the activation), dW = xᵀ·dz, db = Σ_rows dz and, when asked, dx = dz·Wᵀ. */
const denseGradKernel = 'LatentflowDenseGrad';
registerHostKernel(denseGradKernel, ({ dy, y, x, kernel }, attrs, mem) => {
  const [m, n] = y!.shape.slice(-2) as [number, number];
  const k = x!.shape[x!.shape.length - 1]!;
  const dz = mem.alloc(y!.shape);
  activationGradLoop(attrs.activation as ActivationName, mem.view(dy!), mem.view(y!), mem.view(dz));
  const gemm = ownProduct(mem, m, k, n);
  if (gemm) return ownGradient(gemm, mem, x!, kernel!, dz, m, k, n, attrs.dx as boolean);
  // wasm multiplies by a transposed operand on a slow path: above the limit, transpose first.
  const explicit = mem.backend === 'wasm' && m * k * n >= wasmTransposeAbove;
  const times = (a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean) => {
    if (!explicit || (!transposeA && !transposeB)) return as2d(mem.run('BatchMatMul', { a: as3d(a), b: as3d(b) }, { transposeA, transposeB }));
    const t = transposed(mem, transposeA ? a : b);
    const out = mem.run('BatchMatMul', { a: as3d(transposeA ? t : a), b: as3d(transposeA ? b : t) }, { transposeA: false, transposeB: false });
    mem.free(t);
    return as2d(out);
  };
  const dW = times(x!, dz, true, false);
  const dx = !attrs.dx ? null : explicit && m * (2 * n + k) < 2 * k * n ? viaTransposedGradient(mem, dz, kernel!) : times(dz, kernel!, false, true);
  const db = mem.alloc([n]);
  columnSums(mem.view(dz), mem.view(db), m, n);
  return dx ? [dz, dW, db, dx] : [dz, dW, db];
});

/** s[j] = Σ_i d[i·n + j] over m rows, added in row order and rounded to float32 at each sum (row by row: ~30 % faster than column by column). */
function columnSums(d: Float32Array, s: Float32Array, m: number, n: number, from = 0, to = 0): void {
  const f32 = Math.fround;
  for (let j = 0; j < n; j++) s[to + j] = 0;
  for (let i = 0; i < m; i++) {
    const row = from + i * n;
    for (let j = 0; j < n; j++) s[to + j] = f32(s[to + j]! + d[row + j]!);
  }
}

/**
 * The gradients of a small layer (one seed, or S stacked) with our SIMD product: dW = xᵀ·dz reads x
 * through strides (no transpose), dx = dz·Wᵀ multiplies by a transposed copy of the (small) weight.
 */
function ownGradient(gemm: GemmSimd, mem: HostMemory, x: tf.TensorInfo, kernel: tf.TensorInfo, dz: tf.TensorInfo, m: number, k: number, n: number, withDx: boolean): tf.TensorInfo[] {
  const lead = dz.shape.slice(0, -2);
  const S = lead.length ? lead[0]! : 1;
  const dW = mem.alloc([...lead, k, n]), db = mem.alloc([...lead, n]);
  const dx = withDx ? mem.alloc([...lead, m, k]) : null;
  const wT = withDx ? mem.alloc([n, k]) : null;
  // Views and offsets after every allocation (wasm's heap may have moved).
  const at = mem.heap!.offset;
  const w = mem.view(kernel), d = mem.view(dz), sums = mem.view(db);
  for (let s = 0; s < S; s++) {
    gemm(at(x) + s * m * k * 4, at(dz) + s * m * n * 4, at(dW) + s * k * n * 4, 0, 0, k, m, n, 4, k * 4);
    if (dx && wT) {
      const t = mem.view(wT);
      for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) t[j * k + p] = w[s * k * n + p * n + j]!;
      gemm(at(dz) + s * m * n * 4, at(wT), at(dx) + s * m * k * 4, 0, 0, m, n, k, n * 4, 4);
    }
    columnSums(d, sums, m, n, s * m * n, s * n);
  }
  if (wT) mem.free(wT);
  return dx ? [dz, dW, db, dx] : [dz, dW, db];
}

/**
 * dx = dz·Wᵀ as (W·dzᵀ)ᵀ: transposes dz [m, n] and the result [k, m] instead of the weight [k, n], and
 * the matMul packs dzᵀ instead of a fresh Wᵀ (XNNPACK packs its right operand on every new tensor).
 * Cheaper when the batch m is small against the layer: m·(2n + k) < 2·k·n (MNIST VAE, batch 128: the
 * 512×784 layer transposes and packs 165 k values instead of 401 k).
 */
function viaTransposedGradient(mem: HostMemory, dz: tf.TensorInfo, kernel: tf.TensorInfo): tf.TensorInfo {
  const dzT = transposed(mem, dz);
  const dxT = mem.run('BatchMatMul', { a: as3d(kernel), b: as3d(dzT) }, { transposeA: false, transposeB: false });
  mem.free(dzT);
  const dx = transposed(mem, as2d(dxT));
  mem.free(dxT);
  return dx;
}

/**
 * A matrix's transpose, copied in 32×32 tiles by a loop here: wasm's Transpose kernel took twice as long
 * (256×784: 1.0 ms against 0.5 ms, Node), and a VAE step transposes about 1.2 M values.
 */
function transposed(mem: HostMemory, a: tf.TensorInfo): tf.TensorInfo {
  const [rows, cols] = a.shape as [number, number];
  const out = mem.alloc([cols, rows]);
  // Views after the allocation (wasm's heap may have moved).
  const src = mem.view(a), dst = mem.view(out);
  const tile = 32;
  for (let i0 = 0; i0 < rows; i0 += tile) {
    const i1 = Math.min(rows, i0 + tile);
    for (let j0 = 0; j0 < cols; j0 += tile) {
      const j1 = Math.min(cols, j0 + tile);
      for (let i = i0; i < i1; i++) {
        const row = i * cols;
        for (let j = j0; j < j1; j++) dst[j * rows + i] = src[row + j]!;
      }
    }
  }
  return out;
}

/**
 * An activation in place, element by element, rounded to float32, after our own product (which has no
 * fused activation): relu and leaky relu always; sigmoid, tanh and elu only where the SIMD module did not
 * compile (wasm-simd.ts does them otherwise).
 */
function activationLoop(act: ActivationName, y: Float32Array): void {
  const len = y.length;
  const f32 = Math.fround;
  const alpha = f32(leakyReluAlpha);
  switch (act) {
    case 'linear': return;
    case 'sigmoid': for (let i = 0; i < len; i++) y[i] = 1 / (1 + Math.exp(-y[i]!)); return;
    case 'tanh': for (let i = 0; i < len; i++) y[i] = Math.tanh(y[i]!); return;
    // Below zero only: NaN stays NaN (the loss guard must see it).
    case 'relu': for (let i = 0; i < len; i++) if (y[i]! < 0) y[i] = 0; return;
    case 'leaky-relu': for (let i = 0; i < len; i++) { const v = y[i]!; if (v < 0) y[i] = f32(v * alpha); } return;
    case 'elu': for (let i = 0; i < len; i++) { const v = y[i]!; if (v < 0) y[i] = Math.expm1(v); } return;
  }
}

/** `activationGrad` element by element, each operation rounded to float32 as those kernels round it. */
function activationGradLoop(act: ActivationName, dy: Float32Array, y: Float32Array, dz: Float32Array): void {
  const len = dz.length;
  const f32 = Math.fround;
  const alpha = f32(leakyReluAlpha);
  switch (act) {
    case 'linear': dz.set(dy); return;
    case 'sigmoid': for (let i = 0; i < len; i++) { const v = y[i]!; dz[i] = dy[i]! * f32(v * f32(1 - v)); } return;
    case 'tanh': for (let i = 0; i < len; i++) { const v = y[i]!; dz[i] = dy[i]! * f32(1 - f32(v * v)); } return;
    case 'relu': for (let i = 0; i < len; i++) { const v = y[i]!; dz[i] = dy[i]! * (v > 0 ? 1 : v !== v ? NaN : 0); } return;
    case 'leaky-relu': for (let i = 0; i < len; i++) { const v = y[i]!; dz[i] = dy[i]! * Math.max(v > 0 ? 1 : v < 0 ? -1 : v, alpha); } return;
    case 'elu': for (let i = 0; i < len; i++) { dz[i] = dy[i]! * f32(Math.min(y[i]!, 0) + 1); } return;
  }
}
