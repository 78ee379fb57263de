/**
 * Seeds in one program: the N seeds of a seed comparison trained together, every weight stacked over
 * the seeds ([S, in, out]), every value carrying the seed first ([S, n, d]), each loss reduced per seed
 * and the seeds' losses summed. The seeds' weights are disjoint, so the gradient of the sum is each
 * seed's own gradient, and the optimizers (elementwise) update each seed as its lone run would.
 *
 * Each seed draws exactly what its lone run draws (weight initialisation, test split, shuffles, noise,
 * latent samples: the same functions, epochs.ts, test-split.ts, the kinds' own draws), and its metrics
 * are evaluated by a lone run (run.ts) holding its trained weights, so a seed's result is the lone run's.
 * A seed whose loss turns NaN or infinite is trained again alone, for the lone run's own failure report.
 *
 * Why: a small net (the font AE) is bound by the number of kernels a step launches, not their size; S
 * seeds in one program launch about as many kernels as one.
 */
import * as tf from '@tensorflow/tfjs';
import { activationBytes, dict, seedsActivationRefusal, type Json } from '../graph';
import { ownProductBelow } from '../../nodes/dense-op';
import type { DataIO, NodeInstance, SeedsInstance, StepMode, Value } from '../../nodes/define';
import { selectBackend, type BackendName } from './backend';
import type { Plan } from './compile';
import { batchRows, epochOrder, stepSeeds, stepsPerEpoch } from './epochs';
import { historyStore } from './history';
import { scheduledLr } from './lr-schedule';
import { trainerParams } from '../../nodes/train-optimizer';
import { makeOptimizer, setOptimizerLr } from './optimizer';
import { deriveSeed } from './rng';
import { takeRows } from './rows';
import { createRun } from './run';
import { compareSeeds, metricScalars, type SeedRunDetail } from './seeds';
import { testSplit } from './test-split';
import type { LossSeries, MetricsBatch, NamedWeights, Progress, RunState } from './types';
import { yieldToHost as defaultYield, yieldEveryMsDefault } from './yield-to-host';

/** How several seeds of a plan train: as one program, or one after another and why (`--json` reports it). */
export type SeedBatchChoice = { batched: true } | { batched: false; reason: string };

/** Why `seeds` seeds of this graph cannot train as one program (they then run one after another), or null. */
export function seedBatchRefusal(plan: Plan, seeds = 2): string | null {
  if (!plan.trainerId) return 'the graph has no trainer';
  const p = trainerParams(plan.byId.get(plan.trainerId)!.params);
  if (p.patience > 0) return 'early stopping ends each seed at its own epoch, which is not batched yet';
  if (p.schedule === 'adaptive') return "the adaptive learning rate follows each seed's own loss, which is not batched yet";
  for (const id of plan.stepNodes) {
    const n = plan.byId.get(id)!;
    if (n.kind.category === 'dataset') continue;
    const form = n.kind.seeds;
    if (!form) return `${n.kind.title} (node "${id}") has no seed-batched form yet`;
    const why = typeof form === 'object' ? form.refuse?.(n.params) : null;
    if (why) return `${why} (node "${id}")`;
  }
  // Each seed keeps its own activations: S seeds of a graph that fits alone may not fit together (issue 13).
  return plan.activation ? seedsActivationRefusal(plan.activation, seeds) : null;
}

/**
 * Why seeds one after another are the faster choice on `backend` even where they could train as one
 * program, or null. On a GPU a kernel launch costs more than a small net's maths, and one program
 * launches about as many kernels as one seed. On wasm a layer small enough for our own SIMD product
 * (`ownProductBelow` multiply-adds, nodes/dense-op.ts) runs every seed in one kernel: `npm run bench`
 * measured 10 font AE seeds at 3.3× the speed of lone runs in turn. A bigger layer multiplies seed by
 * seed (XNNPACK's product, plus the stacking), which measured 0.73× of in turn, as cpu did (0.92×).
 */
export function seedBatchSlower(backend: BackendName, plan: Plan): string | null {
  if (backend === 'cpu') return 'on cpu each seed runs its own kernels, so one after another is faster';
  if (backend !== 'wasm') return null;
  const batch = plan.activation ? activationBytes(plan.activation)?.batch : undefined;
  if (!batch) return "on wasm seeds share kernels only for small layers, and this graph's batch size is known only from its data, so one after another is safer";
  // A node's layers are each at most its weight count: below the limit for a batch, every product is ours.
  const big = [...plan.paramCounts].find(([, count]) => batch * count >= ownProductBelow);
  if (!big) return null;
  const n = plan.byId.get(big[0])!;
  return `on wasm ${n.kind.title} (node "${n.id}") is too big for the seeds to share its kernels (${batch} samples × ${big[1].toLocaleString('en-US')} weights), so one after another is faster`;
}

export interface SeedBatchOptions {
  io: DataIO;
  backend?: BackendName | readonly BackendName[];
  wasmPath?: string;
  /** Overrides the trainer's epochs. */
  epochs?: number;
  /** Metric nodes evaluated for each seed at the end. */
  metricNodes: readonly string[];
  /** Steps between loss read-backs. */
  metricsEvery?: number;
  evalLimit?: number;
  /** Aborting stops every seed at the next step; their results still come back (stopped). */
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  yieldToHost?: () => Promise<void>;
  yieldEveryMs?: number;
  now?: () => number;
}

export interface SeedBatchResult {
  backend: string;
  runs: SeedRunDetail[];
  /** Seeds trained again alone because their loss stopped being finite in the batch. */
  rerunAlone: number[];
}

interface BatchData {
  /** The training samples when one batch is the whole set: [S, n, d], made once. */
  full: tf.Tensor3D | null;
  /** The held-out samples each seed's test loss is measured on: [S, t, d], or null without a test split. */
  test: tf.Tensor3D | null;
  x: Float32Array;
  features: number;
  trainCount: number;
  trainRows: (Int32Array | null)[];
  orders: Int32Array[];
}

interface Pending { step: number; epoch: number; test: boolean; tensors: tf.Tensor[] }

type Built = { form: 'stacked' | 'per-seed'; inst: NodeInstance } | { form: 'weights'; inst: SeedsInstance };

const readBackMs = 1000;

/** Trains `seeds` of a graph that `seedBatchRefusal` accepts, as one program; resolves with every seed's result. */
export async function trainSeedBatch(plan: Plan, seeds: readonly number[], o: SeedBatchOptions): Promise<SeedBatchResult> {
  const why = seedBatchRefusal(plan, seeds.length);
  if (why) throw new Error(`these seeds cannot train as one program: ${why}`);
  // One seed is a lone run (and tfjs's gradient of a one-way unstack fails).
  if (seeds.length < 2) throw new Error('seed batching needs two seeds or more');
  const now = o.now ?? (() => performance.now());
  const t0 = now();
  const S = seeds.length;
  const trainer = plan.byId.get(plan.trainerId!)!;
  const tp = trainerParams(trainer.params);
  const choice = await selectBackend({ prefer: typeof o.backend === 'string' ? [o.backend] : o.backend, wasmPath: o.wasmPath });
  const limit = o.evalLimit ?? 10_000;
  const termIds = trainer.inputs.loss!.map((s) => s.node);
  const logs = seeds.map(() => historyStore());
  const diverged = seeds.map(() => false);
  const datasets = new Map<string, BatchData>();
  const built = new Map<string, Built>();
  let optimizer: tf.Optimizer | null = null;
  let pending: Pending[] = [];
  let step = 0;
  let perEpoch = 1;
  let state: RunState = 'done';
  const weights: NamedWeights[] = seeds.map(() => dict());
  try {
    // The data each seed trains on: its own test split, its own shuffles.
    for (const id of plan.datasetIds) {
      const node = plan.byId.get(id)!;
      const data = await node.kind.load!({ ...node.params }, o.io);
      const splits = seeds.map((seed) => testSplit(data.count, tp.testSplit, seed, id));
      const trainRows = splits.map((sp) => sp?.train ?? null);
      const trainCount = splits[0]?.train.length ?? data.count;
      const rows = (pick: (s: number) => ArrayLike<number>) => {
        const parts = seeds.map((_, s) => takeRows(data.x, data.features, pick(s)));
        const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
        parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
        return tf.tensor3d(out, [S, parts[0]!.length / data.features, data.features]);
      };
      const every = Int32Array.from({ length: data.count }, (_, i) => i);
      datasets.set(id, {
        x: data.x, features: data.features, trainCount, trainRows, orders: [],
        full: null,
        test: splits[0] ? rows((s) => splits[s]!.test.subarray(0, limit)) : null,
      });
      const ds = datasets.get(id)!;
      const batchSize = tp.batchSize;
      if (stepsPerEpoch(batchSize, trainCount) === 1) ds.full = rows((s) => trainRows[s] ?? every);
    }
    const first = datasets.values().next().value as BatchData | undefined;
    const batchSize = tp.batchSize;
    perEpoch = stepsPerEpoch(batchSize, first?.trainCount ?? 1);
    const epochs = o.epochs ?? (tp.epochs || 1);
    const totalSteps = epochs * perEpoch;

    const bases = new Map(plan.stepNodes.map((id) => [id, seeds.map((seed) => deriveSeed(seed, id))]));
    const varList: tf.Variable[] = [];
    for (const id of plan.stepNodes) {
      const n = plan.byId.get(id)!;
      if (datasets.has(id)) continue;
      const form = n.kind.seeds!;
      const ctx = { nodeId: id, params: { ...n.params }, inputs: n.inShapes, outputs: n.outShapes };
      const b: Built = typeof form === 'object'
        ? { form: 'weights', inst: form.build({ ...ctx, seeds: bases.get(id)! }) }
        : { form, inst: n.kind.build!({ ...ctx, seed: bases.get(id)![0]! }) };
      built.set(id, b);
      varList.push(...Object.values(b.inst.variables));
    }
    optimizer = makeOptimizer(tp);
    let lr = 0;

    const forward = (mode: StepMode, at: number, epoch: number, source: (id: string) => tf.Tensor3D, draw?: number) => {
      const values = new Map<string, Record<string, Value>>();
      for (const id of plan.stepNodes) {
        if (datasets.has(id)) {
          values.set(id, { x: source(id) as unknown as tf.Tensor2D });
          continue;
        }
        const n = plan.byId.get(id)!;
        const b = built.get(id)!;
        const inputs: Record<string, Value | undefined> = {};
        for (const [name, sources] of Object.entries(n.inputs)) {
          const s = sources[0];
          inputs[name] = s ? values.get(s.node)?.[s.socket] : undefined;
        }
        const each = bases.get(id)!.map((base) => stepSeeds(base, at, epoch, draw));
        const common = { params: n.params, mode, epoch, step: at };
        if (b.form === 'weights') values.set(id, b.inst.forward(inputs, { ...common, seeds: each }));
        else if (b.form === 'stacked') values.set(id, b.inst.forward(inputs, { ...common, ...each[0]! }));
        else {
          const slices = unstackValues(inputs, S);
          values.set(id, stackValues(slices.map((inp, s) => b.inst.forward(inp, { ...common, ...each[s]! }))));
        }
      }
      return trainer.inputs.loss!.map((s) => (values.get(s.node)![s.socket] as { loss: tf.Tensor }).loss);
    };

    const batchFor = (id: string, at: number): tf.Tensor3D => {
      const ds = datasets.get(id)!;
      if (ds.full) return ds.full;
      const i = at % perEpoch;
      const parts = seeds.map((_, s) => takeRows(ds.x, ds.features, batchRows(ds.orders[s]!, i, batchSize, ds.trainRows[s]!)));
      const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
      parts.reduce((k, p) => (out.set(p, k), k + p.length), 0);
      return tf.tensor3d(out, [S, parts[0]!.length / ds.features, ds.features]);
    };

    let inflight: Promise<void> | null = null;
    let lastRead = -Infinity;
    let lastFlush = { t: now(), step: 0 };
    let rate = 0;
    const flush = async (wait: boolean) => {
      if (inflight) await inflight;
      inflight = null;
      if (!pending.length) return;
      const batch = pending;
      pending = [];
      lastRead = now();
      const stacked = tf.tidy(() => tf.concat(batch.flatMap((b) => b.tensors.map((t) => tf.reshape(t, [-1])))));
      for (const b of batch) tf.dispose(b.tensors);
      inflight = stacked.data().then((v) => {
        stacked.dispose();
        record(batch, v as Float32Array);
      });
      inflight.catch(() => undefined);
      if (wait) {
        await inflight;
        inflight = null;
      }
    };
    const record = (batch: Pending[], v: Float32Array) => {
      const series = (): LossSeries => ({ steps: [], epochs: [], total: [], terms: dict(termIds.map((t) => [t, []])) });
      const out: MetricsBatch[] = seeds.map(() => series());
      let offset = 0;
      for (const b of batch) {
        const k = b.tensors.length;
        seeds.forEach((_, s) => {
          if (diverged[s]) return;
          const total = v[offset + s]!;
          const terms = k > 1 ? Array.from({ length: k - 1 }, (_, j) => v[offset + (j + 1) * S + s]!) : [total];
          const into = b.test ? (out[s]!.test ??= series()) : out[s]!;
          if (!b.test && !Number.isFinite(total)) {
            diverged[s] = true;
            return;
          }
          into.steps.push(b.step);
          into.epochs.push(b.epoch);
          into.total.push(total);
          termIds.forEach((t, j) => into.terms[t]!.push(terms[j]!));
        });
        offset += k * S;
      }
      out.forEach((b, s) => (b.steps.length || b.test) && logs[s]!.append(b));
      const t = now();
      const dt = (t - lastFlush.t) / 1000;
      if (dt > 0 && step > lastFlush.step) {
        const r = (step - lastFlush.step) / dt;
        rate = rate > 0 ? 0.7 * rate + 0.3 * r : r;
        lastFlush = { t, step };
        o.onProgress?.({
          epoch: Math.floor(step / perEpoch), epochs, step, stepsPerEpoch: perEpoch, totalSteps, stepsPerSec: rate,
          samplesPerSec: rate * S * Math.min(batchSize || Infinity, first?.trainCount ?? 1), etaSeconds: Math.max(0, totalSteps - step) / rate, lr,
        });
      }
    };

    const metricsEvery = Math.max(1, o.metricsEvery ?? 20);
    const yieldEvery = o.yieldEveryMs ?? yieldEveryMsDefault;
    const yieldToHost = o.yieldToHost ?? defaultYield;
    let lastYield = now();
    const testEvery = Math.max(1, tp.testEvery);
    for (; step < totalSteps; ) {
      if (o.signal?.aborted) {
        state = 'stopped';
        break;
      }
      const epoch = Math.floor(step / perEpoch);
      if (step % perEpoch === 0) {
        if (perEpoch > 1) for (const [id, ds] of datasets) ds.orders = seeds.map((seed) => epochOrder(ds.trainCount, seed, id, epoch));
        const next = scheduledLr(tp, epoch);
        if (next !== lr) setOptimizerLr(optimizer, (lr = next));
      }
      const at = step;
      const kept: tf.Tensor[] = [];
      const cost = optimizer.minimize(() => {
        const terms = forward('train', at, epoch, (id) => batchFor(id, at));
        const total = terms.length === 1 ? terms[0]! : tf.addN(terms);
        kept.push(tf.keep(total), ...(terms.length > 1 ? terms.map((t) => tf.keep(t)) : []));
        return tf.sum(total) as tf.Scalar;
      }, true, varList);
      cost?.dispose();
      pending.push({ step: at, epoch, test: false, tensors: kept });
      step++;
      // The held-out loss after an epoch's last step, as a lone run measures it (its own draw per epoch).
      if (step % perEpoch === 0 && first?.test && Math.floor(step / perEpoch) % testEvery === 0) {
        const tensors = tf.tidy(() => {
          const terms = forward('test', at, epoch, (id) => datasets.get(id)!.test!, -1 - epoch);
          return terms.length === 1 ? [terms[0]!] : [tf.addN(terms), ...terms];
        });
        pending.push({ step: at, epoch, test: true, tensors });
      }
      if (pending.length >= metricsEvery || now() - lastRead >= readBackMs) await flush(false);
      if (now() - lastYield > yieldEvery) {
        await yieldToHost();
        lastYield = now();
      }
    }
    await flush(true);
    for (const [id, b] of built) {
      for (const [name, v] of Object.entries(b.inst.variables)) {
        const values = (await v.data()) as Float32Array;
        const size = values.length / S;
        seeds.forEach((_, s) => ((weights[s]![id] ??= dict())[name] = { shape: v.shape.slice(1), values: values.slice(s * size, (s + 1) * size) }));
      }
    }
  } finally {
    for (const b of pending) tf.dispose(b.tensors);
    for (const b of built.values()) b.inst.dispose();
    for (const ds of datasets.values()) tf.dispose([ds.full, ds.test].filter((t): t is tf.Tensor3D => t !== null));
    optimizer?.dispose();
  }
  const seconds = (now() - t0) / 1000;
  const trainerEpochs = o.epochs ?? (tp.epochs || 1);
  const runs: SeedRunDetail[] = [];
  const rerunAlone: number[] = [];
  for (const [s, seed] of seeds.entries()) {
    // A diverged seed trains again alone (for the lone run's own failure report); once stopped, it reports as it stands.
    const alone = diverged[s] ? await loneSeed(plan, seed, o, choice.backend) : undefined;
    if (alone) {
      rerunAlone.push(seed);
      runs.push(alone);
      continue;
    }
    const history = logs[s]!.get();
    const lone = createRun(plan, { io: o.io, backend: choice.backend, wasmPath: o.wasmPath, seed, epochs: trainerEpochs, initialWeights: weights[s], startStep: step, evalLimit: o.evalLimit });
    const metrics: Record<string, Json> = dict();
    try {
      for (const id of o.metricNodes) metrics[id] = await lone.evaluate(id);
    } finally {
      await lone.dispose();
    }
    const epoch = Math.floor(step / perEpoch);
    runs.push({
      seed, state, reason: state === 'stopped' ? `stopped at step ${step}` : `trained ${epoch} epochs (${step} steps)`,
      steps: step, epoch, seconds, loss: history.total.at(-1) ?? null, testLoss: history.test?.total.at(-1) ?? null,
      scalars: metricScalars(metrics), history, metrics,
    });
  }
  return { backend: choice.backend, runs, rerunAlone };
}

/** One seed trained alone (a lone run from run.ts, as compareSeeds trains it), reported as a seed of the batch. */
async function loneSeed(plan: Plan, seed: number, o: SeedBatchOptions, backend: string): Promise<SeedRunDetail | undefined> {
  const [run] = await compareSeeds([seed], async () => createRun(plan, { io: o.io, backend: backend as BackendName, wasmPath: o.wasmPath, seed, epochs: o.epochs, evalLimit: o.evalLimit }), { metricNodes: o.metricNodes, signal: o.signal });
  return run; // none when the comparison was stopped before it began
}

/** Each seed's slice of every tensor in a node's inputs (a batch, a latent's tensors). */
function unstackValues(inputs: Record<string, Value | undefined>, S: number): Record<string, Value | undefined>[] {
  const out = Array.from({ length: S }, () => ({}) as Record<string, Value | undefined>);
  for (const [name, v] of Object.entries(inputs)) {
    if (v instanceof tf.Tensor) tf.unstack(v).forEach((t, s) => (out[s]![name] = t as tf.Tensor2D));
    else if (v && typeof v === 'object') {
      const parts = Object.entries(v).map(([k, t]) => [k, t instanceof tf.Tensor ? tf.unstack(t) : null] as const);
      out.forEach((o, s) => (o[name] = Object.fromEntries(parts.filter(([, u]) => u).map(([k, u]) => [k, u![s]])) as unknown as Value));
    }
  }
  return out;
}

/** The seeds' outputs stacked back, seed first. */
function stackValues(outs: Record<string, Value>[]): Record<string, Value> {
  const result: Record<string, Value> = {};
  for (const name of Object.keys(outs[0] ?? {})) {
    const first = outs[0]![name]!;
    if (first instanceof tf.Tensor) result[name] = tf.stack(outs.map((o) => o[name] as tf.Tensor)) as tf.Tensor2D;
    else result[name] = Object.fromEntries(Object.keys(first).map((k) => [k, tf.stack(outs.map((o) => (o[name] as unknown as Record<string, tf.Tensor>)[k]!))])) as unknown as Value;
  }
  return result;
}
