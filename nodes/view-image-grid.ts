import { defineNode, int, socket } from './define';
import { expectMetrics } from './shape-helpers';

/** Images in a grid: a latent traversal, an interpolation strip, samples. */
export const imageGridView = defineNode({
  kind: 'view.image-grid', version: 1, title: 'Image grid', category: 'view',
  summary: (p) => `×${p.scale}`,
  inputs: { images: socket('metrics') },
  outputs: {},
  params: { scale: int({ min: 1, max: 16, default: 3 }) },
  infer: (inputs) => ({ outputs: {}, issues: expectMetrics('images', inputs.images, 'images') }),
});
