/**
 * What a run holds and answers while it trains or not: its backend, datasets, network and optimizer (set
 * up on first use), live params, learning rate, evaluations, subscribed outputs, weights and checkpoints.
 * The training loop and its state machine extend it (run.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import type { Observable } from 'rxjs';
import { checkActivationMemory, liveParamProblem, type Json, type Params, type Problem } from '../graph';
import { wasmThreadsFor } from './backend';
import { DeviceWatch, firstBackend } from './backend-fallback';
import { ancestorsInOrder, type Plan, type PlanNode } from './compile';
import { RunDatasets } from './datasets';
import { stepsPerEpoch } from './epochs';
import { decodeCodes, evaluateNode } from './evaluate';
import { historyStore } from './history';
import { epochLr } from './lr-schedule';
import { lrParams, trainerParams, type TrainerParams } from '../../nodes/train-optimizer';
import { Network } from './network';
import { makeOptimizer, readOptimizerState, restoreOptimizerState, setOptimizerLr } from './optimizer';
import { OutputCache } from './output-cache';
import { RunStreams } from './run-streams';
import { applyWeights, readWeights } from './run-weights';
import type { MetricsBatch, NamedWeights, Run, RunOptions, RunStatus } from './types';

/** Where the views' draws start (one per step); evaluations of their own count up from 0 (`evaluate`). */
const viewDraws = 500_000_000;

export abstract class RunModel extends RunStreams implements Run {
  backend: string | null = null;

  protected readonly trainer: PlanNode | null;
  protected readonly net: Network;
  protected readonly datasets: RunDatasets;
  protected readonly outputs: OutputCache;
  protected readonly device = new DeviceWatch();
  protected readonly now: () => number;
  protected readonly log = historyStore();
  protected optimizer: tf.Optimizer | null = null;
  protected stepIndex = 0;
  protected lr = 0;
  protected disposed = false;
  private initPromise: Promise<void> | null = null;
  private evaluations = 0;
  private typedTrainer: TrainerParams | null = null;

  constructor(protected readonly plan: Plan, protected readonly options: RunOptions) {
    super();
    this.trainer = plan.trainerId ? plan.byId.get(plan.trainerId)! : null;
    const trainerAtStart = this.trainer && trainerParams(this.trainer.params);
    const seed = options.seed ?? trainerAtStart?.seed ?? 1;
    this.net = new Network(plan, seed);
    this.datasets = new RunDatasets(seed, trainerAtStart?.testSplit ?? 0, options.evalLimit);
    this.now = options.now ?? (typeof performance !== 'undefined' ? () => performance.now() : () => Date.now());
    this.outputs = new OutputCache({
      ready: () => this.init(),
      // The views of one step share their draws (noise, samples): a DAE's histogram and reconstructions
      // show the same noisy inputs, so their wrong-pixel counts agree.
      evaluate: (id, socket) => this.evaluateWith(id, socket, viewDraws + this.stepIndex),
      upstream: (id) => (plan.byId.has(id) ? ancestorsInOrder(id, plan.nodes, plan.byId) : []),
      hasWeights: (id) => this.net.hasWeights(id),
      now: this.now,
      alive: () => !this.disposed,
      failed: (source, message) => this.events$.next({ type: 'error', source, message }),
    }, options.outputThrottleMs);
    this.stepIndex = Math.max(0, Math.floor(options.startStep ?? 0));
    if (options.history) this.log.append(options.history);
    options.signal?.addEventListener('abort', () => void this.dispose(), { once: true });
  }

  abstract start(): Promise<void>;
  abstract pause(): Promise<void>;
  abstract resume(): void;
  abstract step(n?: number): Promise<void>;
  abstract stop(): Promise<void>;
  abstract dispose(): Promise<void>;

  protected get epochs(): number {
    return this.options.epochs ?? ((this.trainer && this.trainerParams.epochs) || 1);
  }

  /** The trainer's live params, typed (checked once per change: `setParam` makes it read them again). */
  protected get trainerParams(): TrainerParams {
    return (this.typedTrainer ??= trainerParams(this.net.live.get(this.trainer!.id)!));
  }

  protected currentEpoch(): number {
    return Math.floor(this.stepIndex / this.net.stepsPerEpoch);
  }

  protected setStatus(state: RunStatus['state'], reason?: string): void {
    this.announce({ state, reason, step: this.stepIndex, epoch: this.currentEpoch() });
    // A run that will not step now (paused, ended, failed) draws the views held for its first step.
    if (state !== 'loading' && state !== 'idle' && state !== 'running') this.outputs.release();
  }

  params(nodeId: string): Params | undefined {
    const p = this.net.live.get(nodeId);
    return p ? { ...p } : undefined;
  }

  setParam(nodeId: string, name: string, value: unknown): Problem | null {
    const node = this.plan.byId.get(nodeId);
    const problem = liveParamProblem(node && { id: node.id, kind: node.kind.kind, specs: node.kind.params }, nodeId, name, value);
    if (problem) return problem;
    this.net.live.get(nodeId)![name] = value as Params[string];
    if (node === this.trainer) this.typedTrainer = null;
    if (node === this.trainer && this.optimizer && (lrParams as readonly string[]).includes(name)) this.applySchedule(this.currentEpoch());
    this.outputs.paramChanged(nodeId);
    this.events$.next({ type: 'param', nodeId, name, value });
    // A paused or finished run's views show the change too (a noise level, a β); a running one refreshes anyway.
    if (this.status$.value.state !== 'running') queueMicrotask(() => this.outputs.refresh(true));
    return null;
  }

  /** The wasm threads for this graph (`planWasmThreads`). */
  protected wasmThreads(): number | undefined {
    return planWasmThreads(this.plan);
  }

  /** Chooses the backend, loads the datasets, builds the network and the optimizer: once, on first use. */
  protected init(): Promise<void> {
    this.initPromise ??= (async () => {
      this.setStatus('loading');
      // The datasets load (fetch, parse: plain arrays) while the backend starts (wasm: compile, threads).
      const loads = this.plan.datasetIds.map((id) => this.plan.byId.get(id)!.kind.load!(this.net.live.get(id)!, this.options.io));
      for (const l of loads) l.catch(() => undefined); // awaited below, after the backend; not unhandled meanwhile
      const choice = await firstBackend(this.options, this.wasmThreads());
      this.backend = choice.backend;
      this.device.watch(this.backend);
      this.events$.next({ type: 'backend', backend: choice.backend, skipped: choice.skipped, threads: choice.threads });
      const loaded = [];
      for (const l of loads) loaded.push(await l);
      if (this.disposed) return;
      // Validation's activation estimate again with the samples loaded (an upload's count is known only
      // now, issue 13): refused with the numbers before any tensor is made, never a wasm out-of-memory.
      const samples = Math.max(0, ...loaded.map((d) => d.count));
      const tooMuch = this.plan.activation && loaded.length ? checkActivationMemory(this.plan.activation, samples) : null;
      if (tooMuch?.severity === 'error') throw new Error(tooMuch.message);
      for (const [i, id] of this.plan.datasetIds.entries()) this.datasets.add(id, loaded[i]!);
      this.net.build();
      if (this.options.initialWeights) this.events$.next({ type: 'warm-start', ...this.loadWeights(this.options.initialWeights) });
      const batchSize = (this.trainer ? this.trainerParams.batchSize : 0);
      const n = this.datasets.trainCount ?? 1;
      this.net.stepsPerEpoch = stepsPerEpoch(batchSize, n);
      if (this.trainer) {
        this.optimizer = makeOptimizer(this.trainerParams);
        this.applySchedule(0);
        if (this.options.optimizerState) {
          const why = await restoreOptimizerState(this.optimizer, this.optimizerName(), this.options.optimizerState, this.net.varList);
          this.events$.next(why ? { type: 'optimizer-state', restored: false, reason: why } : { type: 'optimizer-state', restored: true });
        }
      }
      this.setStatus('idle');
    })();
    return this.initPromise;
  }

  /** Waits for a setup in progress, ignoring its failure (the run is ending). */
  protected async settleInit(): Promise<void> {
    if (this.initPromise) await this.initPromise.catch(() => undefined);
  }

  /** The schedule's learning rate at an epoch, set on the optimizer when it changed. */
  protected applySchedule(epoch: number): void {
    if (!this.trainer || !this.optimizer) return;
    const lr = epochLr(this.trainerParams, epoch, this.lr);
    if (lr !== this.lr) {
      this.lr = lr;
      setOptimizerLr(this.optimizer, lr);
    }
  }

  /** A learning rate the adaptive rule chose (announced). */
  protected setLr(lr: number, epoch: number): void {
    this.lr = lr;
    if (this.optimizer) setOptimizerLr(this.optimizer, lr);
    this.events$.next({ type: 'lr', epoch, lr });
  }

  /** Hands a checkpoint (weights, optimizer state, history) to `onCheckpoint`, if any. */
  protected async checkpoint(): Promise<void> {
    if (!this.options.onCheckpoint || this.disposed || this.net.instances.size === 0) return;
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

  /** An evaluation of its own: fresh noise and samples (a metric read at the end, an inference asked for). */
  evaluate(nodeId: string, socket?: string): Promise<Json> {
    return this.evaluateWith(nodeId, socket, this.evaluations++);
  }

  private async evaluateWith(nodeId: string, socket: string | undefined, draw: number): Promise<Json> {
    await this.init();
    if (this.disposed) throw new Error('this run was disposed');
    const node = this.plan.byId.get(nodeId);
    if (!node) throw new Error(`no node "${nodeId}"`);
    if (node.kind.category === 'train') return this.log.get() as unknown as Json;
    return evaluateNode(this.net, this.datasets, nodeId, socket, this.stepIndex, draw);
  }

  async decode(decoderNodeId: string, codes: number[][]): Promise<Json> {
    await this.init();
    if (this.disposed) throw new Error('this run was disposed');
    return decodeCodes(this.net, decoderNodeId, codes, this.stepIndex, () => this.evaluations++);
  }

  output$(nodeId: string, socket?: string): Observable<Json> {
    return this.outputs.output$(nodeId, socket);
  }

  async getWeights(): Promise<NamedWeights> {
    await this.init();
    return readWeights(this.net.instances);
  }

  async setWeights(weights: NamedWeights): Promise<{ loaded: string[]; skipped: string[] }> {
    await this.init();
    return this.loadWeights(weights);
  }

  protected loadWeights(weights: NamedWeights): { loaded: string[]; skipped: string[] } {
    this.outputs.weightsChanged();
    return applyWeights(this.net.instances, weights);
  }

  /**
   * Frees the network, datasets and optimizer. `rebuild`: a backend fallback's, which ignores a lost device's
   * errors (its memory is gone anyway) and keeps the samples and the subscribed outputs to go on elsewhere.
   */
  protected freeModel(rebuild = false): void {
    this.net.dispose(rebuild);
    this.datasets.dispose({ keep: rebuild, quietly: rebuild });
    try {
      this.optimizer?.dispose();
    } catch (e) {
      if (!rebuild) throw e;
    }
    if (rebuild) return;
    this.optimizer = null;
    this.outputs.clear();
  }
}

/**
 * The wasm threads for a graph (`wasmThreadsFor`) trained alone or as `seeds` seeds in one program: one
 * for a small net, whose tiny kernels would wait on the thread pool, every core above. A step takes
 * about every weight once per sample of a batch, for each seed.
 */
export function planWasmThreads(plan: Plan, seeds = 1): number | undefined {
  const trainer = plan.trainerId ? plan.byId.get(plan.trainerId)! : null;
  const batchSize = trainer ? trainerParams(trainer.params).batchSize : 0;
  const first = plan.datasetIds[0];
  const samples = (first && (plan.byId.get(first)!.outShapes.x as { samples?: number } | undefined)?.samples) || 1;
  return wasmThreadsFor(plan.totalParams * (batchSize > 0 ? Math.min(batchSize, samples) : samples) * seeds);
}
