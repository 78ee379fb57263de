import { tfjs } from './tfjs';
import { defineNode, int, socket, type BatchValue } from './define';
import { pixelErrors } from './metric-pixel-error';
import type { ReconstructionsResult } from './results';

/** What counts as a wrong pixel here: the same threshold as the pixel-error metric's default. */
const threshold = 0.5;

/** Originals, noisy inputs and reconstructions side by side. */
export const reconstructionsView = defineNode({
  kind: 'view.reconstructions', version: 1, title: 'Reconstructions', category: 'view',
  summary: (p) => `first ${p.count}`,
  inputs: { x: socket('batch', { label: 'reconstruction' }), target: socket('batch', { label: 'original' }), noisy: socket('batch', { optional: true, label: 'noisy input' }) },
  outputs: {},
  params: { count: int({ min: 1, max: 256, default: 32 }) },
  infer: () => ({ outputs: {} }),
  // One evaluation for all three rows, so the reconstructions are of the very noisy inputs shown.
  evaluate: async ({ x, target, noisy }, ctx): Promise<ReconstructionsResult> => {
    const recon = x as BatchValue, original = target as BatchValue;
    const n = Math.min(Number(ctx.params.count) || 32, recon.shape[0], original.shape[0]);
    const errors = await pixelErrors(recon, original, threshold);
    const rows = async (t: BatchValue) => {
      const head = tfjs.tidy(() => t.slice([0, 0], [n, t.shape[1]]));
      try { return (await head.array()) as number[][]; } finally { head.dispose(); }
    };
    const shape = ctx.inputShapes?.target ?? ctx.inputShapes?.x;
    const image = shape && 'image' in shape && shape.image ? [...shape.image] as [number, number, number] : null;
    return {
      kind: 'reconstructions', image, threshold,
      originals: await rows(original),
      ...(noisy ? { noisy: await rows(noisy as BatchValue) } : {}),
      reconstructions: await rows(recon),
      wrong: errors.perSample.slice(0, n),
      ...(ctx.labels ? { labels: ctx.labels.slice(0, n) } : {}),
    };
  },
});
