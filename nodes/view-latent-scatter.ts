import { defineNode, socket } from './define';
import { expectMetrics } from './shape-helpers';

/** Every sample's code as a labelled point; with a decoder, a click decodes that point. */
export const latentScatterView = defineNode({
  kind: 'view.latent-scatter', version: 1, title: 'Latent scatter', category: 'view',
  inputs: { points: socket('metrics'), decoder: socket('model', { optional: true }) },
  outputs: {},
  params: {},
  infer: (inputs) => ({ outputs: {}, issues: expectMetrics('points', inputs.points, 'points') }),
});
