/** A run's weights to and from plain data (`NamedWeights`): read back, loaded where names and shapes fit. */
import * as tf from '@tensorflow/tfjs';
import { dict, own } from '../graph';
import type { NodeInstance } from '../../nodes/define';
import type { NamedWeights } from './types';

/** Every node's weights, read back (keyed by node id, then tensor name; see graph/names.ts). */
export async function readWeights(instances: ReadonlyMap<string, NodeInstance>): Promise<NamedWeights> {
  const out: NamedWeights = dict();
  for (const [id, inst] of instances) {
    const vars = Object.entries(inst.variables);
    if (!vars.length) continue;
    out[id] = dict();
    for (const [name, v] of vars) out[id][name] = { shape: [...v.shape], values: (await v.data()) as Float32Array };
  }
  return out;
}

/** Loads weights into the variables whose node id, name and shape match; says what was loaded and what not, and why. */
export function applyWeights(instances: ReadonlyMap<string, NodeInstance>, weights: NamedWeights): { loaded: string[]; skipped: string[] } {
  const loaded: string[] = [];
  const skipped: string[] = [];
  for (const [id, inst] of instances) {
    for (const [name, v] of Object.entries(inst.variables)) {
      const w = own(own(weights, id), name);
      const label = `${id}/${name}`;
      if (!w) continue;
      const size = v.shape.reduce((a, b) => a * b, 1);
      if (w.shape.length !== v.shape.length || w.shape.some((d, i) => d !== v.shape[i]) || w.values.length !== size) {
        skipped.push(`${label}: shape [${w.shape.join(', ')}] does not fit [${v.shape.join(', ')}]`);
        continue;
      }
      tf.tidy(() => v.assign(tf.tensor(w.values, v.shape)));
      loaded.push(label);
    }
  }
  for (const id of Object.keys(weights)) if (!instances.has(id)) skipped.push(`${id}: no such node in this graph`);
  return { loaded, skipped };
}
