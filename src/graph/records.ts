import { dict } from './names';

/**
 * The records a training run produces and the library keeps: loss histories, weights, checkpoints.
 * Plain data (typed arrays at most), owned here so that the runtime (which makes them), the store (which
 * keeps them in IndexedDB and bundles) and the UI (which draws them) share one definition.
 */

/** Loss values by step: the total and each term, keyed by loss node id. */
export interface LossSeries {
  steps: number[];
  epochs: number[];
  total: number[];
  terms: Record<string, number[]>;
}

/**
 * Loss values of consecutive steps, read back in one batch. `test` holds the loss on the held-out
 * samples (the trainer's `testSplit`), measured after the last step of an epoch (`steps` says which).
 */
export interface MetricsBatch extends LossSeries {
  test?: LossSeries;
}

/**
 * An optimizer's state, so a resumed run continues where it stopped instead of restarting Adam's
 * moments (or momentum's velocity): the step count and each slot tensor, in the run's variable order.
 */
export interface OptimizerState {
  optimizer: string;
  iterations: number;
  slots: { shape: number[]; values: Float32Array }[];
}

/** Weights by node id, then variable name (e.g. `enc` → `dense0/kernel`). */
export type NamedWeights = Record<string, Record<string, { shape: number[]; values: Float32Array }>>;

export interface Checkpoint {
  step: number;
  epoch: number;
  weights: NamedWeights;
  history: MetricsBatch;
  /** The optimizer's state, so a resume continues the same optimisation (absent in older checkpoints). */
  optimizer?: OptimizerState;
}

/**
 * A deep copy of weights into fresh, unshared buffers (backends may hand out their own storage, and a
 * copy may be transferred to or from a Worker). Keyed by names from files: null-prototype records
 * (src/graph/names.ts).
 */
export function copyWeights(weights: NamedWeights): NamedWeights {
  return dict(Object.entries(weights).map(([node, vars]) =>
    [node, dict(Object.entries(vars).map(([name, w]) => [name, { shape: [...w.shape], values: new Float32Array(w.values) }]))]));
}

/** Whether two sets of weights hold the same nodes, names, shapes and values (a checkpoint of the weights at hand). */
export function sameWeights(a: NamedWeights, b: NamedWeights): boolean {
  const nodes = Object.keys(a);
  if (nodes.length !== Object.keys(b).length) return false;
  return nodes.every((node) => {
    const [x, y] = [a[node]!, b[node]];
    if (!y || Object.keys(x).length !== Object.keys(y).length) return false;
    return Object.entries(x).every(([name, w]) => {
      const v = y[name];
      return !!v && v.shape.join() === w.shape.join() && v.values.length === w.values.length && v.values.every((z, i) => z === w.values[i]);
    });
  });
}
