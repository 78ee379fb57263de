import { bool, defineNode, socket } from './define';
import { expectMetrics } from './shape-helpers';

/** Each loss term over training steps. */
export const lossCurveView = defineNode({
  kind: 'view.loss-curve', version: 1, title: 'Loss curves', category: 'view',
  summary: (p) => (p.logScale === false ? 'linear axis' : 'log axis'),
  inputs: { metrics: socket('metrics') },
  outputs: {},
  params: { logScale: bool({ default: true }) },
  infer: (inputs) => ({ outputs: {}, issues: expectMetrics('metrics', inputs.metrics, 'curve') }),
});
