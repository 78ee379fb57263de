import { own } from '../graph';
import type { LossSeries, MetricsBatch } from '../runtime/types';

/** One line of the loss chart: values aligned to the chart's x (null where it has no point). */
export interface CurveSeries {
  name: string;
  values: (number | null)[];
  /** Index into the palette: a test line takes its training line's colour. */
  colour: number;
  test: boolean;
  /** Few points: draw them as dots too. */
  sparse: boolean;
  /** The total over several terms: drawn under them (`lineLook`), as it nearly coincides with the largest. */
  under: boolean;
}

/**
 * The loss history as uPlot's aligned data: one x (every step that has a training or test point)
 * and a line per series — the total, each term when there are several, and the same for the test
 * loss. On a log axis a value that is not positive has no place and becomes a gap.
 */
export function curveData(h: MetricsBatch, termNames: Record<string, string>, log: boolean): { x: number[]; series: CurveSeries[] } {
  const x = mergeSorted(h.steps, h.test?.steps ?? []);
  const index = new Map(x.map((s, i) => [s, i]));
  const termIds = Object.keys(h.terms);
  const lines = (s: LossSeries, test: boolean): CurveSeries[] => {
    const prefix = test ? 'test ' : '';
    const line = (name: string, values: number[], colour: number, under = false): CurveSeries => {
      const aligned: (number | null)[] = new Array(x.length).fill(null);
      s.steps.forEach((step, i) => {
        const v = values[i];
        if (v !== undefined && Number.isFinite(v) && (!log || v > 0)) aligned[index.get(step)!] = v;
      });
      return { name: prefix + name, values: aligned, colour, test, sparse: s.steps.length < 60, under };
    };
    if (termIds.length <= 1) return [line('loss', s.total, 0)];
    return [line('total', s.total, 0, true), ...termIds.map((id, k) => line(own(termNames, id) ?? id, own(s.terms, id) ?? [], k + 1))];
  };
  return { x, series: [...lines(h, false), ...(h.test?.steps.length ? lines(h.test, true) : [])] };
}

/** The union of two ascending lists, ascending, without repeats. */
function mergeSorted(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (out.length === 0 || out[out.length - 1]! < next) out.push(next);
  }
  return out;
}
