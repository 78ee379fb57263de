// loss.sparsity: hand-checked values, live λ and norm, gradients, leaks.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { sparsityLoss, activityPenalty } from '../../nodes/loss-sparsity';
import type { BatchValue, LossValue } from '../../nodes/define';
import { buildNode, leakedBy, stepContext, useCpu } from './tf-helpers';

describe('loss.sparsity', () => {
  before(useCpu);
  const h = () => tf.tensor2d([[1, -2, 0], [0.5, 0, -0.5]]) as BatchValue;

  it('L1: λ · mean over samples of Σ|h| over units', async () => {
    const node = buildNode(sparsityLoss);
    const x = h();
    const { loss } = node.forward({ h: x }, stepContext(sparsityLoss, { params: { norm: 'l1', lambda: 0.5 } })).loss as LossValue;
    expect(loss.shape).to.deep.equal([]);
    expect((await loss.data())[0]).to.be.closeTo(0.5 * ((3 + 1) / 2), 1e-6);
    tf.dispose([x, loss]);
  });

  it('L2: λ · mean over samples of Σh² over units', async () => {
    const x = h();
    const loss = activityPenalty(x, 'l2', 2);
    expect((await loss.data())[0]).to.be.closeTo(2 * ((1 + 4 + 0) + (0.25 + 0.25)) / 2, 1e-6);
    tf.dispose([x, loss]);
  });

  it('reads λ live at every step', async () => {
    const node = buildNode(sparsityLoss);
    const x = h();
    const at = async (lambda: number) => {
      const { loss } = node.forward({ h: x }, stepContext(sparsityLoss, { params: { lambda } })).loss as LossValue;
      const v = (await loss.data())[0]!;
      loss.dispose();
      return v;
    };
    expect(await at(0)).to.equal(0);
    expect(await at(1)).to.be.closeTo(2, 1e-6);
    x.dispose();
  });

  it('sends gradients to the activations and the weights that made them', async () => {
    const w = tf.variable(tf.tensor2d([[1, -1], [2, 0.5]]));
    const input = tf.tensor2d([[1, 1], [0.5, -1]]);
    const node = buildNode(sparsityLoss);
    const { grads, value } = tf.variableGrads(() => {
      const act = tf.matMul(input, w) as BatchValue;
      return (node.forward({ h: act }, stepContext(sparsityLoss, { params: { norm: 'l2', lambda: 1 } })).loss as LossValue).loss;
    }, [w]);
    const g = (await grads[w.name]!.array()) as number[][];
    // d/dW mean_i Σ_j (xW)_ij² = (2/n) xᵀ(xW)
    const xw = [[3, -0.5], [-1.5, -1]];
    const x = [[1, 1], [0.5, -1]];
    const expected = [0, 1].map((r) => [0, 1].map((c) => (2 / 2) * (x[0]![r]! * xw[0]![c]! + x[1]![r]! * xw[1]![c]!)));
    g.forEach((row, r) => row.forEach((v, c) => expect(v).to.be.closeTo(expected[r]![c]!, 1e-5)));
    expect(g.flat().some((v) => v !== 0)).to.equal(true);
    tf.dispose([w, input, value, ...Object.values(grads)]);
  });

  it('leaves no tensors behind inside tidy', async () => {
    const node = buildNode(sparsityLoss);
    const x = h();
    expect(await leakedBy(() => tf.tidy(() => { node.forward({ h: x }, stepContext(sparsityLoss)); }))).to.equal(0);
    x.dispose();
  });
});
