import * as tf from '@tensorflow/tfjs';
import type { Value } from '../../nodes/define';

/** Every tensor inside node values (batches, latent parts, losses). */
export function collectTensors(values: Record<string, Value | undefined>): tf.Tensor[] {
  const out: tf.Tensor[] = [];
  for (const v of Object.values(values)) {
    if (!v) continue;
    if (v instanceof tf.Tensor) out.push(v);
    else for (const part of Object.values(v)) if (part instanceof tf.Tensor) out.push(part);
  }
  return out;
}
