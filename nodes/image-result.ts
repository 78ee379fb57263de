import type * as tf from '@tensorflow/tfjs';
import { tfjs } from './tfjs';
import type { ModelValue } from './define';
import type { ImagesResult } from './results';

/**
 * Decodes latent codes with a decoder (evaluation mode) into an images result. Pixels are clipped
 * to [0, 1] because a decoder with a linear output may overshoot and views draw bytes.
 */
export async function decodeImages(decoder: ModelValue, codes: tf.Tensor2D, extra: Partial<ImagesResult> = {}): Promise<ImagesResult> {
  const out = tfjs.tidy(() => tfjs.clipByValue(decoder.apply(codes, 'eval'), 0, 1) as tf.Tensor2D);
  try {
    const pixels = await out.array();
    const image = decoder.image ? [decoder.image[0], decoder.image[1], decoder.image[2]] as [number, number, number] : null;
    return { kind: 'images', image, count: pixels.length, pixels, ...extra };
  } finally {
    out.dispose();
  }
}

/** The decoder on a model socket, or a clear error when it is missing. */
export function requireDecoder(value: unknown, nodeKind: string): ModelValue {
  const m = value as ModelValue | undefined;
  if (!m || typeof m.apply !== 'function') throw new Error(`${nodeKind} needs a decoder connected to its "decoder" input`);
  return m;
}
