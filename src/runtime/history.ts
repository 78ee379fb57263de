import type { MetricsBatch } from './types';

/** Keeps the loss history, halving its resolution past a bound so long runs stay small. */
export function historyStore(maxPoints = 20_000) {
  let h: MetricsBatch = { steps: [], epochs: [], total: [], terms: {} };
  return {
    append(b: MetricsBatch): void {
      h.steps.push(...b.steps);
      h.epochs.push(...b.epochs);
      h.total.push(...b.total);
      for (const [k, v] of Object.entries(b.terms)) (h.terms[k] ??= []).push(...v);
      if (h.steps.length > maxPoints) {
        const keep = (_: unknown, i: number) => i % 2 === 1 || i === h.steps.length - 1;
        h = {
          steps: h.steps.filter(keep), epochs: h.epochs.filter(keep), total: h.total.filter(keep),
          terms: Object.fromEntries(Object.entries(h.terms).map(([k, v]) => [k, v.filter(keep)])),
        };
      }
    },
    get(): MetricsBatch {
      return { steps: [...h.steps], epochs: [...h.epochs], total: [...h.total], terms: Object.fromEntries(Object.entries(h.terms).map(([k, v]) => [k, [...v]])) };
    },
  };
}
