/**
 * Parameter sweeps: which params take which values, every combination of them, the graph with one
 * combination applied and checked, and mean ± std per combination. Used by `latentflow train --sweep`
 * and the app's Sweep panel.
 */
import { nodeTitle, paramLabel, type GraphDoc, type Json, type TypedCatalog } from '../graph';
import type { NodeKind } from '../../nodes/define';
import { compile, type Plan } from './compile';
import { metricScalars, summarizeSeeds, type SeedStat } from './seeds';
import type { RunState } from './types';

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
  // The param is what follows the last dot before '=' (a node's title may hold dots; a param's label holds spaces).
  const m = /^([^=]+)\.([^.=]+)=(.+)$/s.exec(spec);
  if (!m) return `a sweep needs NODE.PARAM=VALUE,VALUE,... (e.g. enc.units=[64],[128]), got ${JSON.stringify(spec)}`;
  const values: unknown[] = [];
  for (const part of splitTopLevel(m[3]!)) {
    if (part === '') return `sweep ${m[1]}.${m[2]}: an empty value in ${JSON.stringify(m[3])}`;
    try {
      values.push(JSON.parse(part));
    } catch {
      if (/^[A-Za-z][\w-]*$/.test(part)) values.push(part);
      else return `sweep ${m[1]}.${m[2]}: cannot read the value ${JSON.stringify(part)} (give numbers, lists like [64], or words)`;
    }
  }
  return { node: m[1]!.trim(), param: m[2]!.trim(), values };
}

/** The graph with one combination of swept values: its plan and doc, or the problem in words. */
export function sweptPlan(doc: GraphDoc, sweeps: readonly Sweep[], combo: readonly unknown[], catalog: TypedCatalog<NodeKind>): { plan: Plan; doc: GraphDoc } | string {
  const copy = structuredClone(doc);
  for (const [i, s] of sweeps.entries()) {
    const node = sweptNode(copy, s.node, catalog);
    if (typeof node === 'string') return node;
    const params = catalog.get(node.kind)?.params ?? {};
    const key = Object.hasOwn(params, s.param) ? s.param : Object.keys(params).find((k) => sameWords(paramLabel(k, params[k]!), s.param));
    if (key === undefined) return `node "${node.id}" (${node.kind}) has no param ${s.param}: its params are ${Object.keys(params).map((k) => `${k} (${paramLabel(k, params[k]!)})`).join(', ')}`;
    node.params = { ...(node.params as Record<string, unknown>), [key]: combo[i] } as typeof node.params;
  }
  const c = compile(copy, catalog);
  if (!c.ok) return `sweep ${label(sweeps, combo)}: ${c.problems.find((p) => p.severity === 'error')?.message ?? 'the graph does not compile'}`;
  return { plan: c.plan, doc: copy };
}

/** Equal up to case and runs of spaces ("Learning  rate" and "learning rate"). */
const sameWords = (a: string, b: string) => a.trim().toLowerCase().replace(/\s+/g, ' ') === b.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * The node a sweep names: by its id, else by the title the canvas shows it under (one node with that
 * title: "Trainer.lr" as well as "train.lr"); or why not, listing the nodes by id and title.
 */
function sweptNode(doc: GraphDoc, name: string, catalog: TypedCatalog<NodeKind>): GraphDoc['nodes'][number] | string {
  const nodes = doc.nodes.filter((n) => catalog.get(n.kind)?.category !== 'note');
  const byId = nodes.find((n) => n.id === name);
  if (byId) return byId;
  const title = (n: GraphDoc['nodes'][number]) => nodeTitle(n, catalog);
  const titled = nodes.filter((n) => sameWords(title(n), name));
  if (titled.length === 1) return titled[0]!;
  if (titled.length > 1) return `${titled.length} nodes are titled "${name}": name one by its id (${titled.map((n) => n.id).join(', ')})`;
  return `no node "${name}" in the graph: its nodes are ${nodes.map((n) => `${n.id} (${title(n)})`).join(', ')}`;
}

/** Every combination of the swept values (the first sweep outermost). */
export function combinations(sweeps: readonly Sweep[]): unknown[][] {
  return sweeps.reduce<unknown[][]>((acc, s) => acc.flatMap((c) => s.values.map((v) => [...c, v])), [[]]);
}

/** Most runs (combinations × seeds) one sweep may ask for: each is a whole training run, and each combination a graph compiled first. */
export const maxSweepRuns = 1000;

/**
 * The combinations to run, or why not: one or two sweeps, at most `maxSweepRuns` runs with the seeds,
 * counted before any combination is made (issue 13: two sweeps of 600 values made 360,000 graphs
 * before training one, and Node died out of memory after 95 s and 4.3 GB).
 */
export function sweepCombinations(sweeps: readonly Sweep[], seeds: number): unknown[][] | string {
  if (sweeps.length === 0 || sweeps.length > 2) return 'sweep one or two params at a time';
  const runs = sweeps.reduce((n, s) => n * s.values.length, seeds);
  if (runs > maxSweepRuns) {
    return `the sweep would train ${runs.toLocaleString('en-US')} runs (${sweeps.map((s) => `${s.values.length.toLocaleString('en-US')} values`).join(' × ')} × ${seeds} seed${seeds === 1 ? '' : 's'}); at most ${maxSweepRuns.toLocaleString('en-US')}`;
  }
  return combinations(sweeps);
}

/** `enc.units=[64]` (and `, code.dim=2` with a second sweep). */
export function label(sweeps: readonly Sweep[], combo: readonly unknown[]): string {
  return sweeps.map((s, i) => `${s.node}.${s.param}=${JSON.stringify(combo[i])}`).join(', ');
}

export interface SweepRun { seed: number; status: string; loss: { total: number | null }; testLoss: { total: number | null } | null; metrics: Record<string, Json> }

/**
 * Mean ± std per statistic of a value's runs (loss, test loss, every scalar metric): the seed summary
 * the app's Compare seeds uses, so a failed seed is left out of a mean instead of making it NaN.
 */
export function summarize(runs: readonly SweepRun[]): Record<string, SeedStat> {
  return summarizeSeeds(runs.map((r) => ({
    seed: r.seed, state: r.status as RunState, steps: 0, seconds: 0,
    loss: r.loss.total, testLoss: r.testLoss?.total ?? null, scalars: metricScalars(r.metrics),
  })));
}

