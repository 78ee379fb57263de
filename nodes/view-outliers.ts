import { defineNode, socket } from './define';
import { expectMetrics } from './shape-helpers';

/** The samples with the largest reconstruction error, worst first. */
export const outlierRankingView = defineNode({
  kind: 'view.outliers', version: 1, title: 'Outlier ranking', category: 'view',
  inputs: { metrics: socket('metrics') },
  outputs: {},
  params: {},
  infer: (inputs) => ({ outputs: {}, issues: expectMetrics('metrics', inputs.metrics, 'ranking') }),
});
