// The dense layer's own gradient (nodes/dense-op.ts) against tfjs's autodiff of matMul + bias + activation:
// the same values on cpu and wasm, for every activation and several shapes; plain matMuls only on wasm;
// no gradient for an input nothing needs; no tensors left behind.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { activationNames } from '../../nodes/activations';
import { dense, ownProductBelow, wasmTransposeAbove } from '../../nodes/dense-op';
import { activate } from '../../nodes/dense-stack';
import { selectBackend, type BackendName } from '../../src/runtime';

const wasmPath = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';
/** [batch, inputs, units]: tiny, the font AE's first layer (both below ownProductBelow: our own product on wasm), and one big enough for wasm's explicit transposes. */
const shapes: [number, number, number][] = [[4, 3, 5], [32, 35, 18], [48, 300, 130]];

/** The largest difference relative to the largest value of the reference. */
async function relDiff(a: tf.Tensor, ref: tf.Tensor): Promise<number> {
  const both = tf.tidy(() => tf.stack([tf.max(tf.abs(tf.sub(a, ref))), tf.max(tf.abs(ref))]));
  const [d, r] = await both.data();
  both.dispose();
  return d! / Math.max(r!, 1e-30);
}

function inputs([m, k, n]: [number, number, number], seed: number) {
  return {
    x: tf.randomNormal([m, k], 0, 1, 'float32', seed) as tf.Tensor2D,
    w: tf.randomNormal([k, n], 0, 1 / Math.sqrt(k), 'float32', seed + 1) as tf.Tensor2D,
    b: tf.randomNormal([n], 0, 0.5, 'float32', seed + 2) as tf.Tensor1D,
    r: tf.randomNormal([m, n], 0, 1, 'float32', seed + 3) as tf.Tensor2D,
  };
}

for (const backend of ['cpu', 'wasm'] as BackendName[]) {
  describe(`dense layer op on ${backend}`, () => {
    before(async () => {
      await selectBackend({ prefer: [backend], wasmPath });
    });

    for (const act of activationNames) {
      it(`${act}: output and gradients equal autodiff's within 1e-5 relative`, async () => {
        const before = tf.memory().numTensors;
        for (const [i, shape] of shapes.entries()) {
          const { x, w, b, r } = inputs(shape, 11 * i + 1);
          // A loss whose gradient at the output is r: every element of dy differs.
          const loss = (f: (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D) =>
            tf.grads((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D), r)));
          const ref = loss((x, w, b) => activate(tf.add(tf.matMul(x, w), b) as tf.Tensor2D, act))([x, w, b]);
          const ours = loss((x, w, b) => dense(x, w, b, act))([x, w, b]);
          const yRef = tf.tidy(() => activate(tf.add(tf.matMul(x, w), b) as tf.Tensor2D, act));
          const y = dense(x, w, b, act);
          expect(await relDiff(y, yRef), `${act} ${shape} output`).to.be.at.most(1e-5);
          for (const [j, name] of ['dx', 'dW', 'db'].entries()) {
            expect(await relDiff(ours[j]!, ref[j]!), `${act} ${shape} ${name}`).to.be.at.most(1e-5);
          }
          tf.dispose([x, w, b, r, ...ref, ...ours, y, yRef]);
        }
        expect(tf.memory().numTensors, 'tensors left').to.equal(before);
      });
    }

    /** Every matMul the backend runs meanwhile (the engine's and those inside our kernels), with its shapes and flags. */
    async function matMulsDuring(f: () => void): Promise<{ shapes: number[][]; transposeA: boolean; transposeB: boolean }[]> {
      const calls: { shapes: number[][]; transposeA: boolean; transposeB: boolean }[] = [];
      const configs = ['BatchMatMul', '_FusedMatMul'].map((name) => tf.getKernel(name, backend)!);
      const originals = configs.map((c) => c.kernelFunc);
      configs.forEach((c, i) => {
        c.kernelFunc = (args) => {
          const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
          const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
          calls.push({ shapes: [[...a.shape], [...b.shape]], transposeA, transposeB });
          return originals[i]!(args);
        };
      });
      try {
        f();
      } finally {
        configs.forEach((c, i) => (c.kernelFunc = originals[i]!));
      }
      return calls;
    }

    it('computes the input gradient only when asked, in three kernels a layer, and leaves no tensors', async () => {
      const { x, w, b, r } = inputs([16, 12, 8], 5);
      const kernel = tf.variable(w);
      const bias = tf.variable(b);
      const step = () => tf.variableGrads(() => tf.sum(tf.mul(dense(x, kernel, bias, 'sigmoid'), r)), [kernel, bias]);
      tf.dispose(step().grads); // warm up (backend set-up tensors are not ours)
      const before = tf.memory().numTensors;
      const profile = await tf.profile(() => {
        const { value, grads } = step();
        tf.dispose([value, grads]);
        return [];
      });
      const mm = await matMulsDuring(() => {
        const { value, grads } = step();
        tf.dispose([value, grads]);
      });
      // Forward: one fused matMul; backward: dW only (no dx, since x is no variable's descendant). On wasm a
      // layer this small multiplies with our own SIMD loop (wasm-simd.ts), not the backend's kernels.
      expect(mm.map((c) => c.shapes[1]), 'matMuls').to.deep.equal(backend === 'wasm' ? [] : [[1, 12, 8], [1, 16, 8]]);
      const ours = profile.kernels.filter((k) => k.name.startsWith('Latentflow')).map((k) => k.name);
      expect(ours, 'the layer\'s kernels').to.deep.equal(['LatentflowDense', 'LatentflowDenseGrad']);
      // Saved for the backward pass: the loss's mul saves its 2 inputs and sum 1; the layer only x and y (not its kernel variable).
      expect(profile.kernels.filter((k) => k.name === 'Identity'), 'tensors saved for the backward pass').to.have.length(3 + 2);
      tf.tidy(() => void dense(x, kernel, bias, 'relu')); // inference, no tape: nothing saved
      expect(tf.memory().numTensors).to.equal(before);
      tf.dispose([x, w, b, r, kernel, bias]);
    });

    for (const shape of shapes) {
      it(`a layer fed by another (${shape}): its input gradient inside the layer's backward kernel, equal to autodiff's`, async () => {
        const [m, k, n] = shape;
        const { x, w, b, r } = inputs([m, k, n], 21);
        const w0 = tf.variable(tf.randomNormal([k, k], 0, 1 / Math.sqrt(k), 'float32', 22)) as tf.Variable<tf.Rank.R2>;
        const b0 = tf.variable(tf.randomNormal([k], 0, 0.5, 'float32', 23)) as tf.Variable<tf.Rank.R1>;
        const [kernel, bias] = [tf.variable(w) as tf.Variable<tf.Rank.R2>, tf.variable(b) as tf.Variable<tf.Rank.R1>];
        const vars = [w0, b0, kernel, bias];
        const before = tf.memory().numTensors;
        const grads = (layer: (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, act: string) => tf.Tensor2D) =>
          tf.variableGrads(() => tf.sum(tf.mul(layer(layer(x, w0, b0, 'tanh'), kernel, bias, 'elu'), r)), vars);
        const ref = grads((x, w, b, act) => activate(tf.add(tf.matMul(x, w), b) as tf.Tensor2D, act));
        let ours!: ReturnType<typeof grads>;
        const profile = await tf.profile(() => {
          ours = grads(dense);
          return [];
        });
        for (const v of vars) expect(await relDiff(ours.grads[v.name]!, ref.grads[v.name]!), `${shape} ${v.name}`).to.be.at.most(1e-5);
        expect(profile.kernels.filter((k) => k.name === 'BatchMatMul'), 'matMuls the engine ran').to.have.length(0);
        tf.dispose([ref.value, ours.value, ...Object.values(ref.grads), ...Object.values(ours.grads)]);
        expect(tf.memory().numTensors, 'tensors left').to.equal(before);
        tf.dispose([x, w, b, r, ...vars]);
      });
    }

    if (backend === 'wasm') {
      it('multiplies without the transposeA/B flags (wasm runs those on a slow path) above the size limit', async () => {
        const shape: [number, number, number] = [48, 300, 130];
        expect(shape[0] * shape[1] * shape[2]).to.be.above(wasmTransposeAbove).and.at.least(ownProductBelow);
        const { x, w, b, r } = inputs(shape, 9);
        const mm = await matMulsDuring(() => {
          tf.dispose(tf.grads((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(dense(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D, 'relu'), r)))([x, w, b]));
        });
        expect(mm, 'forward, dW and dx').to.have.length(3);
        for (const c of mm) expect(c.transposeA || c.transposeB, JSON.stringify(c)).to.equal(false);
        tf.dispose([x, w, b, r]);
      });
    }
  });
}
