import { defineNode, socket } from './define';
import { expectMetrics } from './shape-helpers';

/** Pixel errors per sample, and how many samples have each count. */
export const pixelErrorHistogramView = defineNode({
  kind: 'view.pixel-error-histogram', version: 1, title: 'Pixel-error histogram', category: 'view',
  inputs: { metrics: socket('metrics') },
  outputs: {},
  params: {},
  infer: (inputs) => ({ outputs: {}, issues: expectMetrics('metrics', inputs.metrics, 'pixel-errors') }),
});
