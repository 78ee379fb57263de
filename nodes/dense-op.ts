import type * as tf from '@tensorflow/tfjs';
import { tfjs } from './tfjs';
import { leakyReluAlpha, type ActivationName } from './activations';
import { onHost, registerHostKernel, type EngineWithKernelFunc, type HostMemory } from './host-kernels';

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
 */
function hostDense(engine: EngineWithKernelFunc, x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D, act: ActivationName): tf.Tensor2D {
  const [m, k] = x.shape;
  const n = kernel.shape[1];
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
  });
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
  const z = mem.run('_FusedMatMul', { a: as3d(x!), b: as3d(kernel!), bias: bias! }, { transposeA: false, transposeB: false, activation: fusedName[act], leakyreluAlpha: leakyReluAlpha });
  if (act !== 'tanh') return as2d(z);
  const y = mem.run('Tanh', { x: z });
  mem.free(z);
  return as2d(y);
});

/** Outputs dz (the gradient before the activation), dW = xᵀ·dz, db = Σ_rows dz and, when asked, dx = dz·Wᵀ. */
const denseGradKernel = 'LatentflowDenseGrad';
registerHostKernel(denseGradKernel, ({ dy, y, x, kernel }, attrs, mem) => {
  const [m, n] = y!.shape as [number, number];
  const k = x!.shape[1]!;
  const dz = mem.alloc([m, n]);
  activationGradLoop(attrs.activation as ActivationName, mem.view(dy!), mem.view(y!), mem.view(dz));
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
  const d = mem.view(dz), s = mem.view(db);
  const f32 = Math.fround;
  for (let j = 0; j < n; j++) {
    let acc = 0;
    for (let i = 0; i < m; i++) acc = f32(acc + d[i * n + j]!);
    s[j] = acc;
  }
  return dx ? [dz, dW, db, dx] : [dz, dW, db];
});

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
