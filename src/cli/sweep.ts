/**
 * `latentflow train FILE --sweep NODE.PARAM=V1,V2,... [--sweep ...] --seeds N`: one run per value
 * (or pair of values, with two sweeps) and seed, each the run `latentflow train --seeds N` makes with
 * that value (the seeds of a value as one program where seed batching allows, else in turn); then
 * mean ± std of the losses and metrics per value, the best marked.
 */
import type { GraphDoc } from '../graph';
import type { Plan } from '../runtime';
import { registry } from '../../nodes';
import { label, parseSweep, summarize, sweepCombinations, sweptPlan, type Sweep, type SweepRun } from '../runtime/sweep';
import type { CliIO } from './io';
import type { SeedBatchChoice } from '../runtime/seed-batch';

export { parseSweep, summarize };

/**
 * Trains the seeds of every combination with `trainSeeds` (the call `train --seeds` makes) and reports
 * each run, then mean ± std per combination with the best (lowest test loss, else loss) marked, and how
 * its seeds trained (`seedBatch`). Returns the exit status, or a usage message when a sweep cannot be applied.
 */
export async function runSweep<R extends SweepRun>(o: {
  file: string; doc: GraphDoc; specs: readonly string[]; seeds: number; firstSeed: number; json: boolean; io: CliIO; stopped: () => boolean;
  /** Trains the seeds of one swept plan, reporting each run. */
  trainSeeds: (plan: Plan, report: (r: R) => void) => Promise<void>;
  /** How the seeds of a plan train (as one program or in turn, and why); undefined for one seed. */
  seedBatch: (plan: Plan) => SeedBatchChoice | undefined;
}): Promise<number | string> {
  const sweeps: Sweep[] = [];
  for (const spec of o.specs) {
    const s = parseSweep(spec);
    if (typeof s === 'string') return s;
    sweeps.push(s);
  }
  const combos = sweepCombinations(sweeps, o.seeds);
  if (typeof combos === 'string') return combos;
  const plans: Plan[] = [];
  for (const combo of combos) {
    const plan = sweptPlan(o.doc, sweeps, combo, registry);
    if (typeof plan === 'string') return plan;
    plans.push(plan.plan);
  }
  const runs: (R & { values: Record<string, unknown> })[] = [];
  const groups: { label: string; values: Record<string, unknown>; runs: R[]; seedBatch?: SeedBatchChoice }[] = [];
  for (const [i, combo] of combos.entries()) {
    if (o.stopped()) break;
    const values = Object.fromEntries(sweeps.map((s, k) => [`${s.node}.${s.param}`, combo[k]]));
    const seedBatch = o.seedBatch(plans[i]!);
    const group = { label: label(sweeps, combo), values, runs: [] as R[], ...(seedBatch ? { seedBatch } : {}) };
    groups.push(group);
    await o.trainSeeds(plans[i]!, (r) => {
      group.runs.push(r);
      runs.push({ values, ...r });
      if (!o.json) o.io.out(`${group.label}, seed ${r.seed}: ${r.status}, loss ${r.loss.total?.toPrecision(5) ?? '–'}${r.testLoss ? `, test loss ${r.testLoss.total?.toPrecision(5) ?? '–'}` : ''}`);
    });
  }
  const summary = groups.filter((g) => g.runs.length)
    .map((g) => ({ label: g.label, values: g.values, runs: g.runs.length, stats: summarize(g.runs), ...(g.seedBatch ? { seedBatch: g.seedBatch } : {}) }));
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
