import { dict } from '../graph';
import type { LossSeries, MetricsBatch } from './types';

// Terms are keyed by loss node ids: null-prototype records (see graph/names.ts).
export const emptySeries = (): LossSeries => ({ steps: [], epochs: [], total: [], terms: dict() });

function copySeries(s: LossSeries): LossSeries {
  return { steps: [...s.steps], epochs: [...s.epochs], total: [...s.total], terms: dict(Object.entries(s.terms).map(([k, v]) => [k, [...v]])) };
}

/** Appends `b` to `into`; past `maxPoints` it keeps every other point (and the last) so long runs stay small. */
function appendSeries(into: LossSeries, b: LossSeries, maxPoints: number): LossSeries {
  into.steps.push(...b.steps);
  into.epochs.push(...b.epochs);
  into.total.push(...b.total);
  for (const [k, v] of Object.entries(b.terms)) (into.terms[k] ??= []).push(...v); // `into` is ours: a dict
  if (into.steps.length <= maxPoints) return into;
  const keep = (_: unknown, i: number) => i % 2 === 1 || i === into.steps.length - 1;
  return {
    steps: into.steps.filter(keep), epochs: into.epochs.filter(keep), total: into.total.filter(keep),
    terms: dict(Object.entries(into.terms).map(([k, v]) => [k, v.filter(keep)])),
  };
}

/** Keeps the loss history (training and test), halving its resolution past a bound. */
export function historyStore(maxPoints = 20_000) {
  let train = emptySeries();
  let test: LossSeries | null = null;
  return {
    append(b: MetricsBatch): void {
      train = appendSeries(train, b, maxPoints);
      if (b.test) test = appendSeries(test ?? emptySeries(), b.test, maxPoints);
    },
    get(): MetricsBatch {
      return test ? { ...copySeries(train), test: copySeries(test) } : copySeries(train);
    },
  };
}

/** A deep copy of a history (views keep their own and append to it). */
export function copyHistory(h: MetricsBatch): MetricsBatch {
  return h.test ? { ...copySeries(h), test: copySeries(h.test) } : copySeries(h);
}

