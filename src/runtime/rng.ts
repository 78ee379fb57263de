import { mulberry32 } from '../../nodes/level';
import { hashString } from '../graph';

/** Seeds and small deterministic random helpers: everything random in a run derives from its seed. */

/** FNV-1a (one definition, in the graph layer: structure hashes use it too). */
export { hashString };

/** A seed for one purpose, derived from the run seed and any labels (node id, step, ...). */
export function deriveSeed(seed: number, ...parts: (string | number)[]): number {
  let h = hashString(String(seed));
  for (const p of parts) h = hashString(`${h}:${p}`);
  // tfjs seeds are used as numbers by seedrandom: keep them positive and well inside 2^31.
  return h % 2_147_483_647;
}

/** The seeded PRNG the node kinds use (mulberry32): one generator for the whole project. */
export { mulberry32 };

/** A seeded permutation of 0..n-1 (Fisher-Yates). */
export function permutation(n: number, seed: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  const rand = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}
