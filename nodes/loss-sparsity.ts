import type * as tf from '@tensorflow/tfjs';
import { tfjs } from './tfjs';
import { choice, defineNode, number, socket, type BatchValue } from './define';
import { pyCall, expr } from './python';
import { short } from './summaries';

/** L1 (or L2) penalty on activations: a sparse autoencoder. */
export const sparsityLoss = defineNode({
  kind: 'loss.sparsity', version: 1, title: 'Sparsity penalty', category: 'loss',
  summary: (p) => `${String(p.norm).toUpperCase()} · λ ${short(p.lambda)}`,
  inputs: { h: socket('batch', { label: 'activations' }) },
  outputs: { loss: socket('loss') },
  params: {
    norm: choice({ options: ['l1', 'l2'], default: 'l1', live: true, help: 'l1: λ·Σ|h|, l2: λ·Σh², summed over units, averaged over samples.' }),
    lambda: number({ min: 0, max: 10, default: 0.001, live: true, step: 0.0001, log: true }),
  },
  infer: () => ({ outputs: { loss: { type: 'loss' } } }),
  build: () => ({
    variables: {},
    forward: ({ h }, ctx) => ({ loss: { loss: activityPenalty(h as BatchValue, ctx.params.norm, ctx.params.lambda) } }),
    dispose: () => {},
  }),
  seeds: 'stacked',
  pytorch: {
    role: 'loss',
    needs: [{
      name: 'sparsity_loss',
      write: (w) => w.block('def sparsity_loss(h, norm="l1", lam=0.001)', (b) => b
        .doc('loss.sparsity: lam * (sum over units of |h|, or of h²), averaged over samples.')
        .line('per_unit = h**2 if norm == "l2" else h.abs()')
        .line('return per_unit.sum(1).mean() * lam')),
    }],
    call: (n, inputs) => pyCall('sparsity_loss', [expr(inputs.h!)], { norm: n.params.norm, lam: n.params.lambda }),
  },
});

/**
 * λ · mean over samples of (Σ_units |h| for l1, Σ_units h² for l2). Summing over units keeps λ's
 * meaning when a layer is widened (each unit costs the same), as Keras' activity regularizer does.
 */
export function activityPenalty(h: BatchValue, norm: string, lambda: number): tf.Scalar {
  return tfjs.tidy(() => {
    const perUnit = norm === 'l2' ? tfjs.square(h) : tfjs.abs(h);
    // Over the last axes only: seed-stacked activations [S, n, d] give each seed's penalty (seed batching).
    return tfjs.mul(tfjs.mean(tfjs.sum(perUnit, -1), -1), lambda) as tf.Scalar;
  });
}
