import { tfjs } from './tfjs';
import { defineNode, number, socket, type BatchValue } from './define';
import { asData, expectSameSize } from './shape-helpers';
import type { PixelErrorsResult } from './results';
import { short } from './summaries';

/** Per sample, the pixels with |x̂ − x| > threshold ("píxeles de error"), their max and histogram. */
export const pixelErrorMetric = defineNode({
  kind: 'metric.pixel-error', version: 1, title: 'Pixel errors', category: 'metric',
  summary: (p) => `wrong if off by > ${short(p.threshold)}`,
  inputs: { x: socket('batch', { label: 'reconstruction' }), target: socket('batch', { label: 'clean target' }) },
  outputs: { metrics: socket('metrics', { label: 'pixel errors' }) },
  params: { threshold: number({ min: 0, max: 1, default: 0.5, step: 0.05 }) },
  infer: (inputs) => ({ outputs: { metrics: { type: 'metrics', of: 'pixel-errors' } }, issues: expectSameSize(asData(inputs.x)!, asData(inputs.target)!) }),
  evaluate: async ({ x, target }, ctx) => pixelErrors(x as BatchValue, target as BatchValue, ctx.params.threshold, ctx.labels, ctx.heldOut),
});

/** Mean and max wrong pixels of the held-out samples and of the trained ones (nothing without a split). */
function splitSummary(perSample: number[], heldOut?: readonly number[]): Partial<PixelErrorsResult> {
  const out = new Set((heldOut ?? []).filter((i) => i < perSample.length));
  if (!out.size || out.size === perSample.length) return {};
  const stats = (xs: number[]) => ({ mean: xs.reduce((a, b) => a + b, 0) / xs.length, max: xs.reduce((a, b) => Math.max(a, b), 0) });
  const held = stats(perSample.filter((_, i) => out.has(i)));
  const trained = stats(perSample.filter((_, i) => !out.has(i)));
  return { heldOut: [...out].sort((a, b) => a - b), meanHeldOut: held.mean, maxHeldOut: held.max, meanTrained: trained.mean, maxTrained: trained.max };
}

/** Counts wrong pixels per sample and summarises them; reads the tensors back without disposing them. */
export async function pixelErrors(x: BatchValue, target: BatchValue, threshold: number, labels?: string[], heldOut?: readonly number[]): Promise<PixelErrorsResult> {
  const [counts, mses] = tfjs.tidy(() => {
    const diff = tfjs.sub(x, target);
    return [tfjs.sum(tfjs.cast(tfjs.greater(tfjs.abs(diff), threshold), 'int32'), 1), tfjs.mean(tfjs.square(diff), 1)];
  });
  try {
    const perSample = Array.from(await counts.data() as Int32Array);
    const mse = Array.from(await mses.data() as Float32Array);
    const max = perSample.reduce((a, b) => Math.max(a, b), 0);
    const histogram = Array.from({ length: max + 1 }, (_, errors) => ({ errors, count: 0 }));
    for (const c of perSample) histogram[c]!.count++;
    const mean = perSample.length ? perSample.reduce((a, b) => a + b, 0) / perSample.length : 0;
    return { kind: 'pixel-errors', threshold, perSample, ...(labels ? { labels } : {}), max, mean, histogram, mse, ...splitSummary(perSample, heldOut) };
  } finally {
    counts.dispose();
    mses.dispose();
  }
}
