import { deriveSeed, permutation } from './rng';

/**
 * A trainer's test split of a dataset of n samples: the held-out and the training indices, each
 * ascending, drawn with the run seed (the same split on every backend, and in an exported project).
 * At least one sample is held out when a split is asked for, and never all; null without a split.
 */
export function testSplit(n: number, split: number, seed: number, datasetId: string): { train: Int32Array; test: Int32Array } | null {
  if (!(split > 0) || n < 2) return null;
  const count = Math.min(n - 1, Math.max(1, Math.round(n * split)));
  const order = permutation(n, deriveSeed(seed, 'test-split', datasetId));
  return { test: order.slice(0, count).sort(), train: order.slice(count).sort() };
}
