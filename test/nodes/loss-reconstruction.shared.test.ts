// The reconstruction loss on wasm and cpu (one kernel forward, one per input backward: nodes/loss-reconstruction.ts)
// against tfjs's autodiff of the same expression as ops: the same loss and gradients within 1e-5 relative,
// for MSE and BCE, mean and sum, with a weight, for both inputs; no tensors left behind.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { reconstructionError, reconstructionErrorOps } from '../../nodes/loss-reconstruction';
import { selectBackend, type BackendName } from '../../src/runtime';

const wasmPath = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';

async function relDiff(a: tf.Tensor, ref: tf.Tensor): Promise<number> {
  const both = tf.tidy(() => tf.stack([tf.max(tf.abs(tf.sub(a, ref))), tf.max(tf.abs(ref))]));
  const [d, r] = await both.data();
  both.dispose();
  return d! / Math.max(r!, 1e-30);
}

for (const backend of ['cpu', 'wasm'] as BackendName[]) {
  describe(`reconstruction loss on ${backend}`, () => {
    before(async () => {
      await selectBackend({ prefer: [backend], wasmPath });
    });

    for (const kind of ['mse', 'bce']) {
      for (const reduce of ['mean', 'sum']) {
        it(`${kind}, ${reduce}: loss and both gradients equal autodiff's within 1e-5 relative`, async () => {
          const before = tf.memory().numTensors;
          // Outputs in (0, 1) with a few outside the clip range; targets grey levels and exact 0s and 1s.
          const x = tf.tidy(() => tf.concat([tf.randomUniform([6, 20], 0, 1, 'float32', 3), tf.tensor2d([[0, 1, 1e-9, 1 - 1e-9, 0.5]]).tile([1, 4])])) as tf.Tensor2D;
          const t = tf.tidy(() => tf.concat([tf.randomUniform([6, 20], 0, 1, 'float32', 4), tf.tensor2d([[1, 0, 0.2, 1, 0]]).tile([1, 4])])) as tf.Tensor2D;
          const grads = (f: typeof reconstructionError) => tf.grads((a: tf.Tensor, b: tf.Tensor) => f(a as tf.Tensor2D, b as tf.Tensor2D, kind, reduce, 0.7))([x, t]);
          const [ref, ours] = [grads(reconstructionErrorOps), grads(reconstructionError)];
          const [lRef, l] = [reconstructionErrorOps(x, t, kind, reduce, 0.7), reconstructionError(x, t, kind, reduce, 0.7)];
          expect(await relDiff(l, lRef), 'loss').to.be.at.most(1e-5);
          expect(await relDiff(ours[0]!, ref[0]!), 'd/dx').to.be.at.most(1e-5);
          expect(await relDiff(ours[1]!, ref[1]!), 'd/dtarget').to.be.at.most(1e-5);
          tf.dispose([x, t, ...ref, ...ours, l, lRef]);
          expect(tf.memory().numTensors, 'tensors left').to.equal(before);
        });
      }
    }

    // The JS loop (cpu; wasm without SIMD) skips a log where the target is exactly 0 or 1; on wasm the logs
    // are SIMD (test/nodes/wasm-simd.shared.test.ts).
    if (backend === 'cpu') it('BCE on targets of exactly 0 and 1 (the logs it skips) equals the two-log expression bit for bit', async () => {
      const f32 = Math.fround;
      const p = Float32Array.from({ length: 400 }, (_, i) => [0, 1, 1e-9, 1 - 1e-9, 0.5][i % 5] ?? 0).map((v, i) => (i % 7 === 0 ? f32(((i * 7919) % 997) / 997) : v));
      const t = Float32Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 1 : i % 3 === 1 ? 0 : f32(((i * 104729) % 1009) / 1009)));
      const lo = f32(1e-7), hi = f32(1 - 1e-7);
      let sum = 0;
      for (let i = 0; i < p.length; i++) {
        const q = Math.min(Math.max(p[i]!, lo), hi), ti = t[i]!;
        sum -= f32(f32(ti * f32(Math.log(q))) + f32(f32(1 - ti) * f32(Math.log(f32(1 - q)))));
      }
      const x = tf.tensor2d(p, [20, 20]), target = tf.tensor2d(t, [20, 20]);
      const loss = reconstructionError(x, target, 'bce', 'sum');
      expect((await loss.data())[0]).to.equal(f32(sum / 20));
      tf.dispose([x, target, loss]);
    });

    it('runs as one kernel forward and one backward for the reconstruction', async () => {
      const x = tf.randomUniform([4, 5]) as tf.Tensor2D;
      const t = tf.randomUniform([4, 5]) as tf.Tensor2D;
      const p = await tf.profile(() => {
        tf.dispose(tf.grad((a: tf.Tensor) => reconstructionError(a as tf.Tensor2D, t, 'bce', 'sum'))(x));
        return [];
      });
      expect(p.kernels.map((k) => k.name).filter((n) => n !== 'Identity' && tf.getKernel(n, backend))).to.deep.equal(['LatentflowReconstructionLoss', 'LatentflowReconstructionLossGrad']);
      tf.dispose([x, t]);
    });
  });
}
