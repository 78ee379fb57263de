import type { DataShape, InferIssue, InferResult, LatentShape, MetricsOf, ModelShape, Shape } from '../src/graph';

/** Trainable parameters of a chain of dense layers (kernel + bias each). */
export function denseParamCount(inputs: number, units: readonly number[]): number {
  let count = 0;
  let prev = inputs;
  for (const u of units) {
    count += prev * u + u;
    prev = u;
  }
  return count;
}

export const asData = (s: Shape | undefined): DataShape | undefined => (s && (s.type === 'batch' || s.type === 'dataset') ? s : undefined);
export const asLatent = (s: Shape | undefined): LatentShape | undefined => (s?.type === 'latent' ? s : undefined);
export const asModel = (s: Shape | undefined): ModelShape | undefined => (s?.type === 'model' ? s : undefined);

/** The batch shape a data input carries on, tagged with where it came from. */
export function batchFrom(x: DataShape): DataShape {
  return { type: 'batch', features: x.features, image: x.image, origin: x.origin ?? { features: x.features, image: x.image }, samples: x.samples };
}

const metricsSources: Record<MetricsOf, string> = {
  curve: 'a trainer',
  points: 'infer.encode',
  images: 'an image node (infer.decode, grid, interpolate or sample)',
  'pixel-errors': 'metric.pixel-error',
  ranking: 'metric.outlier',
};

/** Checks that a metrics input carries what a view draws. */
export function expectMetrics(socket: string, shape: Shape | undefined, of: MetricsOf): InferIssue[] {
  if (!shape || shape.type !== 'metrics' || shape.of === of) return [];
  return [{ socket, message: `input "${socket}" shows ${of} (from ${metricsSources[of]}), but it is connected to ${shape.of}` }];
}

/** Checks that a reconstruction and its target have the same size, blaming the node that made it. */
export function expectSameSize(x: DataShape, target: DataShape): InferIssue[] {
  if (x.features === target.features) return [];
  return [{ blameUpstreamOf: 'x', socket: 'x',
    message: `gives ${x.features} values per sample, but the target has ${target.features}; a decoder must give back the input size (set its output size to ${target.features}, or leave it empty to match)` }];
}

export const noOutputs = (): InferResult => ({ outputs: {} });
