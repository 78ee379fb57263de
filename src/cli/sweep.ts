/**
 * `latentflow train FILE --sweep NODE.PARAM=V1,V2,... [--sweep ...] --seeds N`: one run per value
 * (or pair of values, with two sweeps) and seed, in turn, each exactly the run `latentflow train` makes
 * with that value and seed; then mean ± std of the losses and metrics per value, the best marked.
 */
import type { GraphDoc, Json } from '../graph';
import { registry } from '../../nodes';
import { compile, type Plan } from '../runtime';
import { meanStd, metricScalars } from '../runtime/seeds';
import type { CliIO } from './io';

/** One swept param and the values it takes. */
export interface Sweep { node: string; param: string; values: unknown[] }

/** Splits `a,b,[1,2],"x,y"` at the commas outside brackets and quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of text) {
    if (ch === '"' ) quoted = !quoted;
    if (!quoted && (ch === '[' || ch === '{')) depth++;
    if (!quoted && (ch === ']' || ch === '}')) depth--;
    if (ch === ',' && depth === 0 && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim());
}

/** Reads `enc.units=[64],[128]` (values as JSON; a bare word is a string). */
export function parseSweep(spec: string): Sweep | string {
  const m = /^([^=]+)\.([A-Za-z0-9_]+)=(.+)$/s.exec(spec);
  if (!m) return `--sweep needs NODE.PARAM=VALUE,VALUE,... (e.g. enc.units=[64],[128]), got ${JSON.stringify(spec)}`;
  const values: unknown[] = [];
  for (const part of splitTopLevel(m[3]!)) {
    if (part === '') return `--sweep ${m[1]}.${m[2]}: an empty value in ${JSON.stringify(m[3])}`;
    try {
      values.push(JSON.parse(part));
    } catch {
      if (/^[A-Za-z][\w-]*$/.test(part)) values.push(part);
      else return `--sweep ${m[1]}.${m[2]}: cannot read the value ${JSON.stringify(part)} (give numbers, lists like [64], or words)`;
    }
  }
  return { node: m[1]!, param: m[2]!, values };
}

/** The graph with one combination of swept values, checked: the doc, or the problem in words. */
export function sweptPlan(doc: GraphDoc, sweeps: readonly Sweep[], combo: readonly unknown[]): Plan | string {
  const copy = structuredClone(doc);
  for (const [i, s] of sweeps.entries()) {
    const node = copy.nodes.find((n) => n.id === s.node);
    if (!node) return `--sweep: no node "${s.node}" in the graph`;
    if (!Object.hasOwn(registry.get(node.kind)?.params ?? {}, s.param)) return `--sweep: node "${s.node}" (${node.kind}) has no param ${s.param}`;
    node.params = { ...(node.params as Record<string, unknown>), [s.param]: combo[i] } as typeof node.params;
  }
  const c = compile(copy, registry);
  if (!c.ok) return `--sweep ${label(sweeps, combo)}: ${c.problems.find((p) => p.severity === 'error')?.message ?? 'the graph does not compile'}`;
  return c.plan;
}

/** Every combination of the swept values (the first sweep outermost). */
export function combinations(sweeps: readonly Sweep[]): unknown[][] {
  return sweeps.reduce<unknown[][]>((acc, s) => acc.flatMap((c) => s.values.map((v) => [...c, v])), [[]]);
}

/** `enc.units=[64]` (and `, code.dim=2` with a second sweep). */
export function label(sweeps: readonly Sweep[], combo: readonly unknown[]): string {
  return sweeps.map((s, i) => `${s.node}.${s.param}=${JSON.stringify(combo[i])}`).join(', ');
}

export interface SweepRun { seed: number; status: string; loss: { total: number | null }; testLoss: { total: number | null } | null; metrics: Record<string, Json> }

/** Mean ± std per statistic of a value's runs (loss, test loss, every scalar metric). */
export function summarize(runs: readonly SweepRun[]): Record<string, { mean: number; std: number }> {
  const out: Record<string, { mean: number; std: number }> = { loss: meanStd(runs.map((r) => r.loss.total ?? NaN)) };
  if (runs.some((r) => r.testLoss)) out['test loss'] = meanStd(runs.map((r) => r.testLoss?.total ?? NaN));
  const scalars = runs.map((r) => metricScalars(r.metrics));
  for (const k of new Set(scalars.flatMap((s) => Object.keys(s)))) out[k] = meanStd(scalars.map((s) => s[k] ?? NaN));
  return out;
}

/**
 * Trains every combination × seed in turn with `trainOnce` (the same call a lone `train` run makes) and
 * reports each run, then mean ± std per combination with the best (lowest test loss, else loss) marked.
 * Returns the exit status, or a usage message when a sweep cannot be applied.
 */
export async function runSweep<R extends SweepRun>(o: {
  file: string; doc: GraphDoc; specs: readonly string[]; seeds: number; firstSeed: number; json: boolean; io: CliIO; stopped: () => boolean;
  trainOnce: (plan: Plan, seed: number) => Promise<R>;
}): Promise<number | string> {
  const sweeps: Sweep[] = [];
  for (const spec of o.specs) {
    const s = parseSweep(spec);
    if (typeof s === 'string') return s;
    sweeps.push(s);
  }
  if (sweeps.length > 2) return 'sweep one or two params at a time';
  const combos = combinations(sweeps);
  const plans: Plan[] = [];
  for (const combo of combos) {
    const plan = sweptPlan(o.doc, sweeps, combo);
    if (typeof plan === 'string') return plan;
    plans.push(plan);
  }
  const runs: (R & { values: Record<string, unknown> })[] = [];
  const groups: { label: string; values: Record<string, unknown>; runs: R[] }[] = [];
  for (const [i, combo] of combos.entries()) {
    const values = Object.fromEntries(sweeps.map((s, k) => [`${s.node}.${s.param}`, combo[k]]));
    const group = { label: label(sweeps, combo), values, runs: [] as R[] };
    groups.push(group);
    for (let k = 0; k < o.seeds && !o.stopped(); k++) {
      const r = await o.trainOnce(plans[i]!, o.firstSeed + k);
      group.runs.push(r);
      runs.push({ values, ...r });
      if (!o.json) o.io.out(`${group.label}, seed ${r.seed}: ${r.status}, loss ${r.loss.total?.toPrecision(5) ?? '–'}${r.testLoss ? `, test loss ${r.testLoss.total?.toPrecision(5) ?? '–'}` : ''}`);
    }
  }
  const summary = groups.filter((g) => g.runs.length).map((g) => ({ label: g.label, values: g.values, runs: g.runs.length, stats: summarize(g.runs) }));
  const by = summary.some((s) => s.stats['test loss']) ? 'test loss' : 'loss';
  const best = summary.reduce<(typeof summary)[number] | null>((b, s) => (!b || (s.stats[by]?.mean ?? Infinity) < (b.stats[by]?.mean ?? Infinity) ? s : b), null);
  if (o.json) {
    o.io.out(JSON.stringify({ file: o.file, sweep: sweeps, seeds: o.seeds, runs, summary, best: best ? { by, label: best.label, values: best.values } : null }));
  } else {
    o.io.out('');
    for (const s of summary) {
      const stats = Object.entries(s.stats).map(([k, v]) => `${k} ${v.mean.toPrecision(4)} ± ${v.std.toPrecision(2)}`).join(', ');
      o.io.out(`${s === best ? '*' : ' '} ${s.label}: ${stats} (${s.runs} seed${s.runs === 1 ? '' : 's'})`);
    }
    if (best) o.io.out(`* best by mean ${by}`);
  }
  return runs.some((r) => r.status === 'failed') ? 1 : 0;
}
