// FlatAdamOptimizer: the same steps as tfjs's Adam, its state in tfjs's layout (checkpoints move both
// ways), far fewer kernels a step, nothing leaked.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { FlatAdamOptimizer, flatLimit } from '../../src/runtime/flat-adam';
import { readOptimizerState, restoreOptimizerState } from '../../src/runtime/optimizer';

const shapes = [[5, 4], [4], [4, 3], [3], [3, 1], [1]];
const x = () => tf.tensor2d([[1, 0.5, -1, 2, 0], [0.3, -0.2, 0.1, 1, -1]]);

function weights(): tf.Variable[] {
  return shapes.map((s, i) => tf.tidy(() => tf.variable(tf.randomNormal(s, 0, 0.7, 'float32', 10 + i))));
}

function loss(ws: tf.Variable[], input: tf.Tensor2D): tf.Scalar {
  let h: tf.Tensor = input;
  for (let i = 0; i < ws.length; i += 2) h = tf.sigmoid(tf.add(tf.matMul(h as tf.Tensor2D, ws[i] as tf.Tensor2D), ws[i + 1]!));
  return tf.mean(tf.square(tf.sub(h, 0.25)));
}

async function values(ws: tf.Variable[]): Promise<number[]> {
  return (await Promise.all(ws.map((w) => w.data()))).flatMap((d) => Array.from(d));
}

function train(opt: tf.Optimizer, ws: tf.Variable[], input: tf.Tensor2D, steps: number): void {
  for (let s = 0; s < steps; s++) opt.minimize(() => loss(ws, input), true, ws)?.dispose();
}

describe('FlatAdamOptimizer', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('takes the same steps as tf.train.adam, and leaves no tensors', async () => {
    const before = tf.memory().numTensors;
    const input = x();
    const a = weights();
    const b = weights();
    const ref = tf.train.adam(0.05, 0.8, 0.99);
    const flat = new FlatAdamOptimizer(0.05, 0.8, 0.99);
    train(ref, a, input, 7);
    train(flat, b, input, 7);
    const [va, vb] = [await values(a), await values(b)];
    vb.forEach((v, i) => expect(v, `value ${i}`).to.be.closeTo(va[i]!, 1e-6 * Math.max(1, Math.abs(va[i]!))));
    const start = weights();
    expect(vb).to.not.deep.equal(await values(start)); // it moved
    tf.dispose(start);
    // tfjs's state layout, the same numbers.
    const [sa, sb] = [await readOptimizerState(ref, 'adam'), await readOptimizerState(flat, 'adam')];
    expect(sb.iterations).to.equal(7);
    expect(sb.slots.map((s) => s.shape)).to.deep.equal(sa.slots.map((s) => s.shape));
    sb.slots.forEach((s, i) => Array.from(s.values).forEach((v, j) => expect(v).to.be.closeTo(sa.slots[i]!.values[j]!, 1e-6)));
    ref.dispose();
    flat.dispose();
    tf.dispose([input, ...a, ...b]);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('resumes from a checkpoint of either optimizer and continues the same optimisation', async () => {
    const before = tf.memory().numTensors;
    const input = x();
    const straight = weights();
    const ref = tf.train.adam(0.05);
    train(ref, straight, input, 6);
    for (const first of ['adam', 'flat'] as const) {
      const ws = weights();
      const o1 = first === 'adam' ? tf.train.adam(0.05) : new FlatAdamOptimizer(0.05, 0.9, 0.999);
      train(o1, ws, input, 3);
      const state = await readOptimizerState(o1, 'adam');
      o1.dispose();
      const o2 = first === 'adam' ? new FlatAdamOptimizer(0.05, 0.9, 0.999) : tf.train.adam(0.05);
      expect(await restoreOptimizerState(o2, 'adam', state, ws)).to.equal(null);
      train(o2, ws, input, 3);
      const [vs, vw] = [await values(straight), await values(ws)];
      vw.forEach((v, i) => expect(v, `${first} then the other: value ${i}`).to.be.closeTo(vs[i]!, 1e-6 * Math.max(1, Math.abs(vs[i]!))));
      o2.dispose();
      tf.dispose(ws);
    }
    ref.dispose();
    tf.dispose([input, ...straight]);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('updates every weight in a few kernels, not fourteen per weight', async () => {
    const input = x();
    const count = async (opt: tf.Optimizer) => {
      const ws = weights();
      train(opt, ws, input, 1); // slots made
      const grads = tf.variableGrads(() => loss(ws, input), ws);
      const p = await tf.profile(() => {
        opt.applyGradients(grads.grads);
        return [];
      });
      tf.dispose([grads.value, ...Object.values(grads.grads), ...ws]);
      opt.dispose();
      return p.kernels.length;
    };
    const ref = await count(tf.train.adam(0.05));
    const flat = await count(new FlatAdamOptimizer(0.05, 0.9, 0.999));
    expect(ref).to.be.at.least(14 * shapes.length);
    expect(flat).to.be.at.most(3 * shapes.length + 20);
    input.dispose();
  });
});

describe('FlatAdamOptimizer on a big net', () => {
  it('keeps tfjs per-weight update above flatLimit (no concat/split of every value)', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.zeros([flatLimit + 1])));
    const b = tf.tidy(() => tf.variable(tf.zeros([2])));
    const opt = new FlatAdamOptimizer(0.1, 0.9, 0.999);
    const p = await tf.profile(() => {
      opt.minimize(() => tf.add(tf.sum(tf.square(tf.sub(w, 1))), tf.sum(b)), true, [w, b])?.dispose();
      return [];
    });
    expect(p.kernels.map((k) => k.name)).to.not.include.members(['SplitV']);
    expect(p.kernels.map((k) => k.name)).to.not.include('Concat');
    expect((await readOptimizerState(opt, 'adam')).slots.map((s) => s.shape)).to.deep.equal([[flatLimit + 1], [2], [flatLimit + 1], [2]]);
    opt.dispose();
    tf.dispose([w, b]);
    expect(tf.memory().numTensors).to.equal(before);
  });
});
