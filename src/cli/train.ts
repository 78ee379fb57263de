import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { formatProblem, hasErrors, loadGraph, type Json } from '../graph';
import { registry } from '../../nodes';
import { compile, createRun, backendNames, backendThreads, type BackendName, type LossSeries, type Plan, type Progress } from '../runtime';
import { nodeIO } from '../runtime/io-node';
import { meanStd, metricScalars } from '../runtime/seeds';
import { exitCodes, type CliIO } from './io';

export const trainUsage = `Usage: latentflow train FILE [--epochs N] [--seed S] [--seeds N] [--backend wasm|cpu|webgpu] [--json]

Trains a graph file in Node, as the app would, and prints the final loss terms and every metric
node's result. --seeds N trains N runs (seeds S, S+1, ...) and reports mean ± std across them.
--json prints one JSON object instead. Ctrl-C stops cleanly and still reports.`;

interface TrainArgs { file: string; epochs?: number; seed?: number; seeds: number; backend: BackendName; json: boolean }

function parse(args: string[]): TrainArgs | string {
  const out: Partial<TrainArgs> = { seeds: 1, backend: 'wasm', json: false };
  const int = (v: string | undefined, name: string, min: number) => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < min) throw new Error(`${name} needs an integer of at least ${min}, got ${v ?? 'nothing'}`);
    return n;
  };
  try {
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '--epochs') out.epochs = int(args[++i], '--epochs', 1);
      else if (a === '--seed') out.seed = int(args[++i], '--seed', 0);
      else if (a === '--seeds') out.seeds = int(args[++i], '--seeds', 1);
      else if (a === '--json') out.json = true;
      else if (a === '--backend') {
        const b = args[++i];
        if (!backendNames.includes(b as BackendName)) throw new Error(`--backend must be one of ${backendNames.join(', ')}, got ${b ?? 'nothing'}`);
        out.backend = b as BackendName;
      } else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
      else if (out.file) throw new Error('give one graph file');
      else out.file = a;
    }
  } catch (e) {
    return (e as Error).message;
  }
  return out.file ? (out as TrainArgs) : 'give a graph file to train';
}

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
  return { total: s.total.at(-1) ?? null, terms: Object.fromEntries(Object.entries(s.terms).map(([k, v]) => [k, v.at(-1) ?? null])) };
}

function describeLoss(name: string, l: LastLoss): string {
  const terms = Object.entries(l.terms);
  return `${name} ${l.total?.toPrecision(5) ?? '–'}${terms.length > 1 ? ` (${terms.map(([k, v]) => `${k} ${v?.toPrecision(4)}`).join(', ')})` : ''}`;
}

async function trainOnce(plan: Plan, a: TrainArgs, seed: number | undefined, io: CliIO, stopSignal: AbortSignal): Promise<RunResult> {
  const before = tf.memory().numTensors;
  const run = createRun(plan, { io: nodeIO(), backend: a.backend, seed, epochs: a.epochs });
  const tty = !a.json && process.stderr.isTTY;
  let last: number | undefined;
  run.metrics$.subscribe((b) => (last = b.total.at(-1)));
  const sub = tty ? run.progress$.subscribe((p) => p && process.stderr.write(`\r${progressLine(p, last)}\x1b[K`)) : null;
  const onStop = () => void run.stop();
  stopSignal.addEventListener('abort', onStop);
  const t0 = performance.now();
  if (!a.json) {
    run.status$.subscribe((st) => {
      if (st.state === 'running' && st.step === 0) io.err(`training on ${run.backend}${threadsNote(backendThreads())} (seed ${seed ?? plan.byId.get(plan.trainerId!)!.params.seed}, ${a.epochs ?? plan.byId.get(plan.trainerId!)!.params.epochs} epochs)…`);
    });
  }
  await run.start();
  const status = await run.finished;
  const seconds = (performance.now() - t0) / 1000;
  sub?.unsubscribe();
  if (tty) process.stderr.write('\r\x1b[K');
  stopSignal.removeEventListener('abort', onStop);
  const h = run.history();
  const metrics: Record<string, Json> = {};
  if (status.state !== 'failed') {
    for (const n of plan.nodes.filter((x) => x.kind.category === 'metric')) metrics[n.id] = await run.evaluate(n.id);
  }
  const result: RunResult = {
    seed: seed ?? ((plan.byId.get(plan.trainerId ?? '')?.params.seed as number | undefined) ?? 1), status: status.state, reason: status.reason, backend: run.backend, threads: backendThreads(),
    epochs: status.epoch, steps: status.step, seconds,
    loss: lastLoss(h), testLoss: h.test ? lastLoss(h.test) : null,
    metrics, numTensors: { before, after: 0 },
  };
  await run.dispose();
  result.numTensors.after = tf.memory().numTensors;
  void io;
  return result;
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
    io.out(trainUsage);
    return exitCodes.ok;
  }
  const a = parse(args);
  if (typeof a === 'string') {
    io.err(`latentflow train: ${a}`);
    io.err(trainUsage);
    return exitCodes.usage;
  }
  let text: string;
  try {
    text = await readFile(a.file, 'utf8');
  } catch (e) {
    io.err(`${a.file}: cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    return exitCodes.usage;
  }
  const { doc, problems } = loadGraph(text, registry);
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
    if (!a.json) io.err('\nstopping… (Ctrl-C again to quit at once)');
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  const firstSeed = a.seed ?? ((plan.byId.get(plan.trainerId)!.params.seed as number) ?? 1);
  const results: RunResult[] = [];
  try {
    for (let i = 0; i < a.seeds && !stop.signal.aborted; i++) {
      const seed = a.seeds > 1 || a.seed !== undefined ? firstSeed + i : undefined;
      const r = await trainOnce(plan, a, seed, io, stop.signal);
      results.push(r);
      if (!a.json) {
        io.out(`seed ${r.seed}: ${r.status} on ${r.backend} — ${r.reason ?? ''} in ${r.seconds.toFixed(1)} s`);
        io.out(`  ${describeLoss('loss', r.loss)}`);
        if (r.testLoss) io.out(`  ${describeLoss('test loss', r.testLoss)}`);
        for (const [id, m] of Object.entries(r.metrics)) io.out(`  ${describeMetric(id, m)}`);
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  const summary: Record<string, { mean: number; std: number }> = {};
  if (results.length > 1) {
    const keys = new Set(results.flatMap((r) => Object.keys(metricScalars(r.metrics))));
    summary['loss'] = meanStd(results.map((r) => r.loss.total ?? NaN));
    if (results.some((r) => r.testLoss)) summary['test loss'] = meanStd(results.map((r) => r.testLoss?.total ?? NaN));
    for (const k of keys) summary[k] = meanStd(results.map((r) => metricScalars(r.metrics)[k] ?? NaN));
    if (!a.json) for (const [k, v] of Object.entries(summary)) io.out(`${k}: ${v.mean.toPrecision(4)} ± ${v.std.toPrecision(2)} over ${results.length} seeds`);
  }
  if (a.json) {
    const one = results[0]!;
    io.out(JSON.stringify(results.length === 1
      ? { file: a.file, ...one }
      : { file: a.file, backend: one.backend, threads: one.threads, runs: results, summary }));
  }
  const failed = results.some((r) => r.status === 'failed');
  return stop.signal.aborted ? 130 : failed ? exitCodes.problems : exitCodes.ok;
}
