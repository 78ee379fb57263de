import type * as tf from '@tensorflow/tfjs';
import { tfjs } from './tfjs';
import { defineNode, int, number, socket } from './define';
import { decodeImages, requireDecoder } from './image-result';
import { joined, short } from './summaries';

/** New images from codes drawn from N(0, I) (a VAE's prior). */
export const sampleInference = defineNode({
  kind: 'infer.sample', version: 1, title: 'Sample new', category: 'infer',
  summary: (p) => joined(`${p.count} samples`, Number(p.temperature) !== 1 && `T ${short(p.temperature)}`),
  inputs: { decoder: socket('model') },
  outputs: { images: socket('metrics', { label: 'images' }) },
  params: {
    count: int({ min: 1, max: 256, default: 16, live: true }),
    temperature: number({ min: 0, max: 5, default: 1, live: true, help: 'Scales the standard deviation of the drawn codes.' }),
  },
  infer: () => ({ outputs: { images: { type: 'metrics', of: 'images' } } }),
  evaluate: async ({ decoder }, ctx) => {
    const model = requireDecoder(decoder, 'infer.sample');
    const count = ctx.params.count;
    // z ~ N(0, temperature²·I), seeded by the step so a re-evaluation at the same step repeats.
    const z: tf.Tensor2D = tfjs.randomNormal([count, model.inputs], 0, ctx.params.temperature, 'float32', ctx.seed);
    try {
      return await decodeImages(model, z, { coords: await z.array() });
    } finally {
      z.dispose();
    }
  },
});
