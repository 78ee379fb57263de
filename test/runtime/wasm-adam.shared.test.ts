// Adam's update as WebAssembly SIMD on the wasm backend's heap (src/runtime/wasm-adam.ts): bit for bit
// the float32 arithmetic of the scalar loop (and so of tfjs's kernels), on plain and shared memory;
// on the wasm backend a big net's whole update is one kernel with tf.train.adam's numbers.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { adamSimd } from '../../src/runtime/wasm-adam';
import { FlatAdamOptimizer, flatLimit } from '../../src/runtime/flat-adam';
import { selectBackend } from '../../src/runtime';

const f32 = Math.fround;
const wasmPath = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';

/** Shared memory needs SharedArrayBuffer: always in Node, in a browser only on a cross-origin isolated page (the app's Worker is). */
const memories = [['plain', () => new WebAssembly.Memory({ initial: 4 })] as const,
  ...(typeof SharedArrayBuffer === 'function' ? [['shared', () => new WebAssembly.Memory({ initial: 4, maximum: 16, shared: true })] as const] : [])];

describe('Adam as WebAssembly SIMD', () => {
  for (const [kind, make] of memories) {
    it(`on ${kind} memory: the scalar loop's numbers, bit for bit, and nothing written past the count`, () => {
      const memory = make();
      const fn = adamSimd(memory);
      expect(fn, 'WebAssembly SIMD').to.be.a('function');
      const n = 1000, heap = new Float32Array(memory.buffer);
      const at = (k: number) => 64 + k * 4 * 1024; // byte offsets of seven arrays
      const arr = (k: number) => heap.subarray(at(k) / 4, at(k) / 4 + n + 4);
      const [w, g, m, v, w2, m2, v2] = [0, 1, 2, 3, 4, 5, 6].map(arr) as Float32Array[];
      for (let i = 0; i < n; i++) {
        w![i] = f32(Math.sin(i)); g![i] = f32(Math.cos(i * 3) * (i % 17 === 0 ? 1e3 : 1e-2)); m![i] = f32(Math.sin(i * 7) * 1e-3); v![i] = f32(Math.abs(Math.cos(i * 5)) * 1e-5);
      }
      w2![n] = 42;
      const c = [0.9, 0.999, 1 - 0.9, 1 - 0.999, 1e-7, -0.001, 1 - 0.9 ** 3, 1 - 0.999 ** 3].map(f32) as [number, number, number, number, number, number, number, number];
      fn!(at(0), at(1), at(2), at(3), at(4), at(5), at(6), n, ...c);
      const [b1, b2, c1, c2, eps, nlr, d1, d2] = c;
      for (let j = 0; j < n; j++) {
        const gj = g![j]!;
        const mj = f32(f32(m![j]! * b1) + f32(gj * c1));
        const vj = f32(f32(v![j]! * b2) + f32(f32(gj * gj) * c2));
        const wj = f32(f32(f32(f32(mj / d1) / f32(f32(Math.sqrt(f32(vj / d2))) + eps)) * nlr) + w![j]!);
        expect([m2![j], v2![j], w2![j]], `value ${j}`).to.deep.equal([mj, vj, wj]);
      }
      expect(w2![n], 'past the count').to.equal(42);
    });
  }

  it('on the wasm backend: a net above flatLimit in one kernel, with tf.train.adam\'s numbers', async () => {
    await selectBackend({ prefer: ['wasm'], wasmPath });
    expect(tf.getBackend()).to.equal('wasm');
    const before = tf.memory().numTensors;
    // Sizes that are no multiple of 4: the loop finishes each weight's last values.
    const make = () => tf.tidy(() => [tf.variable(tf.randomNormal([flatLimit + 3], 0, 1, 'float32', 1)), tf.variable(tf.randomNormal([7], 0, 1, 'float32', 2))]);
    const target = tf.randomNormal([flatLimit + 3], 0, 1, 'float32', 3);
    const loss = (ws: tf.Variable[]) => () => tf.add(tf.sum(tf.square(tf.sub(ws[0]!, target))), tf.sum(tf.square(ws[1]!))) as tf.Scalar;
    const a = make(), b = make();
    const ref = tf.train.adam(0.01);
    const flat = new FlatAdamOptimizer(0.01, 0.9, 0.999);
    for (let s = 0; s < 3; s++) { ref.minimize(loss(a), true, a)?.dispose(); flat.minimize(loss(b), true, b)?.dispose(); }
    const p = await tf.profile(() => { flat.minimize(loss(b), true, b)?.dispose(); return []; });
    ref.minimize(loss(a), true, a)?.dispose();
    const names = p.kernels.map((k) => k.name);
    expect(names.filter((k) => k === 'LatentflowAdam')).to.have.length(1);
    expect(names).to.not.include('Sqrt');
    for (let i = 0; i < 2; i++) {
      const [va, vb] = [await a[i]!.data(), await b[i]!.data()];
      let worst = 0;
      va.forEach((x, j) => (worst = Math.max(worst, Math.abs(x - vb[j]!) / Math.max(1, Math.abs(x)))));
      expect(worst, `weight ${i}`).to.be.at.most(1e-6);
    }
    ref.dispose();
    flat.dispose();
    tf.dispose([...a, ...b, target]);
    expect(tf.memory().numTensors).to.equal(before);
  });
});
