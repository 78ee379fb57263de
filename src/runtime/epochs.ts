import { deriveSeed, permutation } from './rng';

/**
 * How a run walks its data and seeds its steps: a lone run (run.ts) and the seed-batched program
 * (seed-batch.ts) both take these, so each seed of a batch sees exactly what its lone run sees.
 */

/** Steps in one epoch: one full batch, or the training samples cut into batches of `batchSize`. */
export function stepsPerEpoch(batchSize: number, trainCount: number): number {
  return batchSize > 0 && batchSize < trainCount ? Math.ceil(trainCount / batchSize) : 1;
}

/** The order a dataset's training samples are visited in in one epoch (indices into the training samples). */
export function epochOrder(trainCount: number, seed: number, datasetId: string, epoch: number): Int32Array {
  return permutation(trainCount, deriveSeed(seed, 'shuffle', datasetId, epoch));
}

/**
 * The dataset rows of step `i` of an epoch: a slice of the epoch's order, mapped through the training
 * rows when a test split holds some out (null: every row trains).
 */
export function batchRows(order: Int32Array, i: number, batchSize: number, trainRows: Int32Array | null): Int32Array {
  const idx = order.subarray(i * batchSize, Math.min((i + 1) * batchSize, order.length));
  return trainRows ? idx.map((k) => trainRows[k]!) : idx;
}

/**
 * A node's random seeds at a step: `seed` fresh each step, `epochSeed` the same for a whole epoch.
 * An evaluation passes its own `draw` instead, apart from training's steps. `base` is the node's seed
 * (`deriveSeed(runSeed, nodeId)`).
 */
export function stepSeeds(base: number, step: number, epoch: number, draw?: number): { seed: number; epochSeed: number } {
  const s = draw === undefined ? step : 1_000_000_000 + draw;
  const e = draw === undefined ? epoch : 1_000_000_000 + draw;
  return { seed: (base ^ Math.imul(s + 1, 0x9e3779b1)) >>> 1, epochSeed: (base ^ Math.imul(e + 1, 0x85ebca6b)) >>> 1 };
}
