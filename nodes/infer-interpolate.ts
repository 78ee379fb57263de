import type * as tf from '@tensorflow/tfjs';
import { tfjs } from './tfjs';
import { defineNode, int, socket, type LatentValue } from './define';
import { decodeImages, requireDecoder } from './image-result';

/** Images on the straight line between two samples' codes. */
export const interpolateInference = defineNode({
  kind: 'infer.interpolate', version: 1, title: 'Interpolate', category: 'infer',
  summary: (p) => `samples ${p.from} → ${p.to} · ${p.steps} steps`,
  inputs: { z: socket('latent'), decoder: socket('model') },
  outputs: { images: socket('metrics', { label: 'images' }) },
  params: {
    from: int({ min: 0, max: 1_000_000, default: 0, live: true, help: 'Index of the first sample.' }),
    to: int({ min: 0, max: 1_000_000, default: 1, live: true }),
    steps: int({ min: 2, max: 64, default: 8, live: true }),
  },
  infer: () => ({ outputs: { images: { type: 'metrics', of: 'images' } } }),
  // Only the two ends are encoded (not every sample).
  evalRows: (p) => [p.from, p.to],
  evaluate: async ({ z, decoder }, ctx) => {
    const model = requireDecoder(decoder, 'infer.interpolate');
    const latent = z as LatentValue;
    const codes = latent.mean ?? latent.z;
    const n = codes.shape[0];
    // The codes are those of the rows asked for (from, to) when the runtime picked them, else of every sample.
    const from = ctx.rows ? 0 : ctx.params.from;
    const to = ctx.rows ? 1 : ctx.params.to;
    for (const [name, i] of [['from', from], ['to', to]] as const) {
      if (i >= n) throw new Error(`params.${name} is ${i}, but the dataset has ${n} samples (0 to ${n - 1})`);
    }
    const line = interpolateCodes(codes, from, to, ctx.params.steps);
    try {
      return await decodeImages(model, line, { coords: await line.array(), cols: line.shape[0], rows: 1 });
    } finally {
      line.dispose();
    }
  },
});

/** `steps` codes evenly spaced from row `from` to row `to` of `codes`, both ends included. */
export function interpolateCodes(codes: tf.Tensor2D, from: number, to: number, steps: number): tf.Tensor2D {
  return tfjs.tidy(() => {
    const a = tfjs.slice(codes, [from, 0], [1, -1]);
    const b = tfjs.slice(codes, [to, 0], [1, -1]);
    const t = tfjs.div(tfjs.range(0, steps, 1, 'float32'), steps - 1).reshape([steps, 1]);
    return tfjs.add(a, tfjs.mul(t, tfjs.sub(b, a))) as tf.Tensor2D;
  });
}
