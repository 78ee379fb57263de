import * as tf from '@tensorflow/tfjs';
import { dense as denseOp } from '../nodes/dense-op';
import { reconstructionError } from '../nodes/loss-reconstruction';
import { takeRows } from '../src/runtime/rows';
import { FlatAdamOptimizer } from '../src/runtime/flat-adam';

/** The same maths as the graphs, written as a minimal tfjs loop: the baseline the runtime is measured against. */
export interface HandModel { step(): Promise<void>; flush(): Promise<void>; dispose(): void }

type Layer = { w: tf.Variable; b: tf.Variable };
const dense = (inp: number, out: number): Layer => tf.tidy(() => {
  const r = Math.sqrt(6 / (inp + out));
  return { w: tf.variable(tf.randomUniform([inp, out], -r, r, 'float32', 1)), b: tf.variable(tf.zeros([out])) };
});
/** A dense layer with the runtime's dense op (fused forward, a backward pass off wasm's slow transposed matMuls): only the plumbing around it is compared. */
const apply = (x: tf.Tensor2D, l: Layer, activation: string) => denseOp(x, l.w as tf.Tensor2D, l.b as tf.Tensor1D, activation);

function loop(vars: tf.Variable[], lr: number, readEvery: number, loss: () => tf.Scalar): HandModel {
  // The runtime's Adam (every weight updated at once), like the dense op: the loop differs only in plumbing.
  const opt = new FlatAdamOptimizer(lr, 0.9, 0.999);
  let pending: tf.Scalar[] = [];
  let inflight: Promise<void> | null = null;
  // Same read-back policy as the runtime: one batched data() every K steps, at most one in flight.
  const flush = async () => {
    if (inflight) await inflight;
    inflight = null;
    if (!pending.length) return;
    const s = tf.stack(pending);
    pending.forEach((t) => t.dispose());
    pending = [];
    inflight = s.data().then(() => s.dispose());
  };
  return {
    async step() {
      pending.push(opt.minimize(loss, true, vars) as tf.Scalar);
      if (pending.length >= readEvery) await flush();
    },
    async flush() {
      await flush();
      if (inflight) await inflight;
      inflight = null;
    },
    dispose() { opt.dispose(); vars.forEach((v) => v.dispose()); pending.forEach((t) => t.dispose()); },
  };
}

/** Font AE 35-18-6-2-6-18-35, sigmoid hidden layers, MSE, Adam, full batch. */
export function handFontAe(x: tf.Tensor2D, readEvery: number): HandModel {
  const layers = [dense(35, 18), dense(18, 6), dense(6, 2), dense(2, 6), dense(6, 18), dense(18, 35)];
  const acts = ['sigmoid', 'sigmoid', 'linear', 'sigmoid', 'sigmoid', 'sigmoid'];
  return loop(layers.flatMap((l) => [l.w, l.b]), 0.005, readEvery, () => {
    let h = x;
    layers.forEach((l, i) => (h = apply(h, l, acts[i]!)));
    // The runtime's loss op too (one kernel each way on wasm and cpu), like the dense op.
    return reconstructionError(h, x, 'mse', 'mean');
  });
}

/** VAE 784-512-256-(2)-256-512-784, relu, BCE summed over pixels + KL, Adam, shuffled batches. */
export function handVae(data: tf.Tensor2D, batch: number, readEvery: number): HandModel {
  const enc = [dense(784, 512), dense(512, 256)];
  const mu = dense(256, 2);
  const lv = dense(256, 2);
  const dec = [dense(2, 256), dense(256, 512), dense(512, 784)];
  const n = data.shape[0];
  const steps = Math.ceil(n / batch);
  let step = 0;
  let perm = new Int32Array(n).map((_, i) => i);
  const vars = [...enc, mu, lv, ...dec].flatMap((l) => [l.w, l.b]);
  // Batches copied in JS on the CPU backends, as the runtime does (wasm's gather kernel is slow).
  const host = ['wasm', 'cpu'].includes(tf.getBackend()) ? data.dataSync() as Float32Array : null;
  return loop(vars, 0.001, readEvery, () => {
    const i = step++ % steps;
    if (i === 0) perm = perm.sort(() => Math.random() - 0.5);
    const idx = perm.subarray(i * batch, Math.min(n, (i + 1) * batch));
    const x = host ? tf.tensor2d(takeRows(host, 784, idx), [idx.length, 784]) : tf.gather(data, tf.tensor1d(idx, 'int32'));
    let h = x;
    for (const l of enc) h = apply(h, l, 'relu');
    const m = apply(h, mu, 'linear');
    const v = apply(h, lv, 'linear');
    let z = tf.add(m, tf.mul(tf.exp(tf.mul(v, 0.5)), tf.randomNormal(m.shape, 0, 1, 'float32', step))) as tf.Tensor2D;
    z = apply(z, dec[0]!, 'relu');
    z = apply(z, dec[1]!, 'relu');
    const bce = reconstructionError(apply(z, dec[2]!, 'sigmoid'), x, 'bce', 'sum');
    const kl = tf.mul(-0.5, tf.mean(tf.sum(tf.sub(tf.add(1, v), tf.add(tf.square(m), tf.exp(v))), 1)));
    return tf.add(bce, kl) as tf.Scalar;
  });
}
