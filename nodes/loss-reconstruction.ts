import type * as tf from '@tensorflow/tfjs';
import { tfjs } from './tfjs';
import { choice, defineNode, number, socket, type BatchValue } from './define';
import { asData, expectSameSize } from './shape-helpers';
import { pyCall, expr } from './python';
import { joined, short } from './summaries';
import { customOp, onHost, registerHostKernel } from './host-kernels';
import { bceGradSimd, bceSimd } from './wasm-simd';

/** float32 rounding, as every kernel rounds each result (a local: faster in hot loops than an imported binding). */
const f32 = Math.fround;

/** How far the reconstruction is from the clean target (MSE or binary cross-entropy). */
export const reconstructionLoss = defineNode({
  kind: 'loss.reconstruction', version: 1, title: 'Reconstruction loss', category: 'loss',
  summary: (p) => joined(String(p.loss).toUpperCase(), String(p.reduce), Number(p.weight) !== 1 && `×${short(p.weight)}`),
  inputs: { x: socket('batch', { label: 'reconstruction' }), target: socket('batch', { label: 'clean target' }) },
  outputs: { loss: socket('loss') },
  params: {
    loss: choice({ options: ['bce', 'mse'], default: 'bce' }),
    reduce: choice({ options: ['mean', 'sum'], default: 'mean', help: 'mean over pixels, or sum over pixels (the ELBO of a VAE); always mean over samples.' }),
    weight: number({ min: 0, max: 1000, default: 1, live: true }),
  },
  infer: (inputs) => ({ outputs: { loss: { type: 'loss' } }, issues: expectSameSize(asData(inputs.x)!, asData(inputs.target)!) }),
  build: () => ({
    variables: {},
    forward: ({ x, target }, ctx) => ({ loss: { loss: reconstructionError(x as BatchValue, target as BatchValue, ctx.params.loss, ctx.params.reduce, ctx.params.weight) } }),
    dispose: () => {},
  }),
  seeds: 'stacked',
  pytorch: {
    role: 'loss',
    needs: [{
      name: 'reconstruction_loss',
      write: (w) => w.block('def reconstruction_loss(x, target, loss="bce", reduce="mean", weight=1.0)', (b) => b
        .doc('loss.reconstruction: MSE or binary cross-entropy (x clipped to [1e-7, 1 - 1e-7]), the mean over\neverything, or summed over features and averaged over samples (reduce="sum").')
        .block('if loss == "mse"', (i) => i.line('per_element = (x - target) ** 2'))
        .block('else', (i) => i.line('p = x.clamp(1e-7, 1 - 1e-7)', 'per_element = -(target * torch.log(p) + (1 - target) * torch.log(1 - p))'))
        .line('reduced = per_element.sum(1).mean() if reduce == "sum" else per_element.mean()')
        .line('return reduced * weight')),
    }],
    call: (n, inputs) => pyCall('reconstruction_loss', [expr(inputs.x!), expr(inputs.target!)], { loss: n.params.loss, reduce: n.params.reduce, weight: n.params.weight }),
  },
});

const eps = 1e-7;

/** Per-element loss, reduced: mean over everything, or summed over features and averaged over samples. */
export function reconstructionError(x: BatchValue, target: BatchValue, kind: string, reduce: string, weight = 1): tf.Scalar {
  // On the host kernels a seed-stacked [S, n, d] batch gives each seed's loss [S], each by the lone run's loop on its slice.
  return onHost() ? hostReconstructionError(x, target, kind, reduce, weight) : reconstructionErrorOps(x, target, kind, reduce, weight);
}

/** `reconstructionError` as tfjs ops (GPU backends; the reference the host kernels are tested against). */
export function reconstructionErrorOps(x: BatchValue, target: BatchValue, kind: string, reduce: string, weight = 1): tf.Scalar {
  return tfjs.tidy(() => {
    let perElement: tf.Tensor2D;
    if (kind === 'mse') perElement = tfjs.squaredDifference(x, target);
    else {
      const p = tfjs.clipByValue(x, eps, 1 - eps);
      perElement = tfjs.neg(tfjs.add(tfjs.mul(target, tfjs.log(p)), tfjs.mul(tfjs.sub(1, target), tfjs.log(tfjs.sub(1, p))))) as tf.Tensor2D;
    }
    // Over the last axes only: a seed-stacked batch [S, n, d] gives each seed's loss (seed batching).
    const reduced = reduce === 'sum' ? tfjs.mean(tfjs.sum(perElement, -1), -1) : tfjs.mean(perElement, [-2, -1]);
    return (weight === 1 ? reduced : tfjs.mul(reduced, weight)) as tf.Scalar;
  });
}

/**
 * The same loss on wasm and cpu as one kernel forward and one per input backward (instead of ~10 and
 * ~20 element-wise kernels): the gradient is the derivative of the expression above (with the clip's
 * gradient passing where eps ≤ x ≤ 1 - eps, as tfjs's does).
 */
function hostReconstructionError(x: BatchValue, target: BatchValue, kind: string, reduce: string, weight: number): tf.Scalar {
  const attrs = { kind, reduce, weight } as unknown as tf.NamedAttrMap;
  return customOp({
    inputs: { x, target },
    forwardFunc: (_backend, save) => {
      save([x, target]);
      return tfjs.engine().runKernel(lossKernel, { x, target }, attrs) as tf.Scalar;
    },
    backwardsFunc: (dy, [xs, ts]) => ({
      x: () => tfjs.engine().runKernel(lossGradKernel, { dy, x: xs!, target: ts! }, { ...attrs, wrt: 'x' }) as tf.Tensor,
      target: () => tfjs.engine().runKernel(lossGradKernel, { dy, x: xs!, target: ts! }, { ...attrs, wrt: 'target' }) as tf.Tensor,
    }),
  }) as tf.Scalar;
}

const lossKernel = 'LatentflowReconstructionLoss';
const lossGradKernel = 'LatentflowReconstructionLossGrad';
const lo = f32(eps), hi = f32(1 - eps);

/** A batch's seeds (1 for a lone run's [n, d], S for a seed-stacked [S, n, d]) and each seed's samples. */
const seedsOf = (x: tf.TensorInfo): { S: number; n: number } => (x.shape.length === 3 ? { S: x.shape[0]!, n: x.shape[1]! } : { S: 1, n: x.shape[0]! });

registerHostKernel(lossKernel, ({ x, target }, attrs, mem) => {
  const { S, n } = seedsOf(x!);
  const out = mem.alloc(x!.shape.length === 3 ? [S] : []);
  // BCE on wasm: each value's two logs as SIMD over the heap (wasm-simd.ts), summed here in order.
  const simd = attrs.kind === 'bce' && mem.heap ? bceSimd(mem.heap.memory) : null;
  const terms = simd ? mem.alloc(x!.shape) : null;
  if (simd && terms) simd(mem.heap!.offset(x!), mem.heap!.offset(target!), mem.heap!.offset(terms), terms.shape.reduce((a, d) => a * d, 1));
  const p = mem.view(x!), t = mem.view(target!), o = mem.view(out), each = terms && mem.view(terms);
  const size = p.length / S;
  for (let s = 0; s < S; s++) {
    const sum = each ? termSum(each, s * size, (s + 1) * size) : lossSum(attrs.kind === 'mse', p, t, s * size, (s + 1) * size);
    o[s] = (sum / (attrs.reduce === 'sum' ? n : size)) * (attrs.weight as number);
  }
  if (terms) mem.free(terms);
  return out;
});

/** Minus the sum of BCE's terms over [from, to), in order (as `lossSum` sums them). */
function termSum(terms: Float32Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum -= terms[i]!;
  return sum;
}

/** Σ of the per-element loss over values [from, to), in order (cpu, and BCE where WebAssembly SIMD is not there). */
function lossSum(mse: boolean, p: Float32Array, t: Float32Array, from: number, to: number): number {
  let sum = 0;
  if (mse) {
    for (let i = from; i < to; i++) { const d = f32(p[i]! - t[i]!); sum += f32(d * d); }
    return sum;
  }
  // A target of exactly 0 or 1 (most pixels of MNIST and of the fonts) zeroes one of the two terms:
  // its log is skipped (the logs are most of this loop's time). Exact: the skipped product was ±0,
  // and adding ±0 to the other, finite and nonzero-or-+0 term leaves it as it was.
  for (let i = from; i < to; i++) {
    const q = Math.min(Math.max(p[i]!, lo), hi), ti = t[i]!;
    const onTarget = ti === 0 ? 0 : f32(ti * f32(Math.log(q)));
    const offTarget = ti === 1 ? 0 : f32(f32(1 - ti) * f32(Math.log(f32(1 - q))));
    sum -= f32(onTarget + offTarget);
  }
  return sum;
}

registerHostKernel(lossGradKernel, ({ dy, x, target }, attrs, mem) => {
  const { S, n } = seedsOf(x!);
  const out = mem.alloc(x!.shape);
  const p = mem.view(x!), t = mem.view(target!), g = mem.view(out), d = mem.view(dy!);
  const size = p.length / S;
  const wrtX = attrs.wrt === 'x';
  const simd = wrtX && attrs.kind === 'bce' && mem.heap ? bceGradSimd(mem.heap.memory) : null;
  for (let s = 0; s < S; s++) {
    const scale = (d[s]! * (attrs.weight as number)) / (attrs.reduce === 'sum' ? n : size);
    const from = s * size, to = from + size;
    // BCE's gradient on wasm: SIMD over the heap (wasm-simd.ts).
    if (simd) {
      const at = mem.heap!.offset;
      simd(at(x!) + from * 4, at(target!) + from * 4, at(out) + from * 4, size, scale);
      continue;
    }
    if (attrs.kind === 'mse') {
      const k = wrtX ? 2 * scale : -2 * scale;
      for (let i = from; i < to; i++) g[i] = k * (p[i]! - t[i]!);
      continue;
    }
    for (let i = from; i < to; i++) {
      const pi = p[i]!, ti = t[i]!;
      const q = Math.min(Math.max(pi, lo), hi);
      // d/dx: the clip passes the gradient inside [eps, 1 - eps]; d/dtarget: log(1 - p) - log(p).
      g[i] = wrtX ? (pi >= lo && pi <= hi ? scale * ((1 - ti) / (1 - q) - ti / q) : 0) : scale * (Math.log(1 - q) - Math.log(q));
    }
  }
  return out;
});
