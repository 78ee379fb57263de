import * as tf from '@tensorflow/tfjs';
import { Observable, filter, firstValueFrom, skip } from 'rxjs';
import { RunStreams } from './run-streams';
import { checkParam, dict, own, type Json, type Params, type Problem } from '../graph';
import type { DataIO, DatasetData, NodeInstance, StepContext, StepMode, Value } from '../../nodes/define';
import { fallbackAfter, selectBackend, wasmThreadsFor, type BackendName } from './backend';
import { ancestorsInOrder, type Plan, type PlanNode } from './compile';
import { historyStore } from './history';
import { makeOptimizer, readOptimizerState, restoreOptimizerState, scheduledLr, setOptimizerLr } from './optimizer';
import { deriveSeed } from './rng';
import { batchRows, epochOrder, stepSeeds, stepsPerEpoch } from './epochs';
import { testSplit } from './test-split';
import type { Checkpoint, LossSeries, MetricsBatch, NamedWeights, OptimizerState, Run, RunStatus } from './types';
import { collectTensors } from './values';
import { takeRows } from './rows';
import { errorMessage } from '../lib/error-message';

/** Longest wait between loss read-backs while training (fewer steps than `metricsEvery` on a slow model). */
const readBackMs = 1000;

export interface RunOptions {
  /** How datasets reach their files (disk in Node, fetch in the browser). */
  io: DataIO;
  /** Overrides the trainer's seed. */
  seed?: number;
  /** Overrides the trainer's epochs. */
  epochs?: number;
  /** One backend, or an order to try (default webgpu → webgl → wasm → cpu). */
  backend?: BackendName | readonly BackendName[];
  wasmPath?: string;
  /** Steps between metric read-backs (one `data()` call for all of them). */
  metricsEvery?: number;
  /** Aborting stops the run and frees everything. */
  signal?: AbortSignal;
  /** Hands control back to the host between steps (the injected clock). */
  yieldToHost?: () => Promise<void>;
  /** Milliseconds of stepping between yields. */
  yieldEveryMs?: number;
  now?: () => number;
  /** Weights to start from where names and shapes match (a DAE warm-started from an AE). */
  initialWeights?: NamedWeights;
  /** Continue counting from this step (resuming a checkpoint: schedules and warm-ups carry on). */
  startStep?: number;
  /** The optimizer's state from a checkpoint (with its weights and startStep). */
  optimizerState?: OptimizerState;
  /** The loss history so far (a resumed checkpoint's): the run's history continues it. */
  history?: MetricsBatch;
  /** Epochs between checkpoints (0: only on pause and stop). */
  checkpointEvery?: number;
  onCheckpoint?: (checkpoint: Checkpoint) => void | Promise<void>;
  /** Most samples an evaluation (metrics, views) looks at. */
  evalLimit?: number;
  /** Minimum milliseconds between refreshes of a subscribed output. */
  outputThrottleMs?: number;
}

interface DatasetState {
  data: DatasetData;
  tensor: tf.Tensor2D;
  /** What evaluations see: the first `evalLimit` samples (the same tensor when the dataset is smaller). */
  evalTensor: tf.Tensor2D;
  /** The samples training sees: all of them, or those left after the test split. */
  train: tf.Tensor2D;
  trainCount: number;
  /** The held-out samples the test loss is measured on (at most `evalLimit`), or null; and every held-out index, ascending. */
  test: tf.Tensor2D | null;
  testIndices: Int32Array | null;
  /** The dataset rows of the training samples, in order (null: every row). */
  trainRows: Int32Array | null;
  perm: Int32Array | null;
}

interface PendingLoss {
  step: number;
  epoch: number;
  /** The total, then each term when there are several. */
  tensors: tf.Scalar[];
  /** A test-loss measurement rather than a training step's loss. */
  test?: boolean;
}

/**
 * Lets the host run (messages, timers, UI) between steps without waiting for a timer tick:
 * setTimeout(0) costs 1-4 ms a yield, a fifth of the font AE's step rate on wasm.
 */
export const defaultYield: () => Promise<void> = (() => {
  const g = globalThis as unknown as { setImmediate?: (f: () => void) => void; MessageChannel?: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(m: unknown): void } } };
  if (g.setImmediate) return () => new Promise<void>((resolve) => g.setImmediate!(resolve));
  if (g.MessageChannel) {
    const channel = new g.MessageChannel();
    const waiting: (() => void)[] = [];
    channel.port1.onmessage = () => waiting.shift()?.();
    return () => new Promise<void>((resolve) => { waiting.push(resolve); channel.port2.postMessage(null); });
  }
  return () => new Promise<void>((resolve) => setTimeout(resolve, 0));
})();

/** A subscribed node output: its subscribers and what its last value was computed from. */
interface OutputEntry {
  subs: Set<(v: Json) => void>;
  last: number;
  busy: boolean;
  /** The inputs version of the last value (null: none yet). */
  seen: string | null;
  /** The node and everything upstream of it. */
  upstream: string[];
  /** Whether anything upstream has weights (null: not known until the first evaluation). */
  readsWeights: boolean | null;
  /** The last value, for a subscriber that joins later. */
  value?: Json;
}

/** Builds a run for a compiled plan; nothing is allocated until start() or step(). */
export function createRun(plan: Plan, options: RunOptions): Run {
  return new TrainingRun(plan, options);
}

class TrainingRun extends RunStreams implements Run {
  readonly finished: Promise<RunStatus>;
  backend: string | null = null;

  private readonly live = new Map<string, Params>();
  private readonly instances = new Map<string, NodeInstance>();
  private readonly datasets = new Map<string, DatasetState>();
  private readonly seedBase = new Map<string, number>();
  private readonly trainer: PlanNode | null;
  private readonly seed: number;
  private readonly metricsEvery: number;
  private readonly now: () => number;
  private readonly log = historyStore();
  private optimizer: tf.Optimizer | null = null;
  private varList: tf.Variable[] = [];
  private readonly varNames = new Map<tf.Variable, [nodeId: string, name: string]>();
  /** The last good weights in JS memory, kept on GPU backends so a lost device loses little. */
  private lastGood: { step: number; weights: NamedWeights } | null = null;
  /** Rejects when the WebGPU device is lost, so a read-back never waits on a dead device. */
  private deviceLost: Promise<never> | null = null;
  private deviceLostReason: string | null = null;
  private initPromise: Promise<void> | null = null;
  private loopPromise: Promise<void> | null = null;
  private resolveFinished!: (s: RunStatus) => void;
  private stepIndex = 0;
  private stepsPerEpoch = 1;
  private lr = 0;
  private pending: PendingLoss[] = [];
  private inflight: Promise<void> | null = null;
  private pauseRequested = false;
  private stopRequested = false;
  private stepBudget: number | null = null;
  private resumeWaiter: (() => void) | null = null;
  private disposed = false;
  private good: { step: number; tensors: Map<tf.Variable, tf.Tensor> } | null = null;
  private candidate: { step: number; tensors: Map<tf.Variable, tf.Tensor> } | null = null;
  private epochLosses: number[] = [];
  private evaluations = 0;
  private epochAccum = new Map<number, { sum: number; count: number }>();
  /** Test loss by epoch, until the epoch closes. */
  private testLosses = new Map<number, number>();
  private bestLoss = Infinity;
  private sinceBest = 0;
  private betterStreak = 0;
  private lastFlushTime = 0;
  private lastFlushStep = 0;
  /** When losses were last read back: the first step of a run reads at once, then every `metricsEvery` steps or second. */
  private lastReadAt = -Infinity;
  private outputs = new Map<string, OutputEntry>();
  /** Bumped whenever any weight changes (a step, loaded weights, a NaN restore): outputs that read weights are stale. */
  private weightsVersion = 0;
  /** Bumped by each live param change of a node. */
  private paramVersions = new Map<string, number>();

  constructor(private readonly plan: Plan, private readonly options: RunOptions) {
    super();
    for (const n of plan.nodes) {
      this.live.set(n.id, { ...n.params });
    }
    this.trainer = plan.trainerId ? plan.byId.get(plan.trainerId)! : null;
    this.seed = options.seed ?? ((this.trainer?.params.seed as number | undefined) ?? 1);
    for (const n of plan.nodes) this.seedBase.set(n.id, deriveSeed(this.seed, n.id));
    this.metricsEvery = Math.max(1, options.metricsEvery ?? 20);
    this.now = options.now ?? (() => (typeof performance !== 'undefined' ? performance.now() : Date.now()));
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    this.stepIndex = Math.max(0, Math.floor(options.startStep ?? 0));
    if (options.history) this.log.append(options.history);
    options.signal?.addEventListener('abort', () => void this.dispose(), { once: true });
  }

  private get epochs(): number {
    return this.options.epochs ?? ((this.trainer && (this.live.get(this.trainer.id)!.epochs as number)) || 1);
  }

  private setStatus(state: RunStatus['state'], reason?: string): void {
    this.status$.next({ state, reason, step: this.stepIndex, epoch: Math.floor(this.stepIndex / this.stepsPerEpoch) });
    if (state === 'done' || state === 'stopped' || state === 'failed') this.resolveFinished(this.status$.value);
  }

  params(nodeId: string): Params | undefined {
    const p = this.live.get(nodeId);
    return p ? { ...p } : undefined;
  }

  setParam(nodeId: string, name: string, value: unknown): Problem | null {
    const node = this.plan.byId.get(nodeId);
    const spec = own(node?.kind.params, name);
    if (!node || !spec) return { severity: 'error', path: '', nodeId, message: `no param ${name} on node "${nodeId}"` };
    if (!spec.live) return { severity: 'error', path: '', nodeId, kind: node.kind.kind, param: name, message: `params.${name} changes the network's structure: edit it and start a new run` };
    const issues = checkParam(spec, value);
    if (issues.length) return { severity: 'error', path: '', nodeId, kind: node.kind.kind, param: name, message: `params.${name} ${issues[0]!.message}` };
    this.live.get(nodeId)![name] = value as Params[string];
    if (node === this.trainer && this.optimizer && ['lr', 'schedule', 'decayRate', 'decayEvery'].includes(name)) this.applySchedule(this.currentEpoch());
    this.paramVersions.set(nodeId, (this.paramVersions.get(nodeId) ?? 0) + 1);
    this.events$.next({ type: 'param', nodeId, name, value });
    // A paused or finished run's views show the change too (a noise level, a β); a running one refreshes anyway.
    if (this.status$.value.state !== 'running') queueMicrotask(() => this.refreshOutputs(true));
    return null;
  }

  private currentEpoch(): number {
    return Math.floor(this.stepIndex / this.stepsPerEpoch);
  }

  private async init(): Promise<void> {
    this.initPromise ??= (async () => {
      this.setStatus('loading');
      // The datasets load (fetch, parse: plain arrays) while the backend starts (wasm: compile, threads).
      const loads = this.plan.datasetIds.map((id) => this.plan.byId.get(id)!.kind.load!(this.live.get(id)!, this.options.io));
      for (const l of loads) l.catch(() => undefined); // awaited below, after the backend; not unhandled meanwhile
      const prefer = typeof this.options.backend === 'string' ? [this.options.backend] : this.options.backend;
      const choice = await selectBackend({ prefer, wasmPath: this.options.wasmPath, threads: wasmThreadsFor(this.multiplyAddsPerStep()) });
      this.backend = choice.backend;
      this.watchDevice();
      this.events$.next({ type: 'backend', backend: choice.backend, skipped: choice.skipped, threads: choice.threads });
      for (const [i, id] of this.plan.datasetIds.entries()) {
        const data = await loads[i]!;
        if (this.disposed) return;
        this.datasets.set(id, { data, ...this.datasetTensors(id, data), perm: null });
      }
      this.buildInstances();
      if (this.options.initialWeights) {
        const result = this.applyWeights(this.options.initialWeights);
        this.events$.next({ type: 'warm-start', ...result });
      }
      const first = this.datasets.values().next().value as DatasetState | undefined;
      const batchSize = (this.trainer?.params.batchSize as number | undefined) ?? 0;
      const n = first?.trainCount ?? 1;
      this.stepsPerEpoch = stepsPerEpoch(batchSize, n);
      if (this.trainer) {
        this.optimizer = makeOptimizer(this.live.get(this.trainer.id)!);
        this.applySchedule(0);
        if (this.options.optimizerState) {
          const why = await restoreOptimizerState(this.optimizer, this.optimizerName(), this.options.optimizerState, this.varList);
          this.events$.next(why ? { type: 'optimizer-state', restored: false, reason: why } : { type: 'optimizer-state', restored: true });
        }
      }
      this.setStatus('idle');
    })();
    return this.initPromise;
  }

  /** About how many multiply-adds a training step takes: every weight once per sample of a batch. */
  private multiplyAddsPerStep(): number {
    const batchSize = (this.trainer?.params.batchSize as number | undefined) ?? 0;
    const first = this.plan.datasetIds[0];
    const samples = (first && (this.plan.byId.get(first)!.outShapes.x as { samples?: number } | undefined)?.samples) || 1;
    return this.plan.totalParams * (batchSize > 0 ? Math.min(batchSize, samples) : samples);
  }

  private watchDevice(): void {
    this.deviceLost = null;
    this.deviceLostReason = null;
    const device = this.backend === 'webgpu' ? (tf.backend() as unknown as { device?: { lost?: Promise<{ message?: string }> } }).device : undefined;
    if (!device?.lost) return;
    const lost = device.lost.then((info) => {
      this.deviceLostReason = `the GPU device was lost${info?.message ? `: ${info.message}` : ''}`;
      throw new Error(this.deviceLostReason);
    });
    lost.catch(() => undefined);
    this.deviceLost = lost;
  }

  /**
   * The dataset on the active backend, its evaluation slice (made once, not per evaluation) and,
   * with a test split, its training and held-out samples (the same split for every epoch and backend).
   */
  private datasetTensors(id: string, data: DatasetData): Pick<DatasetState, 'tensor' | 'evalTensor' | 'train' | 'trainCount' | 'test' | 'testIndices' | 'trainRows'> {
    const tensor = tf.tensor2d(data.x, [data.count, data.features]);
    const limit = this.options.evalLimit ?? 10_000;
    const evalTensor = data.count > limit ? tensor.slice([0, 0], [limit, data.features]) : tensor;
    const split = testSplit(data.count, (this.trainer?.params.testSplit as number | undefined) ?? 0, this.seed, id);
    if (!split) return { tensor, evalTensor, train: tensor, trainCount: data.count, test: null, testIndices: null, trainRows: null };
    const pick = (idx: Int32Array) => tf.tensor2d(takeRows(data.x, data.features, idx), [idx.length, data.features]);
    // The test loss is measured on at most `evalLimit` of the held-out samples (one forward pass each time).
    return { tensor, evalTensor, train: pick(split.train), trainCount: split.train.length, test: pick(split.test.subarray(0, limit)), testIndices: split.test, trainRows: split.train };
  }

  private buildInstances(): void {
    for (const n of this.plan.nodes) {
      if (!n.kind.build) continue;
      this.instances.set(n.id, n.kind.build({ nodeId: n.id, params: this.live.get(n.id)!, inputs: n.inShapes, outputs: n.outShapes, seed: this.seedBase.get(n.id)! }));
    }
    this.varList = [];
    this.varNames.clear();
    for (const id of this.plan.stepNodes) {
      for (const [name, v] of Object.entries(this.instances.get(id)?.variables ?? {})) {
        this.varList.push(v);
        this.varNames.set(v, [id, name]);
      }
    }
  }

  private applySchedule(epoch: number): void {
    if (!this.trainer || !this.optimizer) return;
    const p = this.live.get(this.trainer.id)!;
    const lr = p.schedule === 'adaptive' ? (this.lr || (p.lr as number)) : scheduledLr(p, epoch);
    if (lr !== this.lr) {
      this.lr = lr;
      setOptimizerLr(this.optimizer, lr);
    }
  }

  async start(): Promise<void> {
    if (this.disposed) throw new Error('this run was disposed');
    this.pauseRequested = false;
    this.stepBudget = null;
    this.launch();
    this.wake();
  }

  private launch(): void {
    this.loopPromise ??= this.loop().catch((e: unknown) => {
      this.fail(failureReason(e));
    });
  }

  private wake(): void {
    const w = this.resumeWaiter;
    this.resumeWaiter = null;
    w?.();
  }

  async pause(): Promise<void> {
    this.pauseRequested = true;
  }

  resume(): void {
    this.pauseRequested = false;
    this.stepBudget = null;
    this.wake();
  }

  async step(n = 1): Promise<void> {
    if (this.disposed) throw new Error('this run was disposed');
    if (this.isFinished()) return;
    const settled = firstValueFrom(this.status$.pipe(skip(1), filter((s) => s.state === 'paused' || s.state === 'done' || s.state === 'stopped' || s.state === 'failed')));
    this.stepBudget = n;
    this.pauseRequested = false;
    this.launch();
    this.wake();
    await settled.catch(() => undefined);
  }

  private isFinished(): boolean {
    const s = this.status$.value.state;
    return s === 'done' || s === 'stopped' || s === 'failed';
  }

  async stop(): Promise<void> {
    this.stopRequested = true;
    this.wake();
    if (this.loopPromise) await this.loopPromise;
    else if (!this.isFinished()) this.setStatus('stopped', 'stopped before it started');
  }

  private async loop(): Promise<void> {
    await this.init();
    if (this.disposed) return;
    if (!this.trainer || !this.optimizer) {
      this.setStatus('done', 'the graph has no trainer: nothing to train');
      return;
    }
    for (;;) {
      try {
        await this.trainLoop();
        return;
      } catch (e) {
        if (this.disposed || !(await this.fallBack(e))) throw e;
      }
    }
  }

  private async trainLoop(): Promise<void> {
    this.setStatus('running');
    this.lastFlushTime = this.now();
    this.lastFlushStep = this.stepIndex;
    this.lastReadAt = -Infinity;
    const yieldEvery = this.options.yieldEveryMs ?? 20;
    const yieldToHost = this.options.yieldToHost ?? defaultYield;
    let lastYield = this.now();
    // The weights this run begins from: a NaN before any later snapshot is proven good goes back to them.
    if (!this.candidate && !this.good) this.takeCandidate();
    while (!this.stopRequested && this.stepIndex < this.epochs * this.stepsPerEpoch) {
      if (this.pauseRequested || this.stepBudget === 0) {
        await this.flush(true);
        if (this.isFinished()) return;
        this.setStatus('paused');
        await this.checkpoint();
        // Re-check after every wake: a resume or stop may have come while the checkpoint was written.
        while ((this.pauseRequested || this.stepBudget === 0) && !this.stopRequested && !this.disposed) {
          await new Promise<void>((resolve) => (this.resumeWaiter = resolve));
        }
        if (this.stopRequested || this.disposed) break;
        this.setStatus('running');
        this.lastFlushTime = this.now();
        this.lastFlushStep = this.stepIndex;
        continue;
      }
      if (this.stepIndex % this.stepsPerEpoch === 0) this.beginEpoch(this.currentEpoch());
      if (this.deviceLostReason) throw new Error(this.deviceLostReason);
      this.trainStep();
      if (this.testDue()) this.testStep();
      if (this.stepBudget !== null) this.stepBudget--;
      // Progress (and the first loss) show after one step, and at least every second on a slow model.
      if (this.pending.length >= this.metricsEvery || this.now() - this.lastReadAt >= readBackMs) await this.flush(false);
      if (this.isFinished()) return;
      const epochDone = this.stepIndex % this.stepsPerEpoch === 0;
      const every = this.options.checkpointEvery ?? 0;
      if (epochDone && every > 0 && this.currentEpoch() % every === 0) await this.checkpoint();
      if (this.now() - lastYield > yieldEvery) {
        await yieldToHost();
        lastYield = this.now();
      }
    }
    await this.flush(true);
    if (this.isFinished() || this.disposed) return;
    await this.checkpoint();
    if (this.stopRequested) this.setStatus('stopped', `stopped at step ${this.stepIndex}`);
    else if (!this.isFinished()) this.setStatus('done', `trained ${this.currentEpoch()} epochs (${this.stepIndex} steps)`);
    this.refreshOutputs(true);
  }

  /**
   * A GPU backend failed mid-run (a lost device, a lost context): rebuild the run on the next backend
   * from the last good weights read back to JS, and say so. Returns false when there is nowhere to go.
   */
  private async fallBack(error: unknown): Promise<boolean> {
    const from = this.backend;
    if (from !== 'webgpu' && from !== 'webgl') return false;
    const reason = errorMessage(error);
    const quietly = (f: () => void) => { try { f(); } catch { /* the lost device's memory is gone anyway */ } };
    for (const b of this.pending) for (const t of b.tensors) quietly(() => t.dispose());
    this.pending = [];
    this.inflight?.catch(() => undefined);
    this.inflight = null;
    for (const snap of [this.candidate, this.good]) if (snap) quietly(() => disposeSnapshot(snap));
    this.candidate = this.good = null;
    for (const inst of this.instances.values()) quietly(() => inst.dispose());
    this.instances.clear();
    for (const ds of this.datasets.values()) quietly(() => disposeDataset(ds));
    quietly(() => this.optimizer?.dispose());
    const asked = typeof this.options.backend === 'string' ? null : this.options.backend;
    const next = asked ? asked.slice(asked.indexOf(from) + 1) : fallbackAfter(from);
    if (next.length === 0) return false;
    const choice = await selectBackend({ prefer: next, wasmPath: this.options.wasmPath, allowSoftwareGpu: asked !== null });
    this.backend = choice.backend;
    this.watchDevice();
    for (const [id, ds] of this.datasets) Object.assign(ds, this.datasetTensors(id, ds.data));
    this.buildInstances();
    if (this.lastGood) this.applyWeights(this.lastGood.weights);
    this.optimizer = makeOptimizer(this.live.get(this.trainer!.id)!);
    this.lr = 0;
    this.applySchedule(this.currentEpoch());
    this.events$.next({ type: 'backend-fallback', from, to: choice.backend, reason });
    this.events$.next({ type: 'backend', backend: choice.backend, skipped: choice.skipped, threads: choice.threads });
    return true;
  }

  private beginEpoch(epoch: number): void {
    if (this.stepsPerEpoch > 1) {
      for (const [id, ds] of this.datasets) ds.perm = epochOrder(ds.trainCount, this.seed, id, epoch);
    }
    this.applySchedule(epoch);
  }

  /** Seeds differ per node and per step; an evaluation gets its own draw (`draw`), apart from training's. */
  private stepContext(id: string, mode: StepMode, step: number, draw?: number): StepContext {
    const epoch = Math.floor(step / this.stepsPerEpoch);
    return { params: this.live.get(id)!, mode, epoch, step, ...stepSeeds(this.seedBase.get(id)!, step, epoch, draw) };
  }

  private batchFor(id: string): tf.Tensor2D {
    const ds = this.datasets.get(id)!;
    if (!ds.perm) return ds.train;
    const batchSize = this.trainer!.params.batchSize as number;
    const i = this.stepIndex % this.stepsPerEpoch;
    // On the CPU backends the batch is copied in JS and uploaded (wasm's gather kernel is slow); GPUs gather.
    if (this.backend === 'wasm' || this.backend === 'cpu') {
      const rows = batchRows(ds.perm, i, batchSize, ds.trainRows);
      return tf.tensor2d(takeRows(ds.data.x, ds.data.features, rows), [rows.length, ds.data.features]);
    }
    return tf.gather(ds.train, tf.tensor1d(batchRows(ds.perm, i, batchSize, null), 'int32'));
  }

  /** Runs the chain in order; returns every node's outputs. */
  private forwardChain(ids: readonly string[], mode: StepMode, step: number, source: (id: string) => tf.Tensor2D, draw?: number): Map<string, Record<string, Value>> {
    const values = new Map<string, Record<string, Value>>();
    for (const id of ids) {
      const node = this.plan.byId.get(id)!;
      if (this.datasets.has(id)) {
        values.set(id, { x: source(id) });
        continue;
      }
      const inst = this.instances.get(id);
      if (!inst) continue;
      const inputs: Record<string, Value | undefined> = {};
      for (const [name, sources] of Object.entries(node.inputs)) {
        const s = sources[0];
        inputs[name] = s ? values.get(s.node)?.[s.socket] : undefined;
      }
      values.set(id, inst.forward(inputs, this.stepContext(id, mode, step, draw)));
    }
    return values;
  }

  private trainStep(): void {
    const step = this.stepIndex;
    const trainer = this.trainer!;
    const kept: tf.Scalar[] = [];
    const total = this.optimizer!.minimize(() => {
      const values = this.forwardChain(this.plan.stepNodes, 'train', step, (id) => this.batchFor(id));
      const terms = trainer.inputs.loss!.map((s) => (values.get(s.node)![s.socket] as { loss: tf.Scalar }).loss);
      if (terms.length === 1) return terms[0]!;
      for (const t of terms) kept.push(tf.keep(t));
      return tf.addN(terms) as tf.Scalar;
    }, true, this.varList) as tf.Scalar;
    this.pending.push({ step, epoch: Math.floor(step / this.stepsPerEpoch), tensors: [total, ...kept] });
    this.stepIndex++;
    this.weightsVersion++;
  }

  private hasTestSplit(): boolean {
    const first = this.datasets.values().next().value as DatasetState | undefined;
    return !!first?.test;
  }

  /** Whether the epoch that just ended measures the test loss. */
  private testDue(): boolean {
    if (this.stepIndex % this.stepsPerEpoch !== 0 || !this.hasTestSplit()) return false;
    const every = this.live.get(this.trainer!.id)!.testEvery as number;
    return this.currentEpoch() % Math.max(1, every) === 0;
  }

  /** The loss terms on the held-out samples after the epoch's last step; read back with the training losses. */
  private testStep(): void {
    const step = this.stepIndex - 1;
    const epoch = Math.floor(step / this.stepsPerEpoch);
    const trainer = this.trainer!;
    const tensors = tf.tidy(() => {
      // A draw of its own per epoch: the held-out noise and samples are reproducible and apart from training's.
      const values = this.forwardChain(this.plan.stepNodes, 'test', step, (id) => this.datasets.get(id)!.test!, -1 - epoch);
      const terms = trainer.inputs.loss!.map((s) => (values.get(s.node)![s.socket] as { loss: tf.Scalar }).loss);
      return terms.length === 1 ? [terms[0]!] : [tf.addN(terms) as tf.Scalar, ...terms];
    });
    this.pending.push({ step, epoch, tensors, test: true });
  }

  /** Reads back pending loss values in one batch; keeps at most one read-back in flight. */
  private async flush(wait: boolean): Promise<void> {
    if (this.inflight) await this.inflight;
    this.inflight = null;
    if (this.pending.length === 0 || this.disposed) return;
    const batch = this.pending;
    this.pending = [];
    this.lastReadAt = this.now();
    const stacked = tf.tidy(() => tf.stack(batch.flatMap((b) => b.tensors)));
    for (const b of batch) for (const t of b.tensors) t.dispose();
    // A new candidate only once the last one is proven good, so none is dropped unproven.
    const snapshotDue = !this.candidate || (this.candidate === this.good && this.stepIndex - this.candidate.step >= 100);
    if (snapshotDue) this.takeCandidate();
    const read = this.deviceLost ? Promise.race([stacked.data(), this.deviceLost]) : stacked.data();
    const work = read.then((values) => {
      stacked.dispose();
      if (!this.disposed) this.processMetrics(batch, values as Float32Array);
    });
    // Awaited by the next flush or by dispose(); until then a failure must not count as unhandled.
    work.catch(() => undefined);
    this.inflight = work;
    if (wait) {
      await work;
      this.inflight = null;
    }
  }

  private async keepInJs(snapshot: { step: number; tensors: Map<tf.Variable, tf.Tensor> }): Promise<void> {
    const weights: NamedWeights = dict(); // keyed by node id, then tensor name (see graph/names.ts)
    try {
      for (const [v, t] of snapshot.tensors) {
        const [id, name] = this.varNames.get(v)!;
        (weights[id] ??= dict())[name] = { shape: [...t.shape], values: (await t.data()) as Float32Array };
      }
      this.lastGood = { step: snapshot.step, weights };
    } catch {
      // Disposed meanwhile (a newer snapshot, or the run ended): keep the previous copy.
    }
  }

  private takeCandidate(): void {
    // clone() shares the variable's current buffer: no copy until the optimizer replaces it.
    const tensors = new Map<tf.Variable, tf.Tensor>();
    for (const v of this.varList) tensors.set(v, tf.clone(v));
    this.candidate = { step: this.stepIndex, tensors };
  }

  private processMetrics(batch: PendingLoss[], values: Float32Array): void {
    const termIds = this.trainer!.inputs.loss!.map((s) => s.node);
    const series = (): LossSeries => ({ steps: [], epochs: [], total: [], terms: dict(termIds.map((t) => [t, []])) });
    const out: MetricsBatch = series();
    let offset = 0;
    for (const b of batch) {
      const total = values[offset]!;
      const termValues = b.tensors.length > 1 ? Array.from(values.subarray(offset + 1, offset + b.tensors.length)) : [total];
      offset += b.tensors.length;
      if (b.test) {
        // A non-finite test loss is plotted as a gap; it is the training loss that fails a run.
        const test = (out.test ??= series());
        test.steps.push(b.step);
        test.epochs.push(b.epoch);
        test.total.push(total);
        termIds.forEach((t, i) => test.terms[t]!.push(termValues[i]!));
        this.testLosses.set(b.epoch, total);
        continue;
      }
      if (!Number.isFinite(total)) {
        const bad = termIds.findIndex((_, i) => !Number.isFinite(termValues[i]!));
        this.onNaN(b.step, termIds[Math.max(0, bad)]!, termValues[Math.max(0, bad)]!);
        break;
      }
      out.steps.push(b.step);
      out.epochs.push(b.epoch);
      out.total.push(total);
      termIds.forEach((t, i) => out.terms[t]!.push(termValues[i]!));
      const acc = this.epochAccum.get(b.epoch) ?? { sum: 0, count: 0 };
      acc.sum += total;
      acc.count++;
      this.epochAccum.set(b.epoch, acc);
    }
    if (out.steps.length || out.test) {
      this.log.append(out);
      this.metrics$.next(out);
    }
    if (this.isFinished()) return;
    // Every loss after the candidate snapshot was finite: it is now the last good one.
    if (this.candidate && this.candidate !== this.good && batch[0] && batch[0].step >= this.candidate.step) {
      if (this.good) disposeSnapshot(this.good);
      this.good = this.candidate;
      if (this.backend === 'webgpu' || this.backend === 'webgl') void this.keepInJs(this.good);
    }
    this.closeEpochs();
    this.reportProgress();
    this.refreshOutputs(false);
  }

  /** Closed epochs (every step read back) feed early stopping and the adaptive learning rate. */
  private closeEpochs(): void {
    const p = this.live.get(this.trainer!.id)!;
    for (const [epoch, acc] of [...this.epochAccum].sort((a, b) => a[0] - b[0])) {
      if (acc.count < this.stepsPerEpoch) break;
      this.epochAccum.delete(epoch);
      const loss = acc.sum / acc.count;
      const prev = this.epochLosses.at(-1);
      this.epochLosses.push(loss);
      if (p.schedule === 'adaptive' && prev !== undefined) {
        if (loss < prev) {
          if (++this.betterStreak >= (p.adaptiveAfter as number)) {
            this.betterStreak = 0;
            this.setLr(this.lr * (p.adaptiveGrow as number), epoch);
          }
        } else {
          this.betterStreak = 0;
          this.setLr(this.lr * (p.adaptiveShrink as number), epoch);
        }
      }
      // With a test split, early stopping watches the held-out loss (at the epochs that measure it).
      const testing = this.hasTestSplit();
      const watched = testing ? this.testLosses.get(epoch) : loss;
      this.testLosses.delete(epoch);
      if (watched === undefined) continue;
      if (watched < this.bestLoss - (p.minDelta as number)) {
        this.bestLoss = watched;
        this.sinceBest = 0;
      } else if ((p.patience as number) > 0 && ++this.sinceBest >= (p.patience as number)) {
        this.stopRequested = true;
        this.events$.next({ type: 'early-stop', epoch, best: this.bestLoss });
        const what = testing ? `${p.patience as number} test measurements (best test loss` : `${p.patience as number} epochs (best loss`;
        this.setStatus('done', `stopped early at epoch ${epoch + 1}: no improvement for ${what} ${this.bestLoss.toPrecision(4)})`);
        return;
      }
    }
  }

  private setLr(lr: number, epoch: number): void {
    this.lr = lr;
    if (this.optimizer) setOptimizerLr(this.optimizer, lr);
    this.events$.next({ type: 'lr', epoch, lr });
  }

  private onNaN(step: number, term: string, value: number): void {
    // Never left stepping on (or keeping) NaN weights: with no snapshot proven good yet, back to where the run began.
    const good = this.good ?? this.candidate;
    if (good) for (const [v, t] of good.tensors) v.assign(t);
    this.weightsVersion++;
    this.events$.next({ type: 'nan', step, term, restoredFromStep: good?.step ?? null });
    const node = this.plan.byId.get(term);
    this.fail(`the loss became ${value} at step ${step + 1} in term "${term}"${node ? ` (${node.kind.kind})` : ''}; ` +
      (good ? `weights restored from step ${good.step}` : 'no earlier good weights to restore') +
      '. Try a smaller learning rate.');
  }

  private fail(reason: string): void {
    if (this.isFinished()) return;
    this.stopRequested = true;
    this.setStatus('failed', reason);
  }

  private reportProgress(): void {
    const t = this.now();
    const dt = (t - this.lastFlushTime) / 1000;
    const steps = this.stepIndex - this.lastFlushStep;
    if (dt <= 0 || steps <= 0) return;
    this.lastFlushTime = t;
    this.lastFlushStep = this.stepIndex;
    const prev = this.progress$.value;
    const rate = prev && prev.stepsPerSec > 0 ? 0.7 * prev.stepsPerSec + 0.3 * (steps / dt) : steps / dt;
    const first = this.datasets.values().next().value as DatasetState | undefined;
    const batchSize = (this.trainer!.params.batchSize as number) || (first?.trainCount ?? 1);
    const samplesPerStep = Math.min(batchSize, first?.trainCount ?? batchSize);
    const totalSteps = this.epochs * this.stepsPerEpoch;
    this.progress$.next({
      epoch: this.currentEpoch(), epochs: this.epochs, step: this.stepIndex, stepsPerEpoch: this.stepsPerEpoch, totalSteps,
      stepsPerSec: rate, samplesPerSec: rate * samplesPerStep, etaSeconds: Math.max(0, totalSteps - this.stepIndex) / rate, lr: this.lr,
    });
  }

  private async checkpoint(): Promise<void> {
    if (!this.options.onCheckpoint || this.disposed || this.instances.size === 0) return;
    const weights = await this.getWeights();
    const optimizer = this.optimizer ? await readOptimizerState(this.optimizer, this.optimizerName()) : undefined;
    await this.options.onCheckpoint({ step: this.stepIndex, epoch: this.currentEpoch(), weights, history: this.log.get(), optimizer });
    this.events$.next({ type: 'checkpoint', step: this.stepIndex, epoch: this.currentEpoch() });
  }

  history(): MetricsBatch {
    return this.log.get();
  }

  private optimizerName(): string {
    return String(this.trainer?.params.optimizer ?? 'adam');
  }

  async evaluate(nodeId: string, socket?: string): Promise<Json> {
    await this.init();
    if (this.disposed) throw new Error('this run was disposed');
    const node = this.plan.byId.get(nodeId);
    if (!node) throw new Error(`no node "${nodeId}"`);
    if (node.kind.category === 'train') return this.log.get() as unknown as Json;
    const ids = ancestorsInOrder(nodeId, this.plan.nodes, this.plan.byId);
    const step = this.stepIndex;
    // Each evaluation draws fresh noise and samples (a new noisy alphabet), reproducibly from the seed.
    const draw = this.evaluations++;
    const owned = new Set<tf.Tensor>([...this.datasets.values()].map((d) => d.evalTensor));
    const evalSource = (id: string) => this.datasets.get(id)!.evalTensor;
    if (!node.kind.evaluate) {
      // A plain output (e.g. a batch for the reconstructions view): its first rows as numbers.
      const out = socket ?? Object.keys(node.kind.outputs)[0];
      const tensor = tf.tidy(() => {
        const values = this.forwardChain(ids, 'eval', step, evalSource, draw);
        const v = values.get(nodeId)?.[out!];
        if (!(v instanceof tf.Tensor)) throw new Error(`output "${out}" of "${nodeId}" is not a batch`);
        return v.slice([0, 0], [Math.min(64, v.shape[0]), v.shape[1]]);
      });
      const rows = (await tensor.array()) as number[][];
      tensor.dispose();
      const shape = node.outShapes[out!];
      return { kind: 'batch', image: shape && 'image' in shape && shape.image ? [...shape.image] : null, rows, labels: this.labels()?.slice(0, rows.length) ?? null } as Json;
    }
    let tensors: tf.Tensor[] = [];
    const inputs: Record<string, Value | undefined> = {};
    tf.tidy(() => {
      const values = this.forwardChain(ids.filter((id) => id !== nodeId), 'eval', step, evalSource, draw);
      for (const [name, sources] of Object.entries(node.inputs)) {
        const s = sources[0];
        inputs[name] = s ? values.get(s.node)?.[s.socket] : undefined;
      }
      tensors = collectTensors(inputs).filter((t) => !owned.has(t));
      for (const t of tensors) tf.keep(t);
    });
    try {
      const heldOut = this.heldOut();
      return await node.kind.evaluate(inputs, { ...this.stepContext(nodeId, 'eval', step, draw), labels: this.labels(), ...(heldOut ? { heldOut } : {}), inputShapes: node.inShapes });
    } finally {
      for (const t of tensors) t.dispose();
    }
  }

  async decode(decoderNodeId: string, codes: number[][]): Promise<Json> {
    await this.init();
    if (this.disposed) throw new Error('this run was disposed');
    const node = this.plan.byId.get(decoderNodeId);
    const inst = this.instances.get(decoderNodeId);
    const model = node?.outShapes.model;
    if (!node || !inst || model?.type !== 'model') throw new Error(`"${decoderNodeId}" is not a decoder`);
    if (codes.length === 0 || codes.length > 4096 || codes.some((z) => z.length !== model.inputs || !z.every(Number.isFinite))) {
      throw new Error(`codes must be 1 to 4096 points of ${model.inputs} finite numbers`);
    }
    const out = tf.tidy(() => {
      const z = tf.tensor2d(codes, [codes.length, model.inputs]);
      const x = inst.forward({ z: { z } }, this.stepContext(decoderNodeId, 'eval', this.stepIndex, this.evaluations++)).x as tf.Tensor2D;
      return tf.clipByValue(x, 0, 1);
    });
    const pixels = (await out.array()) as number[][];
    out.dispose();
    return { kind: 'images', image: model.image ? [...model.image] : null, count: pixels.length, pixels, coords: codes, cols: codes.length, rows: 1 };
  }

  /** The evaluated samples (the first `evalLimit`) that the test split holds out of training, ascending. */
  private heldOut(): number[] | undefined {
    const first = this.datasets.values().next().value as DatasetState | undefined;
    if (!first?.testIndices) return undefined;
    const limit = this.options.evalLimit ?? 10_000;
    return Array.from(first.testIndices).filter((i) => i < limit);
  }

  private labels(): string[] | undefined {
    const first = this.datasets.values().next().value as DatasetState | undefined;
    const limit = this.options.evalLimit ?? 10_000;
    return first?.data.labels?.slice(0, limit);
  }

  output$(nodeId: string, socket?: string): Observable<Json> {
    const key = `${nodeId}\u0000${socket ?? ''}`;
    return new Observable<Json>((subscriber) => {
      let entry = this.outputs.get(key);
      if (!entry) {
        const upstream = this.plan.byId.has(nodeId) ? ancestorsInOrder(nodeId, this.plan.nodes, this.plan.byId) : [];
        this.outputs.set(key, (entry = { subs: new Set(), last: 0, busy: false, seen: null, upstream, readsWeights: null }));
      }
      const emit = (v: Json) => subscriber.next(v);
      entry.subs.add(emit);
      if (entry.value !== undefined) emit(entry.value);
      void this.refreshOne(key, entry, true);
      return () => {
        entry!.subs.delete(emit);
        if (entry!.subs.size === 0) this.outputs.delete(key);
      };
    });
  }

  private refreshOutputs(force: boolean): void {
    for (const [key, entry] of this.outputs) void this.refreshOne(key, entry, force);
  }

  /** What an output's value depends on now: the live params upstream, and the weights when something upstream has some. */
  private inputsVersion(entry: OutputEntry, readsWeights = entry.readsWeights !== false): string {
    return `${readsWeights ? this.weightsVersion : '-'}/${entry.upstream.map((id) => this.paramVersions.get(id) ?? 0).join('.')}`;
  }

  private async refreshOne(key: string, entry: OutputEntry, force: boolean): Promise<void> {
    const throttle = this.options.outputThrottleMs ?? 250;
    if (entry.busy || (!force && this.now() - entry.last < throttle) || this.disposed) return;
    // Unchanged inputs, unchanged output (ARCHITECTURE §4): a dataset or noise-only view is drawn once, not every refresh.
    if (entry.seen !== null && entry.seen === this.inputsVersion(entry)) return;
    entry.busy = true;
    try {
      const [nodeId, socket] = key.split('\u0000') as [string, string];
      // Versions as of the evaluation's start: a change while it runs makes the next refresh recompute.
      const [withWeights, withoutWeights] = [this.inputsVersion(entry, true), this.inputsVersion(entry, false)];
      const value = await this.evaluate(nodeId, socket || undefined);
      entry.readsWeights ??= entry.upstream.some((id) => Object.keys(this.instances.get(id)?.variables ?? {}).length > 0);
      entry.seen = entry.readsWeights ? withWeights : withoutWeights;
      entry.last = this.now();
      entry.value = value;
      for (const s of entry.subs) s(value);
    } catch (e) {
      if (!this.disposed) this.events$.next({ type: 'error', source: `output ${key.replace('\u0000', '.')}`, message: errorMessage(e) });
    } finally {
      entry.busy = false;
    }
  }

  async getWeights(): Promise<NamedWeights> {
    await this.init();
    const out: NamedWeights = dict();
    for (const [id, inst] of this.instances) {
      const vars = Object.entries(inst.variables);
      if (!vars.length) continue;
      out[id] = dict();
      for (const [name, v] of vars) out[id][name] = { shape: [...v.shape], values: (await v.data()) as Float32Array };
    }
    return out;
  }

  async setWeights(weights: NamedWeights): Promise<{ loaded: string[]; skipped: string[] }> {
    await this.init();
    return this.applyWeights(weights);
  }

  private applyWeights(weights: NamedWeights): { loaded: string[]; skipped: string[] } {
    this.weightsVersion++;
    const loaded: string[] = [];
    const skipped: string[] = [];
    for (const [id, inst] of this.instances) {
      for (const [name, v] of Object.entries(inst.variables)) {
        const w = own(own(weights, id), name);
        const label = `${id}/${name}`;
        if (!w) continue;
        const size = v.shape.reduce((a, b) => a * b, 1);
        if (w.shape.length !== v.shape.length || w.shape.some((d, i) => d !== v.shape[i]) || w.values.length !== size) {
          skipped.push(`${label}: shape [${w.shape.join(', ')}] does not fit [${v.shape.join(', ')}]`);
          continue;
        }
        tf.tidy(() => v.assign(tf.tensor(w.values, v.shape)));
        loaded.push(label);
      }
    }
    for (const id of Object.keys(weights)) if (!this.instances.has(id)) skipped.push(`${id}: no such node in this graph`);
    return { loaded, skipped };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.stopRequested = true;
    this.wake();
    if (this.loopPromise) await this.loopPromise;
    if (this.initPromise) await this.initPromise.catch(() => undefined);
    if (this.inflight) await this.inflight.catch(() => undefined);
    this.disposed = true;
    if (!this.isFinished()) this.setStatus('stopped', 'cancelled');
    try {
      this.freeAll();
    } catch (e) {
      // An engine that ran out of memory may fail to free too: the run has failed already, say nothing more.
      if (this.status$.value.state !== 'failed') throw e;
    }
    this.completeStreams();
  }

  private freeAll(): void {
    for (const b of this.pending) for (const t of b.tensors) t.dispose();
    this.pending = [];
    if (this.candidate && this.candidate !== this.good) disposeSnapshot(this.candidate);
    if (this.good) disposeSnapshot(this.good);
    this.candidate = this.good = null;
    for (const inst of this.instances.values()) inst.dispose();
    this.instances.clear();
    for (const ds of this.datasets.values()) disposeDataset(ds);
    this.datasets.clear();
    this.optimizer?.dispose();
    this.optimizer = null;
    this.outputs.clear();
  }
}

/** What a failed run says: an engine out of memory (a wasm heap past 4 GB...) is named as such, with what to change. */
function failureReason(e: unknown): string {
  const message = errorMessage(e);
  return /memory access out of bounds|out of memory|allocation failed|invalid typed array length|Aborted\(OOM\)/i.test(message)
    ? `ran out of memory (${message}): use a smaller batch size, fewer samples or fewer units`
    : message;
}

function disposeDataset(ds: DatasetState): void {
  if (ds.evalTensor !== ds.tensor) ds.evalTensor.dispose();
  if (ds.train !== ds.tensor) ds.train.dispose();
  ds.test?.dispose();
  ds.tensor.dispose();
}

function disposeSnapshot(s: { tensors: Map<tf.Variable, tf.Tensor> }): void {
  for (const t of s.tensors.values()) t.dispose();
  s.tensors.clear();
}
