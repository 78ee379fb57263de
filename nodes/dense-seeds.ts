import type * as tf from '@tensorflow/tfjs';
import { tfjs } from './tfjs';
import type { Params } from '../src/graph';
import { leakyReluAlpha, type ActivationName } from './activations';
import { activationGrad, dense, fusedName, hostDense, ownProductActive, wasmTransposeAbove, type EngineWithKernelFunc } from './dense-op';
import { onHost } from './host-kernels';
import { dropoutSeed, initKernel, kernelSeed, type DenseLayerSpec } from './dense-stack';

/**
 * The dense op (`dense` in dense-op.ts) for S seeds at once: x [S, m, k], kernel [S, k, n], bias [S, n]
 * → [S, m, n], each seed's slice computed by the kernels a lone run's `dense` uses, so a seed's numbers
 * are its lone run's, bit for bit on wasm:
 * - forward: on wasm one fused matMul + bias + activation per seed (wasm's fused kernel takes one matrix
 *   and a rank-1 bias; a batch of matrices goes to its naive loop, 10–40× slower than XNNPACK on big
 *   ones, and adds in another order: a batched product on the small layers made seeds drift from their
 *   lone runs by 1e-3 relative within 100 epochs of the font AE), then tanh over all seeds at once; on
 *   the other backends one batched fused matMul.
 * - a small layer on wasm (`ownProductActive`): one kernel for all seeds, forward and backward, running
 *   our SIMD product (wasm-simd.ts) on each seed's slice in place, as a lone run's `dense` runs it.
 * - other layers on the host kernels (wasm and cpu: `onHost`): each seed's slice goes through the lone
 *   `dense` op itself (its own loops, in its own order); unstacking and stacking only copy, so the
 *   gradients are too.
 * - backward: the activation's derivative and the bias gradient once for all seeds; the products
 *   batched where a lone run uses the transposed-flag kernels (small layers, and every layer off wasm:
 *   the same per-matrix loop), per seed with explicit transposes where it does not (big layers on wasm).
 */
export function denseSeeds(x: tf.Tensor3D, kernel: tf.Tensor3D, bias: tf.Tensor2D, activation: string): tf.Tensor3D {
  const act = activation as ActivationName;
  const fused = fusedName[act];
  if (fused === undefined) throw new Error(`unknown activation ${activation}`);
  const [S, m, k] = x.shape;
  const n = kernel.shape[2];
  const engine = tfjs.engine() as unknown as EngineWithKernelFunc;
  // A small layer on wasm: every seed in one kernel, each slice the product its lone run computes.
  if (ownProductActive(m, k, n)) return hostDense(engine, x, kernel, bias, act);
  if (onHost()) {
    const ws = tfjs.unstack(kernel) as tf.Tensor2D[];
    const bs = tfjs.split(tfjs.reshape(bias, [-1]), S) as tf.Tensor1D[];
    return tfjs.stack(tfjs.unstack(x).map((xs, s) => dense(xs as tf.Tensor2D, ws[s]!, bs[s]!, activation))) as tf.Tensor3D;
  }
  const wasm = tfjs.getBackend() === 'wasm';
  const attrs = { transposeA: false, transposeB: false, activation: fused, leakyreluAlpha: leakyReluAlpha } as unknown as tf.NamedAttrMap;
  return engine.runKernelFunc({
    inputs: { x, kernel, bias },
    forwardFunc: (_backend, save) => {
      let z: tf.Tensor3D;
      if (wasm) {
        const xs = tfjs.unstack(x);
        const ws = tfjs.unstack(kernel);
        // Split from a flat copy: an unstacked row keeps rank 2 inside the wasm backend, whose fused kernel takes rank-1 biases only.
        const bs = tfjs.split(tfjs.reshape(bias, [-1]), S);
        z = tfjs.stack(xs.map((xi, s) => tfjs.engine().runKernel('_FusedMatMul', { a: tfjs.reshape(xi, [1, m, k]), b: tfjs.reshape(ws[s]!, [1, k, n]), bias: bs[s]! }, attrs) as tf.Tensor)).reshape([S, m, n]) as tf.Tensor3D;
      } else {
        z = tfjs.engine().runKernel('_FusedMatMul', { a: x, b: kernel, bias: tfjs.reshape(bias, [S, 1, n]) }, attrs) as tf.Tensor3D;
      }
      const y = act === 'tanh' ? tfjs.tanh(z) : z;
      save([x, kernel, y]);
      return y;
    },
    backwardsFunc: (dy, saved) => {
      const [xs, w, y] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
      const dz = activationGrad(act, dy as unknown as tf.Tensor2D, y as unknown as tf.Tensor2D) as unknown as tf.Tensor3D;
      const explicit = wasm && m * k * n >= wasmTransposeAbove;
      const perSeed = (f: (d: tf.Tensor2D, s: number) => tf.Tensor2D) => tfjs.stack(tfjs.unstack(dz).map((d, s) => f(d as tf.Tensor2D, s)));
      return {
        x: () => (explicit ? perSeed((d, s) => tfjs.matMul(d, tfjs.transpose(tfjs.squeeze(tfjs.slice(w, [s, 0, 0], [1, k, n]), [0])))) : tfjs.matMul(dz, w, false, true)),
        kernel: () => (explicit ? perSeed((d, s) => tfjs.matMul(tfjs.transpose(tfjs.squeeze(tfjs.slice(xs, [s, 0, 0], [1, m, k]), [0])), d)) : tfjs.matMul(xs, dz, true, false)),
        bias: () => tfjs.sum(dz, 1),
      };
    },
  }) as unknown as tf.Tensor3D;
}

/**
 * A `DenseStack` for S seeds at once (seed batching, nodes/define.ts `SeedsForm`): each weight is
 * stacked over the seeds, [S, in, out] kernels and [S, out] biases, seed s's drawn exactly as a lone
 * `DenseStack` with that seed draws it, under the same names.
 * Each layer is one `denseSeeds` op.
 */
export class SeedDenseStack {
  readonly variables: Record<string, tf.Variable> = {};
  private readonly layers: { kernel: tf.Variable; bias: tf.Variable; activation: string }[] = [];

  constructor(inputs: number, specs: readonly DenseLayerSpec[], opts: { init: string; seeds: readonly number[]; prefix?: string }) {
    let prev = inputs;
    specs.forEach((spec, i) => {
      const name = `${opts.prefix ?? 'dense'}${i}`;
      const kernel = tfjs.tidy(() => tfjs.variable(tfjs.stack(opts.seeds.map((seed) => initKernel(prev, spec.units, opts.init, kernelSeed(seed, i))))));
      const bias = tfjs.tidy(() => tfjs.variable(tfjs.zeros([opts.seeds.length, spec.units])));
      this.variables[`${name}/kernel`] = kernel;
      this.variables[`${name}/bias`] = bias;
      this.layers.push({ kernel, bias, activation: spec.activation });
      prev = spec.units;
    });
  }

  /** Runs the stack on [S, n, in]; dropout (train mode only) after each hidden layer, with each seed's step seed. */
  apply(x: tf.Tensor3D, o: { train: boolean; dropout: number; seeds: readonly number[]; dropoutOnLast?: boolean }): tf.Tensor3D {
    return this.layers.reduce((h, layer, i) => {
      const y = denseSeeds(h, layer.kernel as tf.Tensor3D, layer.bias as tf.Tensor2D, layer.activation);
      const last = i === this.layers.length - 1;
      if (!o.train || !(o.dropout > 0) || (last && !o.dropoutOnLast)) return y;
      return tfjs.stack(tfjs.unstack(y).map((ys, s) => tfjs.dropout(ys, o.dropout, undefined, dropoutSeed(o.seeds[s]!, i)))) as tf.Tensor3D;
    }, x);
  }

  dispose(): void {
    for (const v of Object.values(this.variables)) v.dispose();
  }
}

/** Why a dense stack's params are not seed-batched yet, or null. */
export function denseSeedsRefusal(p: Params): string | null {
  return p.batchNorm ? 'batch norm is not batched yet' : null;
}

