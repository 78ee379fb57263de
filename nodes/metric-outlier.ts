import { tfjs } from './tfjs';
import { defineNode, int, socket, type BatchValue } from './define';
import { asData, expectSameSize } from './shape-helpers';
import type { RankingItem, RankingResult } from './results';

/** Ranks samples by reconstruction error: the ones the model finds strangest come first. */
export const outlierMetric = defineNode({
  kind: 'metric.outlier', version: 1, title: 'Rank by error', category: 'metric',
  summary: (p) => `${p.top} worst samples`,
  inputs: { x: socket('batch', { label: 'reconstruction' }), target: socket('batch', { label: 'input' }) },
  outputs: { metrics: socket('metrics', { label: 'ranking' }) },
  params: { top: int({ min: 1, max: 1000, default: 10, live: true }) },
  infer: (inputs) => ({ outputs: { metrics: { type: 'metrics', of: 'ranking' } }, issues: expectSameSize(asData(inputs.x)!, asData(inputs.target)!) }),
  evaluate: async ({ x, target }, ctx) => rankOutliers(x as BatchValue, target as BatchValue, ctx.params.top, ctx.labels, ctx.heldOut),
});

/** The `top` samples with the largest mean squared error, worst first (ties: dataset order). */
export async function rankOutliers(x: BatchValue, target: BatchValue, top: number, labels?: string[], heldOut?: readonly number[]): Promise<RankingResult> {
  const mses = tfjs.tidy(() => tfjs.mean(tfjs.squaredDifference(x, target), 1));
  let errors: Float32Array;
  try {
    errors = (await mses.data()) as Float32Array;
  } finally {
    mses.dispose();
  }
  const order = Array.from(errors.keys()).sort((a, b) => errors[b]! - errors[a]! || a - b).slice(0, top);
  // Only the chosen rows are read back: a 60,000-sample ranking needs ten images, not all of them.
  const picked = tfjs.tidy(() => {
    const idx = tfjs.tensor1d(order, 'int32');
    return [tfjs.gather(target, idx), tfjs.gather(x, idx)] as const;
  });
  try {
    const [inputs, recons] = await Promise.all([picked[0].array(), picked[1].array()]);
    const held = new Set(heldOut);
    const items: RankingItem[] = order.map((index, k) => ({
      index, ...(labels?.[index] !== undefined ? { label: labels[index] } : {}), ...(held.has(index) ? { heldOut: true as const } : {}),
      error: errors[index]!, input: inputs[k]!, reconstruction: recons[k]!,
    }));
    return { kind: 'ranking', total: errors.length, items };
  } finally {
    picked.forEach((t) => t.dispose());
  }
}
