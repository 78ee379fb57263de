import { tfjs } from './tfjs';
import { defineNode, numberList, socket } from './define';
import { asModel } from './shape-helpers';
import { decodeImages, requireDecoder } from './image-result';

/** Decodes chosen latent points into images (what a click on the latent scatter shows). */
export const decodeInference = defineNode({
  kind: 'infer.decode', version: 1, title: 'Decode points', category: 'infer',
  summary: (p) => `${Math.floor((p.z).length / 2) || 1} point(s)`,
  inputs: { decoder: socket('model') },
  outputs: { images: socket('metrics', { label: 'images' }) },
  params: { z: numberList({ min: -1000, max: 1000, default: [0, 0], maxLength: 512 * 16, live: true, help: 'Latent coordinates, one point after another.' }) },
  infer: (inputs, p) => {
    const m = asModel(inputs.decoder)!;
    const z = p.z;
    return { outputs: { images: { type: 'metrics', of: 'images' } },
      issues: z.length % m.inputs === 0 && z.length > 0 ? [] : [{ param: 'z', message: `params.z must hold whole points of ${m.inputs} coordinates, got ${z.length} numbers` }] };
  },
  evaluate: async ({ decoder }, ctx) => {
    const model = requireDecoder(decoder, 'infer.decode');
    const flat = ctx.params.z;
    // Live edits reach here without shape inference: check again rather than decode garbage.
    if (flat.length === 0 || flat.length % model.inputs !== 0) {
      throw new Error(`params.z must hold whole points of ${model.inputs} coordinates, got ${flat.length} numbers`);
    }
    const codes = tfjs.tensor2d(flat, [flat.length / model.inputs, model.inputs]);
    try {
      return await decodeImages(model, codes, { coords: await codes.array() });
    } finally {
      codes.dispose();
    }
  },
});
