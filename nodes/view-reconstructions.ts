import { defineNode, int, socket } from './define';

/** Originals, noisy inputs and reconstructions side by side. */
export const reconstructionsView = defineNode({
  kind: 'view.reconstructions', version: 1, title: 'Reconstructions', category: 'view',
  inputs: { x: socket('batch', { label: 'reconstruction' }), target: socket('batch', { label: 'original' }), noisy: socket('batch', { optional: true, label: 'noisy input' }) },
  outputs: {},
  params: { count: int({ min: 1, max: 256, default: 32 }) },
  infer: () => ({ outputs: {} }),
});
