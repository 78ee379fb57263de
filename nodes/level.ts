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
export function noiseLevel(params: Readonly<Record<string, unknown>>, name: string, ctx: Pick<StepContext, 'epochSeed'>): number {
  if (params.mode !== 'random-per-epoch') return levelParam(params, name);
  const a = levelParam(params, `${name}Min`);
  const b = levelParam(params, `${name}Max`);
  // A min above the max is read as the same range, not as an error in the middle of a run.
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  return lo + (hi - lo) * mulberry32(ctx.epochSeed)();
}

/**
 * A noise level param, read by the name the kind gave its level (`p`, `sigma`, `pMin`...): the one
 * place params are read by a computed name, so it checks what the declaration promises.
 */
export function levelParam(params: Readonly<Record<string, unknown>>, key: string): number {
  const v = params[key];
  if (typeof v !== 'number') throw new Error(`the noise level "${key}" is ${JSON.stringify(v) ?? 'missing'}, not a number`);
  return v;
}
