/**
 * What the seed comparison and the sweep show of runs: which numbers are compared (losses and metric
 * measurements, not a metric's settings), their names for people, and how a number is written.
 */
import type { SeedRun } from '../runtime/seeds';

/** Metric fields by what they mean (pixel-error and outlier results). */
const fieldNames: Record<string, string> = {
  exact: 'exact samples', max: 'max wrong pixels', mean: 'mean wrong pixels', threshold: 'threshold',
  meanHeldOut: 'mean wrong, held out', maxHeldOut: 'max wrong, held out', meanTrained: 'mean wrong, trained', maxTrained: 'max wrong, trained',
  total: 'samples ranked',
};

/** The numbers compared over runs: the loss, the test loss when held out, each metric's measurements. */
export function columnsOf(runs: readonly SeedRun[]): string[] {
  const keys = new Set<string>(['loss']);
  if (runs.some((r) => r.testLoss !== null)) keys.add('test loss');
  // A metric's settings (its threshold) and sizes are the same in every run: not compared.
  for (const r of runs) for (const k of Object.keys(r.scalars)) if (!/\.(threshold|total)$/.test(k)) keys.add(k);
  return [...keys];
}

/** A run's value of one of `columnsOf`'s numbers. */
export function valueOf(r: SeedRun, key: string): number | null {
  if (key === 'loss') return r.loss;
  if (key === 'test loss') return r.testLoss;
  return r.scalars[key] ?? null;
}

/** A number in three significant digits (exponent form when very large or small); '–' when there is none. */
export function format(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1000 || Math.abs(v) < 0.001 ? v.toExponential(2) : v.toPrecision(3);
}

/** A number's name for people: "Pixel errors: exact samples" for `errors.exact`, given the metric nodes' names. */
export function statName(key: string, names: Readonly<Record<string, string>>): string {
  const dot = key.indexOf('.');
  if (dot < 0) return key;
  const node = key.slice(0, dot), field = key.slice(dot + 1);
  return `${names[node] ?? node}: ${fieldNames[field] ?? field}`;
}
