import type { Params } from '../src/graph';
import type { StepContext } from './define';

/** A seeded PRNG (mulberry32) returning floats in [0, 1); the runtime uses it too (shuffles). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The noise level for this step: the fixed value, or one drawn uniformly from [min, max] with the
 * epoch's seed, so it changes from epoch to epoch and stays put within one (the course's "random p").
 */
export function noiseLevel(params: Params, name: string, ctx: Pick<StepContext, 'epochSeed'>): number {
  if (params.mode !== 'random-per-epoch') return params[name] as number;
  const a = params[`${name}Min`] as number;
  const b = params[`${name}Max`] as number;
  // A min above the max is read as the same range, not as an error in the middle of a run.
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  return lo + (hi - lo) * mulberry32(ctx.epochSeed)();
}
