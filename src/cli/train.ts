import * as tf from '@tensorflow/tfjs';
import { dict, formatProblem, hasErrors, loadGraph, type Json } from '../graph';
import { registry } from '../../nodes';
import { Subscription } from 'rxjs';
import { compareSeeds, compile, createRun, backendThreads, type BackendName, type LossSeries, type Plan, type Progress, type SeedStat } from '../runtime';
import { trainerParams } from '../../nodes/train-optimizer';
import { nodeIO } from '../runtime/io-node';
import { seedBatchRefusal, seedBatchSlower, trainSeedBatch, type SeedBatchChoice } from '../runtime/seed-batch';
import { runSweep, summarize } from './sweep';
import { exitCodes, printLines, type CliIO } from './io';
import { backendOption, onlyOnce, trainerRange, wholeNumber } from './args';
import { readGraphText } from './validate';
import { errorMessage } from '../lib/error-message';

export const trainUsage = `Usage: latentflow train FILE [--epochs N] [--seed S] [--seeds N [--batch-seeds]] [--sweep NODE.PARAM=V1,V2,...] [--backend wasm|cpu|webgpu] [--json]

Trains a graph file in Node, as the app would, and prints the final loss terms and every metric
node's result. --seeds N trains N runs (seeds S, S+1, ...) and reports mean ± std across them; they
train together as one program where every node can and that is faster (a GPU backend; wasm when every
layer is small, as in the font AEs), else one after another, saying why; --batch-seeds trains them as
one program on any backend (the same results either way).
--sweep enc.units=[64],[128] trains once per value and seed (a second --sweep: every pair; each value's
seeds as --seeds trains them) and reports mean ± std per value, the best marked. --json prints one JSON
object instead. Ctrl-C stops cleanly and still reports.`;

interface TrainArgs { file: string; epochs?: number; seed?: number; seeds: number; batchSeeds: boolean; backend: BackendName; json: boolean; sweeps: string[] }

function parse(args: string[]): TrainArgs | string {
  const out: Partial<TrainArgs> = { seeds: 1, batchSeeds: false, backend: 'wasm', json: false, sweeps: [] };
  try {
    const once = onlyOnce(['--sweep']);
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a.startsWith('--')) once(a);
      if (a === '--epochs') out.epochs = wholeNumber(args[++i], '--epochs', trainerRange('epochs'));
      else if (a === '--seed') out.seed = wholeNumber(args[++i], '--seed', trainerRange('seed'));
      else if (a === '--seeds') out.seeds = wholeNumber(args[++i], '--seeds', { min: 1, max: maxSeeds });
      else if (a === '--json') out.json = true;
      else if (a === '--batch-seeds') out.batchSeeds = true;
      else if (a === '--sweep') {
        if (args[i + 1] === undefined) throw new Error('--sweep needs NODE.PARAM=VALUE,VALUE,...');
        out.sweeps!.push(args[++i]!);
      }
      else if (a === '--backend') out.backend = backendOption(args[++i]);
      else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
      else if (out.file) throw new Error('give one graph file');
      else out.file = a;
    }
  } catch (e) {
    return errorMessage(e);
  }
  if (out.seed !== undefined && out.seed + out.seeds! - 1 > trainerRange('seed').max) return `--seed ${out.seed} with --seeds ${out.seeds} goes past the largest seed, ${trainerRange('seed').max}`;
  return out.file ? (out as TrainArgs) : 'give a graph file to train';
}

/** Most runs one `--seeds` may ask for. */
const maxSeeds = 1000;

const fmt = (s: number) => (s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(0)}s`);

function progressLine(p: Progress, loss: number | undefined): string {
  const width = 24;
  const done = Math.min(width, Math.round((p.step / p.totalSteps) * width));
  return `[${'#'.repeat(done)}${'.'.repeat(width - done)}] epoch ${p.epoch}/${p.epochs}  ${p.samplesPerSec.toFixed(0)} samples/s  ETA ${fmt(p.etaSeconds)}${loss === undefined ? '' : `  loss ${loss.toPrecision(4)}`}`;
}

interface RunResult {
  seed: number; status: string; reason?: string; backend: string | null; epochs: number; steps: number; seconds: number;
  /** Threads the backend computed with (wasm: 1 in Node; null on a GPU). */
  threads: number | null;
  loss: LastLoss;
  /** The loss on the held-out samples at the last measurement (null without a test split). */
  testLoss: LastLoss | null;
  metrics: Record<string, Json>;
  numTensors: { before: number; after: number };
}

/** ` (2 threads)` where more than one thread computes. */
const threadsNote = (n: number | null) => (n && n > 1 ? ` (${n} threads)` : '');

interface LastLoss { total: number | null; terms: Record<string, number | null> }

function lastLoss(s: LossSeries): LastLoss {
  return { total: s.total.at(-1) ?? null, terms: dict(Object.entries(s.terms).map(([k, v]) => [k, v.at(-1) ?? null])) };
}

function describeLoss(name: string, l: LastLoss): string {
  const terms = Object.entries(l.terms);
  return `${name} ${l.total?.toPrecision(5) ?? '–'}${terms.length > 1 ? ` (${terms.map(([k, v]) => `${k} ${v?.toPrecision(4)}`).join(', ')})` : ''}`;
}

/**
 * How the seeds of a plan train: as one program when every node can (seed-batch.ts) and it is the
 * faster way on this backend (or --batch-seeds asks for it), else one after another, and why.
 */
function seedBatchFor(plan: Plan, a: TrainArgs): SeedBatchChoice | undefined {
  if (a.seeds < 2) return undefined;
  const slower = a.batchSeeds ? null : seedBatchSlower(a.backend, plan);
  const refusal = seedBatchRefusal(plan, a.seeds) ?? (slower && `${slower} (--batch-seeds trains them as one program anyway)`);
  return refusal ? { batched: false, reason: refusal } : { batched: true };
}

/** The --seeds of a plan from `firstSeed`, trained as `seedBatchFor` says; `report` hears each run. */
async function trainSeeds(plan: Plan, a: TrainArgs, firstSeed: number, io: CliIO, stopSignal: AbortSignal, report: (r: RunResult) => void): Promise<void> {
  const how = seedBatchFor(plan, a);
  if (how?.batched) {
    for (const r of await trainSeedsTogether(plan, a, firstSeed, io, stopSignal)) report(r);
    return;
  }
  if (how && !a.json) io.err(`seeds run one after another: ${how.reason}`);
  await trainInTurn(plan, a, Array.from({ length: a.seeds }, (_, i) => firstSeed + i), io, stopSignal, report);
}

/**
 * The seeds trained one after another by `compareSeeds` (the loop the app's Compare seeds runs), each
 * with a progress line on a terminal; `onResult` gets each as it ends. Tensor counts are taken before the
 * first run and after the last one is freed.
 */
async function trainInTurn(plan: Plan, a: TrainArgs, seeds: readonly number[], io: CliIO, stopSignal: AbortSignal, onResult?: (r: RunResult) => void): Promise<RunResult[]> {
  const before = tf.memory().numTensors;
  const trainer = trainerParams(plan.byId.get(plan.trainerId!)!.params);
  const tty = !a.json && process.stderr.isTTY;
  let backend: string | null = null;
  let progress: Subscription | null = null;
  const results: RunResult[] = [];
  await compareSeeds(seeds, async (seed) => createRun(plan, { io: nodeIO(), backend: a.backend, seed, epochs: a.epochs }), {
    metricNodes: plan.nodes.filter((x) => x.kind.category === 'metric').map((n) => n.id),
    signal: stopSignal,
    onRun: (run, _i, seed) => {
      let last: number | undefined;
      progress = new Subscription();
      progress.add(run.metrics$.subscribe((b) => (last = b.total.at(-1))));
      if (tty) progress.add(run.progress$.subscribe((p) => p && process.stderr.write(`\r${progressLine(p, last)}\x1b[K`)));
      progress.add(run.status$.subscribe((st) => {
        backend = run.backend;
        if (!a.json && st.state === 'running' && st.step === 0) io.err(`training on ${run.backend}${threadsNote(backendThreads())} (seed ${seed}, ${a.epochs ?? trainer.epochs} epochs)…`);
      }));
    },
    onResult: (r) => {
      progress?.unsubscribe();
      if (tty) process.stderr.write('\r\x1b[K');
      const result: RunResult = {
        seed: r.seed, status: r.state, reason: r.reason, backend, threads: backendThreads(), epochs: r.epoch, steps: r.steps, seconds: r.seconds,
        loss: lastLoss(r.history), testLoss: r.history.test ? lastLoss(r.history.test) : null, metrics: r.metrics, numTensors: { before, after: before },
      };
      results.push(result);
      onResult?.(result);
    },
  });
  const after = tf.memory().numTensors;
  for (const r of results) r.numTensors.after = after;
  return results;
}

/** The seeds `firstSeed`, `firstSeed + 1`, ... trained as one program (seed-batch.ts), each reported as its lone run would be. */
async function trainSeedsTogether(plan: Plan, a: TrainArgs, firstSeed: number, io: CliIO, stopSignal: AbortSignal): Promise<RunResult[]> {
  const before = tf.memory().numTensors;
  const seeds = Array.from({ length: a.seeds }, (_, i) => firstSeed + i);
  const tty = !a.json && process.stderr.isTTY;
  const trainer = plan.byId.get(plan.trainerId!)!;
  if (!a.json) io.err(`training seeds ${seeds[0]}–${seeds.at(-1)} together as one program on ${a.backend}${threadsNote(backendThreads())} (${a.epochs ?? trainer.params.epochs} epochs)…`);
  const batch = await trainSeedBatch(plan, seeds, {
    io: nodeIO(), backend: a.backend, epochs: a.epochs, signal: stopSignal,
    metricNodes: plan.nodes.filter((x) => x.kind.category === 'metric').map((n) => n.id),
    onProgress: tty ? (p) => process.stderr.write(`\r${progressLine(p, undefined)}\x1b[K`) : undefined,
  });
  if (tty) process.stderr.write('\r\x1b[K');
  if (batch.rerunAlone.length && !a.json) io.err(`seeds ${batch.rerunAlone.join(', ')} stopped being finite in the batch and were trained again alone`);
  const after = tf.memory().numTensors;
  return batch.runs.map((r) => ({
    seed: r.seed, status: r.state, reason: r.reason, backend: batch.backend, threads: backendThreads(), epochs: r.epoch, steps: r.steps, seconds: r.seconds,
    loss: lastLoss(r.history), testLoss: r.history.test ? lastLoss(r.history.test) : null, metrics: r.metrics, numTensors: { before, after },
  }));
}

function describeMetric(id: string, r: Json): string {
  if (!r || typeof r !== 'object' || Array.isArray(r)) return `${id}: ${JSON.stringify(r)}`;
  const o = r as Record<string, Json>;
  if (o.kind === 'pixel-errors' && Array.isArray(o.perSample)) {
    const per = o.perSample as number[];
    const wrong = per.filter((x) => x > 0).length;
    const split = typeof o.meanHeldOut === 'number' ? `; held out: mean ${o.meanHeldOut.toFixed(3)}, max ${o.maxHeldOut} (trained: mean ${Number(o.meanTrained).toFixed(3)}, max ${o.maxTrained})` : '';
    return `${id}: max ${o.max} wrong pixels, mean ${Number(o.mean).toFixed(3)}; ${per.length - wrong} of ${per.length} samples exact${split}`;
  }
  const nums = Object.entries(o).filter(([, v]) => typeof v === 'number').map(([k, v]) => `${k} ${v}`);
  return `${id}: ${String(o.kind ?? 'result')}${nums.length ? ` (${nums.join(', ')})` : ''}`;
}

/** `latentflow train FILE ...` */
export async function train(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    printLines(io.out, trainUsage);
    return exitCodes.ok;
  }
  const a = parse(args);
  if (typeof a === 'string') {
    io.err(`latentflow train: ${a}`);
    printLines(io.err, trainUsage);
    return exitCodes.usage;
  }
  const read = await readGraphText(a.file);
  if ('unreadable' in read) {
    io.err(`${a.file}: cannot read: ${read.unreadable}`);
    return exitCodes.usage;
  }
  const { doc, problems } = 'problem' in read ? { doc: null, problems: [read.problem] } : loadGraph(read.text, registry);
  const compiled = doc && !hasErrors(problems) ? compile(doc, registry) : null;
  const all = compiled && !compiled.ok ? compiled.problems : problems;
  for (const p of all.filter((q) => q.severity === 'error' || !a.json)) io.err(`${a.file}: ${formatProblem(p)}`);
  if (!compiled || !compiled.ok) return exitCodes.problems;
  const plan = compiled.plan;
  if (!plan.trainerId) {
    io.err(`${a.file}: the graph has no trainer node: nothing to train`);
    return exitCodes.problems;
  }

  const stop = new AbortController();
  const onSigint = () => {
    if (stop.signal.aborted) process.exit(130);
    if (!a.json) printLines(io.err, '\nstopping… (Ctrl-C again to quit at once)');
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  const firstSeed = a.seed ?? trainerParams(plan.byId.get(plan.trainerId)!.params).seed;
  const results: RunResult[] = [];
  if (a.sweeps.length) {
    try {
      const status = await runSweep({ file: a.file, doc: doc!, specs: a.sweeps, seeds: a.seeds, firstSeed, json: a.json, io,
        stopped: () => stop.signal.aborted, seedBatch: (p) => seedBatchFor(p, a),
        trainSeeds: (p, report) => trainSeeds(p, a, firstSeed, io, stop.signal, report) });
      if (typeof status !== 'string') return stop.signal.aborted ? 130 : status;
      io.err(`latentflow train: ${status}`);
      return exitCodes.usage;
    } finally {
      process.off('SIGINT', onSigint);
    }
  }
  const seedBatch = seedBatchFor(plan, a);
  const report = (r: RunResult) => {
    results.push(r);
    if (a.json) return;
    io.out(`seed ${r.seed}: ${r.status}${r.backend ? ` on ${r.backend}` : ''} — ${r.reason ?? ''} in ${r.seconds.toFixed(1)} s${seedBatch?.batched ? ' (all seeds together)' : ''}`);
    io.out(`  ${describeLoss('loss', r.loss)}`);
    if (r.testLoss) io.out(`  ${describeLoss('test loss', r.testLoss)}`);
    for (const [id, m] of Object.entries(r.metrics)) io.out(`  ${describeMetric(id, m)}`);
  };
  try {
    await trainSeeds(plan, a, firstSeed, io, stop.signal, report);
  } finally {
    process.off('SIGINT', onSigint);
  }
  const summary = results.length > 1 ? summarize(results) : dict<SeedStat>();
  if (results.length > 1) {
    if (!a.json) for (const [k, v] of Object.entries(summary)) io.out(`${k}: ${v.mean.toPrecision(4)} ± ${v.std.toPrecision(2)} over ${v.n} seeds`);
  }
  if (a.json) {
    const one = results[0]!;
    io.out(JSON.stringify(results.length === 1
      ? { file: a.file, ...one }
      : { file: a.file, backend: one.backend, threads: one.threads, seedBatch, runs: results, summary }));
  }
  const failed = results.some((r) => r.status === 'failed');
  return stop.signal.aborted ? 130 : failed ? exitCodes.problems : exitCodes.ok;
}
