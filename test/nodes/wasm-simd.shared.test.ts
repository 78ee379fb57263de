// The small-layer product as WebAssembly SIMD on the wasm backend's heap (nodes/wasm-simd.ts): the
// float32 sum it promises, bit for bit, through A's strides, with and without a bias, for sizes with and
// without a remainder of 4; and on the wasm backend, seeds stacked in one dense kernel (and one loss
// kernel) give each seed its lone run's numbers, bit for bit, forward and backward.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { activationSimd, bceGradSimd, bceSimd, gemmSimd, simdActivations } from '../../nodes/wasm-simd';
import { dense, ownProductBelow } from '../../nodes/dense-op';
import { denseSeeds } from '../../nodes/dense-seeds';
import { reconstructionError } from '../../nodes/loss-reconstruction';
import { selectBackend } from '../../src/runtime';

const f32 = Math.fround;
const wasmPath = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';

/** The promised sum, written out: bias[j] (or 0), then + A(i,p)·B(p,j) for p in order, each step rounded to float32. */
function reference(a: Float32Array, b: Float32Array, bias: Float32Array | null, M: number, K: number, N: number, aRow: number, aTerm: number): Float32Array {
  const c = new Float32Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = bias ? bias[j]! : 0;
      for (let p = 0; p < K; p++) s = f32(s + f32(a[i * aRow + p * aTerm]! * b[p * N + j]!));
      c[i * N + j] = s;
    }
  }
  return c;
}

/** Seed s's values of a seed-stacked tensor. */
async function seedSlice(t: tf.Tensor, s: number): Promise<number[]> {
  const slice = tf.slice(t, [s], [1]);
  const values = [...(await slice.data())];
  slice.dispose();
  return values;
}

const memories = [['plain', () => new WebAssembly.Memory({ initial: 4 })] as const,
  ...(typeof SharedArrayBuffer === 'function' ? [['shared', () => new WebAssembly.Memory({ initial: 4, maximum: 16, shared: true })] as const] : [])];

describe('small matrix products as WebAssembly SIMD', () => {
  for (const [kind, make] of memories) {
    it(`on ${kind} memory: the float32 sum in order, bit for bit, and nothing written past C`, () => {
      const memory = make();
      const gemm = gemmSimd(memory);
      expect(gemm, 'WebAssembly SIMD').to.be.a('function');
      const heap = new Float32Array(memory.buffer);
      let seed = 7;
      const rnd = () => ((seed = (seed * 16807) % 2147483647), f32(seed / 2147483647 - 0.5));
      // [M, K, N]: the font AE's layers and their gradients' shapes, remainders of 4 in N, a single column.
      for (const [M, K, N] of [[32, 35, 18], [35, 32, 18], [32, 18, 6], [32, 6, 2], [7, 9, 13], [5, 3, 1], [3, 1, 8]] as const) {
        for (const transposed of [false, true]) {
          for (const withBias of [false, true]) {
            const A = 64, B = A + 4 * 2048, C = B + 4 * 2048, BIAS = C + 4 * 2048;
            const a = heap.subarray(A / 4, A / 4 + M * K), b = heap.subarray(B / 4, B / 4 + K * N), bias = heap.subarray(BIAS / 4, BIAS / 4 + N);
            for (const v of [a, b, bias]) for (let i = 0; i < v.length; i++) v[i] = rnd();
            heap[C / 4 + M * N] = 42;
            // A stored M×K (row i of C reads row i of A) or K×M (it reads column i: Xᵀ without a copy).
            const [aRow, aTerm] = transposed ? [1, M] : [K, 1];
            gemm!(A, B, C, BIAS, withBias ? 1 : 0, M, K, N, aRow * 4, aTerm * 4);
            const want = reference(a, b, withBias ? bias : null, M, K, N, aRow, aTerm);
            const got = heap.slice(C / 4, C / 4 + M * N);
            const label = `${M}×${K}·${K}×${N}${transposed ? ' (A transposed)' : ''}${withBias ? ' + bias' : ''}`;
            expect([...got], label).to.deep.equal([...want]);
            expect(heap[C / 4 + M * N], `${label}: past C`).to.equal(42);
          }
        }
      }
    });
  }

  for (const [kind, make] of memories) {
    it(`on ${kind} memory: sigmoid, tanh and elu within 2e-7 (and 1e-6 relative) of the exact values, NaN kept, the last values as the others`, () => {
      const memory = make();
      const act = activationSimd(memory);
      expect(act, 'WebAssembly SIMD').to.be.a('function');
      const heap = new Float32Array(memory.buffer);
      const exact: Record<(typeof simdActivations)[number], (x: number) => number> = {
        sigmoid: (x) => 1 / (1 + Math.exp(-x)), tanh: Math.tanh, elu: (x) => (x < 0 ? Math.expm1(x) : x),
      };
      // Around 0 (where differences lose digits), the range a layer sees, and far out to the infinities.
      const xs = [0, -0, 1e-30, -1e-30, 1e-8, -1e-8, 1e-4, -1e-4, 0.06, -0.06, 0.07, -0.07, 44, -44, 87, -87, 90, -90, 1e30, -1e30, Infinity, -Infinity, NaN,
        ...Array.from({ length: 4001 }, (_, i) => (i - 2000) / 100)].map(f32);
      for (const [k, name] of simdActivations.entries()) {
        heap.set(xs, 16);
        heap[16 + xs.length] = 42;
        act!(64, xs.length, k);
        xs.forEach((x, i) => {
          const got = heap[16 + i]!, want = exact[name](x);
          if (Number.isNaN(want)) return expect(got, `${name}(NaN)`).to.be.NaN;
          if (!Number.isFinite(want)) return expect(got, `${name}(${x})`).to.equal(want);
          const err = Math.abs(got - want);
          expect(err, `${name}(${x}) = ${got}, not ${want}`).to.be.at.most(2e-7 * Math.max(1, Math.abs(want)));
          if (Math.abs(want) > 1e-30) expect(err / Math.abs(want), `${name}(${x}) relative`).to.be.at.most(1e-6);
        });
        expect(heap[16 + xs.length], `${name}: past the count`).to.equal(42);
        // Seven values end one at a time: the same numbers as those values four at a time.
        heap.set(xs.slice(0, 8), 16);
        act!(64, 8, k);
        const four = heap.slice(16, 23);
        heap.set(xs.slice(0, 7), 16);
        act!(64, 7, k);
        expect([...heap.slice(16, 23)], `${name}: the last values`).to.deep.equal([...four]);
      }
    });
  }

  for (const [kind, make] of memories) {
    it(`on ${kind} memory: BCE's terms within 5e-7 relative of the float32 expression with exact logs, NaN kept, the last values as the others`, () => {
      const memory = make();
      const bce = bceSimd(memory);
      expect(bce, 'WebAssembly SIMD').to.be.a('function');
      const heap = new Float32Array(memory.buffer);
      // Outputs across (0, 1), at and beyond the clip, NaN; targets 0, 1 and grey levels.
      const n = 3001, P = 64, T = P + 4 * 4096, OUT = T + 4 * 4096;
      const p = heap.subarray(P / 4, P / 4 + n), t = heap.subarray(T / 4, T / 4 + n), out = heap.subarray(OUT / 4, OUT / 4 + n);
      for (let i = 0; i < n; i++) {
        p[i] = i % 13 === 0 ? [0, 1, 1e-9, 1 - 1e-9, 0.5, NaN, -3, 2][(i / 13) % 8]! : f32(((i * 7919) % 997) / 997);
        t[i] = i % 3 === 0 ? 1 : i % 3 === 1 ? 0 : f32(((i * 104729) % 1009) / 1009);
      }
      heap[OUT / 4 + n] = 42;
      bce!(P, T, OUT, n);
      const lo = f32(1e-7), hi = f32(1 - 1e-7);
      for (let i = 0; i < n; i++) {
        const q = Math.min(Math.max(p[i]!, lo), hi), ti = t[i]!;
        const want = f32(f32(ti * f32(Math.log(q))) + f32(f32(1 - ti) * f32(Math.log(f32(1 - q)))));
        if (Number.isNaN(want)) expect(out[i], `term ${i} (p NaN)`).to.be.NaN;
        else expect(Math.abs(out[i]! - want) / Math.abs(want), `term ${i}: p ${p[i]}, t ${ti}`).to.be.at.most(5e-7);
      }
      expect(heap[OUT / 4 + n], 'past the count').to.equal(42);
      const four = out.slice(0, 7);
      bce!(P, T, OUT, 7);
      expect([...out.slice(0, 7)], 'the last values').to.deep.equal([...four]);
      // The gradient with respect to p: scale · ((1 − t)/(1 − q) − t/q) inside the clip, 0 outside (and for NaN);
      // within float32 rounding of its two terms (their difference cancels where t ≈ p).
      const grad = bceGradSimd(memory);
      expect(grad, 'WebAssembly SIMD').to.be.a('function');
      const scale = f32(0.37);
      grad!(P, T, OUT, n, scale);
      for (let i = 0; i < n; i++) {
        const pi = p[i]!, ti = t[i]!, q = Math.min(Math.max(pi, lo), hi);
        const want = pi >= lo && pi <= hi ? scale * ((1 - ti) / (1 - q) - ti / q) : 0;
        if (want === 0) expect(out[i], `gradient ${i}: p ${pi}`).to.equal(0);
        else expect(Math.abs(out[i]! - want), `gradient ${i}: p ${pi}, t ${ti}`).to.be.at.most(1e-6 * scale * ((1 - ti) / (1 - q) + ti / q));
      }
      expect(heap[OUT / 4 + n], 'gradient: past the count').to.equal(42);
    });
  }

  describe('on the wasm backend', () => {
    before(async () => {
      await selectBackend({ prefer: ['wasm'], wasmPath });
    });

    it('a small layer for 3 seeds in one kernel each way, each seed its lone layer\'s output and gradients bit for bit', async () => {
      const [S, m, k, n] = [3, 32, 35, 18];
      expect(m * k * n).to.be.below(ownProductBelow);
      const x = tf.randomNormal([S, m, k], 0, 1, 'float32', 1) as tf.Tensor3D;
      const w = tf.randomNormal([S, k, n], 0, 0.3, 'float32', 2) as tf.Tensor3D;
      const b = tf.randomNormal([S, n], 0, 0.3, 'float32', 3) as tf.Tensor2D;
      const r = tf.randomNormal([S, m, n], 0, 1, 'float32', 4) as tf.Tensor3D;
      const before = tf.memory().numTensors;
      for (const act of ['sigmoid', 'tanh', 'relu', 'elu'] as const) {
        const stackedGrads = tf.grads((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(denseSeeds(x as tf.Tensor3D, w as tf.Tensor3D, b as tf.Tensor2D, act), r)));
        let stacked!: tf.Tensor[];
        const profile = await tf.profile(() => {
          stacked = stackedGrads([x, w, b]);
          return [];
        });
        const ours = profile.kernels.filter((q) => q.name.startsWith('Latentflow')).map((q) => `${q.name} ${q.inputShapes[0]}`);
        expect(ours, `${act}: the seeds' kernels`).to.deep.equal([`LatentflowDense ${S},${m},${k}`, `LatentflowDenseGrad ${S},${m},${n}`]);
        expect(profile.kernels.map((q) => q.name), 'no stacking').to.not.include.members(['Pack', 'Unpack']);
        const y = denseSeeds(x, w, b, act);
        for (let s = 0; s < S; s++) {
          const [xs, ws, bs, rs] = tf.tidy(() => [x, w, b, r].map((t) => tf.squeeze(tf.slice(t, [s], [1]), [0])));
          const lone = tf.grads((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(dense(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D, act), rs!)))([xs!, ws!, bs!]);
          const yLone = dense(xs as tf.Tensor2D, ws as tf.Tensor2D, bs as tf.Tensor1D, act);
          expect(await seedSlice(y, s), `${act} seed ${s} output`).to.deep.equal([...(await yLone.data())]);
          for (const [j, name] of ['dx', 'dW', 'db'].entries()) {
            expect(await seedSlice(stacked[j]!, s), `${act} seed ${s} ${name}`).to.deep.equal([...(await lone[j]!.data())]);
          }
          tf.dispose([xs!, ws!, bs!, rs!, ...lone, yLone]);
        }
        tf.dispose([...stacked, y]);
      }
      expect(tf.memory().numTensors, 'tensors left').to.equal(before);
      tf.dispose([x, w, b, r]);
    });

    it('the reconstruction loss for 3 seeds in one kernel each way, each seed its lone loss and gradients bit for bit', async () => {
      const S = 3;
      const x = tf.sigmoid(tf.randomNormal([S, 16, 35], 0, 2, 'float32', 5)) as tf.Tensor3D;
      // Targets of exactly 0 and 1 (the skipped logs) and in between.
      const t = tf.tidy(() => {
        const u = tf.randomUniform([S, 16, 35], 0, 1, 'float32', 6);
        return tf.where(tf.less(u, 0.4), tf.zerosLike(u), tf.where(tf.less(u, 0.8), tf.onesLike(u), u));
      }) as tf.Tensor3D;
      for (const [kind, reduce] of [['bce', 'mean'], ['bce', 'sum'], ['mse', 'mean']] as const) {
        const f = (x: tf.Tensor, t: tf.Tensor) => tf.sum(tf.mul(reconstructionError(x as never, t as never, kind, reduce, 0.5), tf.range(1, S + 1)));
        let grads!: tf.Tensor[];
        const profile = await tf.profile(() => {
          grads = tf.grads(f)([x, t]);
          return [];
        });
        expect(profile.kernels.filter((q) => q.name.startsWith('LatentflowReconstruction')).length, `${kind} ${reduce}: kernels`).to.equal(3);
        const losses = await tf.tidy(() => reconstructionError(x as never, t as never, kind, reduce, 0.5)).data();
        expect(losses.length).to.equal(S);
        for (let s = 0; s < S; s++) {
          const [xs, ts] = tf.tidy(() => [x, t].map((v) => tf.squeeze(tf.slice(v, [s], [1]), [0])));
          const lone = reconstructionError(xs as never, ts as never, kind, reduce, 0.5);
          expect(losses[s], `${kind} ${reduce} seed ${s} loss`).to.equal((await lone.data())[0]);
          // The stacked loss was weighted by s + 1 in f: the lone gradients by the same.
          const loneGrads = tf.grads((x: tf.Tensor, t: tf.Tensor) => tf.mul(reconstructionError(x as never, t as never, kind, reduce, 0.5), s + 1))([xs!, ts!]);
          for (const [j, name] of ['x', 'target'].entries()) {
            expect(await seedSlice(grads[j]!, s), `${kind} ${reduce} seed ${s} d${name}`).to.deep.equal([...(await loneGrads[j]!.data())]);
          }
          tf.dispose([xs!, ts!, lone, ...loneGrads]);
        }
        tf.dispose(grads);
      }
      tf.dispose([x, t]);
    });
  });
});
