import { defineNode, int, socket } from './define';
import { expectMetrics } from './shape-helpers';

/** Images in a grid: a latent traversal, an interpolation strip, samples. */
export const imageGridView = defineNode({
  kind: 'view.image-grid', version: 1, title: 'Image grid', category: 'view',
  summary: (p) => `up to ×${p.scale}`,
  inputs: { images: socket('metrics') },
  outputs: {},
  params: { scale: int({ min: 1, max: 16, default: 3, label: 'enlarge up to', help: 'the largest enlargement of each image, in whole pixels: a bigger view draws the images no larger than this (a smaller one shrinks them to fit).' }) },
  infer: (inputs) => ({ outputs: {}, issues: expectMetrics('images', inputs.images, 'images') }),
});
