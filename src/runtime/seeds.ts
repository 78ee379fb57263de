import { dict, type Json } from '../graph';
import type { LossSeries, MetricsBatch, Run, RunState } from './types';

/** One finished run of a seed comparison: its final losses and the numbers its metric nodes reported. */
export interface SeedRun {
  seed: number;
  state: RunState;
  reason?: string;
  steps: number;
  seconds: number;
  /** The last total loss, and the last test loss when the trainer holds samples out. */
  loss: number | null;
  testLoss: number | null;
  /** `metricNode.field` → value, e.g. `errors.max`, `errors.exact`. */
  scalars: Record<string, number>;
}

/** A seed's result with what it came from: its loss history and its metric nodes' results (the CLI reports them). */
export interface SeedRunDetail extends SeedRun {
  epoch: number;
  history: MetricsBatch;
  metrics: Record<string, Json>;
}

/** Mean, sample standard deviation and range of one number over the runs that have it. */
export interface SeedStat { mean: number; std: number; min: number; max: number; n: number }

/** Mean and sample standard deviation (n − 1; 0 for a single value). */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return { mean, std };
}

/**
 * The top-level numbers of metric results (a pixel-error node's max and mean...), keyed
 * `node.field`; a pixel-error result also gives `exact`, how many samples have no wrong pixel.
 */
export function metricScalars(metrics: Record<string, Json>): Record<string, number> {
  const out: Record<string, number> = dict(); // keyed by node ids (see graph/names.ts)
  for (const [id, r] of Object.entries(metrics)) {
    if (!r || typeof r !== 'object' || Array.isArray(r)) continue;
    for (const [k, v] of Object.entries(r)) if (typeof v === 'number' && Number.isFinite(v)) out[`${id}.${k}`] = v;
    const per = (r as Record<string, Json>).perSample;
    if ((r as Record<string, Json>).kind === 'pixel-errors' && Array.isArray(per)) out[`${id}.exact`] = per.filter((x) => x === 0).length;
  }
  return out;
}

/** Every number the runs report (losses and metric scalars), summarised over the runs that have it. */
export function summarizeSeeds(runs: readonly SeedRun[]): Record<string, SeedStat> {
  const values = new Map<string, number[]>();
  const add = (k: string, v: number | null) => {
    if (v === null || !Number.isFinite(v)) return;
    values.set(k, [...(values.get(k) ?? []), v]);
  };
  for (const r of runs) {
    add('loss', r.loss);
    add('test loss', r.testLoss);
    for (const [k, v] of Object.entries(r.scalars)) add(k, v);
  }
  return dict([...values].map(([k, xs]) => [k, { ...meanStd(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length }]));
}

const last = (s: LossSeries | undefined) => s?.total.at(-1) ?? null;

export interface CompareSeedsOptions {
  /** Metric nodes to evaluate at the end of each run. */
  metricNodes: readonly string[];
  /** Stops after the run in progress (which is stopped too). */
  signal?: AbortSignal;
  /** Each run as it starts (to follow its progress), with its index. */
  onRun?: (run: Run, index: number, seed: number) => void;
  /** Each run's result as soon as it is known. */
  onResult?: (result: SeedRunDetail) => void;
  now?: () => number;
}

/**
 * Trains one run per seed, one after another (they would only compete for the same device), and
 * reports each run's final losses and metrics. `start(seed)` makes the run (in-process or in a
 * Worker); each is disposed before the next begins, so memory stays flat.
 */
export async function compareSeeds(seeds: readonly number[], start: (seed: number) => Promise<Run>, options: CompareSeedsOptions): Promise<SeedRunDetail[]> {
  const now = options.now ?? (() => (typeof performance !== 'undefined' ? performance.now() : Date.now()));
  const runs: SeedRunDetail[] = [];
  for (const [i, seed] of seeds.entries()) {
    if (options.signal?.aborted) break;
    const run = await start(seed);
    const stop = () => void run.stop();
    options.signal?.addEventListener('abort', stop, { once: true });
    // Aborted while the run was being made: it still ends at once.
    if (options.signal?.aborted) stop();
    try {
      options.onRun?.(run, i, seed);
      const t0 = now();
      await run.start();
      const status = await run.finished;
      const h = run.history();
      const metrics: Record<string, Json> = dict();
      if (status.state !== 'failed') for (const id of options.metricNodes) metrics[id] = await run.evaluate(id);
      const result: SeedRunDetail = {
        seed, state: status.state, reason: status.reason, steps: status.step, epoch: status.epoch, seconds: (now() - t0) / 1000,
        loss: last(h), testLoss: last(h.test), scalars: metricScalars(metrics), history: h, metrics,
      };
      runs.push(result);
      options.onResult?.(result);
    } finally {
      options.signal?.removeEventListener('abort', stop);
      await run.dispose();
    }
  }
  return runs;
}
