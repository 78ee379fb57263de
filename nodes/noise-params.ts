import { bool, choice, number } from './define';
import { asData, batchFrom } from './shape-helpers';
import { noiseLevel } from './level';
import type { BatchValue, NodeInstance } from './define';
import type { InferResult, NumberParam, Shape } from '../src/graph';

/** A noise level that is fixed, or drawn uniformly from [min, max] once per epoch (all live). */
export function noiseLevelParams<N extends string>(name: N, defaults: { level: number; min: number; max: number }) {
  const levels = {
    [name]: number({ min: 0, max: 1, default: defaults.level, live: true, step: 0.01, when: { mode: 'fixed' } }),
    [`${name}Min`]: number({ min: 0, max: 1, default: defaults.min, live: true, step: 0.01, label: `${name} from`, when: { mode: 'random-per-epoch' } }),
    [`${name}Max`]: number({ min: 0, max: 1, default: defaults.max, live: true, step: 0.01, label: `${name} to`, when: { mode: 'random-per-epoch' } }),
  } as Record<LevelKeys<N>, NumberParam>; // computed keys widen to string: named here once
  return {
    mode: choice({ options: ['fixed', 'random-per-epoch'], default: 'fixed', live: true, label: 'level' }),
    ...levels,
    atInference: bool({ default: true, label: 'noise when evaluating', help: 'Also corrupt the data when evaluating (fresh noise each time).' }),
  };
}

/** The level params of a noise named `N`: the fixed level, and the range a level per epoch is drawn from. */
export type LevelKeys<N extends string> = N | `${N}Min` | `${N}Max`;

/** Noise keeps the shape of what it corrupts. */
export function sameShape(inputs: Record<string, Shape | undefined>): InferResult {
  const x = asData(inputs.x);
  return { outputs: x ? { x: batchFrom(x) } : {} };
}

/**
 * Builds a weightless noise node from a corruption `(x, level, seed, params) → x̃`. It reads the level
 * every step (live params), skips the work at level 0, and passes data through unchanged when
 * evaluating with `atInference` off.
 */
export function noiseNode<V extends { atInference: boolean }>(levelName: string, corrupt: (x: BatchValue, level: number, seed: number, params: V) => BatchValue): () => NodeInstance<V> {
  return () => ({
    variables: {},
    forward: ({ x }, ctx) => {
      const input = x as BatchValue;
      if (ctx.mode === 'eval' && ctx.params.atInference === false) return { x: input };
      const level = noiseLevel(ctx.params, levelName, ctx);
      return { x: level > 0 ? corrupt(input, level, ctx.seed, ctx.params) : input };
    },
    dispose: () => {},
  });
}
