/**
 * A training run's loop and state machine (idle → loading → running ⇄ paused → done, stopped or failed).
 * What the run holds and answers (network, datasets, outputs, weights, evaluations) is run-model.ts; each
 * rule the loop applies has its module: the learning rate (lr-schedule.ts), early stopping
 * (early-stopping.ts), loss read-back (read-back.ts), the NaN guard (nan-guard.ts), backend fallback
 * (backend-fallback.ts) and progress (progress.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import { filter, firstValueFrom, skip } from 'rxjs';
import { errorMessage } from '../lib/error-message';
import { nextBackend } from './backend-fallback';
import type { Plan } from './compile';
import { earlyStopRule, earlyStopStart, watchLoss } from './early-stopping';
import { failureReason, nanReason } from './failures';
import { adaptLr, adaptiveRule } from './lr-schedule';
import { NanGuard } from './nan-guard';
import { makeOptimizer } from './optimizer';
import { ProgressMeter } from './progress';
import { EpochMeans, LossReader, readLosses, type PendingLoss } from './read-back';
import { RunModel } from './run-model';
import { isFinished, type Run, type RunOptions } from './types';
import { yieldEveryMsDefault, yieldToHost } from './yield-to-host';

export type { RunOptions } from './types';

/** Longest wait between loss read-backs while training (fewer steps than `metricsEvery` on a slow model). */
const readBackMs = 1000;

/** Builds a run for a compiled plan; nothing is allocated until start() or step(). */
export function createRun(plan: Plan, options: RunOptions): Run {
  return new TrainingRun(plan, options);
}

class TrainingRun extends RunModel {
  private readonly guard = new NanGuard(this.net.varNames);
  private readonly reader = new LossReader(this.now);
  private readonly progress = new ProgressMeter(this.now);
  private readonly metricsEvery = Math.max(1, this.options.metricsEvery ?? 20);
  private loopPromise: Promise<void> | null = null;
  private pauseRequested = false;
  private stopRequested = false;
  private stepBudget: number | null = null;
  private resumeWaiter: (() => void) | null = null;
  private readonly epochMeans = new EpochMeans();
  private lastEpochLoss: number | undefined;
  private adaptiveStreak = 0;
  private earlyStop = earlyStopStart;
  /** Test loss by epoch, until the epoch closes. */
  private readonly testLosses = new Map<number, number>();

  async start(): Promise<void> {
    if (this.disposed) throw new Error('this run was disposed');
    this.pauseRequested = false;
    this.stepBudget = null;
    this.launch();
    this.wake();
  }

  private launch(): void {
    if (this.loopPromise) return;
    // The views wait for the first step's losses (onLosses) rather than delay it with the untrained model.
    this.outputs.hold();
    this.loopPromise = this.loop().catch((e: unknown) => this.fail(failureReason(e)));
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
    const settled = firstValueFrom(this.status$.pipe(skip(1), filter((s) => s.state === 'paused' || isFinished(s.state))));
    this.stepBudget = n;
    this.pauseRequested = false;
    this.launch();
    this.wake();
    await settled.catch(() => undefined);
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
    if (!this.trainer || !this.optimizer) return this.setStatus('done', 'the graph has no trainer: nothing to train');
    for (;;) {
      try {
        return await this.trainLoop();
      } catch (e) {
        if (this.disposed || !(await this.fallBack(e))) throw e;
      }
    }
  }

  private async trainLoop(): Promise<void> {
    this.setStatus('running');
    this.progress.restart(this.stepIndex);
    this.reader.lastReadAt = -Infinity;
    const yieldEvery = this.options.yieldEveryMs ?? yieldEveryMsDefault;
    const yieldNow = this.options.yieldToHost ?? yieldToHost;
    const checkpointEvery = this.options.checkpointEvery ?? 0;
    let lastYield = this.now();
    // The weights this run begins from: a NaN before any later snapshot is proven good goes back to them.
    if (!this.guard.started) this.guard.take(this.stepIndex, this.net.varList);
    while (!this.stopRequested && this.stepIndex < this.epochs * this.net.stepsPerEpoch) {
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
        this.progress.restart(this.stepIndex);
        continue;
      }
      if (this.stepIndex % this.net.stepsPerEpoch === 0) this.beginEpoch(this.currentEpoch());
      if (this.device.reason) throw new Error(this.device.reason);
      this.trainStep();
      if (this.testDue()) this.testStep();
      if (this.stepBudget !== null) this.stepBudget--;
      // Progress (and the first loss) show after one step, and at least every second on a slow model.
      const now = this.now();
      if (this.reader.size >= this.metricsEvery || now - this.reader.lastReadAt >= readBackMs) await this.flush(false);
      if (this.isFinished()) return;
      if (checkpointEvery > 0 && this.stepIndex % this.net.stepsPerEpoch === 0 && this.currentEpoch() % checkpointEvery === 0) await this.checkpoint();
      if (now - lastYield > yieldEvery) {
        await yieldNow();
        lastYield = this.now();
      }
    }
    await this.flush(true);
    if (this.isFinished() || this.disposed) return;
    await this.checkpoint();
    if (this.stopRequested) this.setStatus('stopped', `stopped at step ${this.stepIndex}`);
    else if (!this.isFinished()) this.setStatus('done', `trained ${this.currentEpoch()} epochs (${this.stepIndex} steps)`);
    this.outputs.refresh(true);
  }

  /** A GPU backend failed mid-run: rebuild on the next backend from the last good weights in JS memory. False: nowhere to go. */
  private async fallBack(error: unknown): Promise<boolean> {
    const from = this.backend;
    if (from !== 'webgpu' && from !== 'webgl') return false;
    this.reader.dispose(true);
    this.guard.dispose(true);
    this.freeModel(true);
    const choice = await nextBackend(from, this.options, this.wasmThreads());
    if (!choice) return false;
    this.backend = choice.backend;
    this.device.watch(this.backend);
    this.datasets.rebuild();
    this.net.build();
    if (this.guard.lastGood) this.loadWeights(this.guard.lastGood.weights);
    this.optimizer = makeOptimizer(this.trainerParams);
    this.lr = 0;
    this.applySchedule(this.currentEpoch());
    this.events$.next({ type: 'backend-fallback', from, to: choice.backend, reason: errorMessage(error) });
    this.events$.next({ type: 'backend', backend: choice.backend, skipped: choice.skipped, threads: choice.threads });
    return true;
  }

  private beginEpoch(epoch: number): void {
    if (this.net.stepsPerEpoch > 1) this.datasets.shuffle(epoch);
    this.applySchedule(epoch);
  }

  /** The step's batch of a dataset node (copied in JS on the CPU backends, where gathering rows is slow). */
  private readonly stepBatch = (id: string): tf.Tensor2D =>
    this.datasets.batch(id, this.stepIndex % this.net.stepsPerEpoch, this.trainerParams.batchSize, this.backend === 'wasm' || this.backend === 'cpu');

  private trainStep(): void {
    const step = this.stepIndex;
    const tensors = this.net.trainStep(this.optimizer!, this.trainer!, step, this.stepBatch);
    this.reader.push({ step, epoch: Math.floor(step / this.net.stepsPerEpoch), tensors });
    this.stepIndex++;
    this.outputs.weightsChanged();
  }

  /** Whether the epoch that just ended measures the test loss. */
  private testDue(): boolean {
    if (this.stepIndex % this.net.stepsPerEpoch !== 0 || !this.datasets.hasTestSplit) return false;
    return this.currentEpoch() % Math.max(1, this.trainerParams.testEvery) === 0;
  }

  /** The loss terms on the held-out samples after the epoch's last step; read back with the training losses. */
  private testStep(): void {
    const step = this.stepIndex - 1;
    const epoch = Math.floor(step / this.net.stepsPerEpoch);
    this.reader.push({ step, epoch, tensors: this.net.testLosses(this.trainer!, step, epoch, (id) => this.datasets.testSource(id)), test: true });
  }

  private flush(wait: boolean): Promise<void> {
    return this.reader.flush(wait, {
      starting: () => this.guard.due(this.stepIndex) && this.guard.take(this.stepIndex, this.net.varList),
      lost: this.device.lost,
      read: (batch, values) => this.onLosses(batch, values),
      alive: () => !this.disposed,
    });
  }

  private onLosses(pending: PendingLoss[], values: Float32Array): void {
    const read = readLosses(pending, values, this.trainer!.inputs.loss!.map((s) => s.node));
    for (const t of read.tests) this.testLosses.set(t.epoch, t.total);
    for (const t of read.totals) this.epochMeans.add(t.epoch, t.total);
    if (read.nan) this.onNaN(read.nan.step, read.nan.term, read.nan.value);
    if (read.batch.steps.length || read.batch.test) {
      this.log.append(read.batch);
      this.metrics$.next(read.batch);
    }
    if (this.isFinished()) return;
    // Every loss after the candidate snapshot was finite: it is now the last good one.
    if (pending[0]) this.guard.proven(pending[0].step, this.backend === 'webgpu' || this.backend === 'webgl');
    this.closeEpochs();
    // A batch size of 0 (full batch) trains on every sample a step.
    const [batchSize, count] = [this.trainerParams.batchSize, this.datasets.trainCount];
    const progress = this.progress.next(this.progress$.value, {
      step: this.stepIndex, epoch: this.currentEpoch(), epochs: this.epochs, stepsPerEpoch: this.net.stepsPerEpoch, lr: this.lr,
      samplesPerStep: Math.min(batchSize || (count ?? 1), count ?? (batchSize || 1)),
    });
    if (progress) this.progress$.next(progress);
    this.outputs.release();
    this.outputs.refresh(false);
  }

  /** Closed epochs (every step read back) feed the adaptive learning rate and early stopping. */
  private closeEpochs(): void {
    const p = this.trainerParams;
    for (const { epoch, loss } of this.epochMeans.close(this.net.stepsPerEpoch)) {
      if (p.schedule === 'adaptive') {
        const next = adaptLr({ lr: this.lr, streak: this.adaptiveStreak }, this.lastEpochLoss, loss, adaptiveRule(p));
        this.adaptiveStreak = next.streak;
        if (next.changed) this.setLr(next.lr, epoch);
      }
      this.lastEpochLoss = loss;
      // With a test split, early stopping watches the held-out loss (at the epochs that measure it).
      const testing = this.datasets.hasTestSplit;
      const watched = testing ? this.testLosses.get(epoch) : loss;
      this.testLosses.delete(epoch);
      if (watched === undefined) continue;
      // (Kept as it comes, stop flag and all: an object rest here cost ~1 µs a closed epoch, and the full-batch font AE closes one a step.)
      const state = watchLoss(this.earlyStop, watched, earlyStopRule(p));
      this.earlyStop = state;
      if (!state.stop) continue;
      this.stopRequested = true;
      this.events$.next({ type: 'early-stop', epoch, best: state.best });
      const what = testing ? `${p.patience} test measurements (best test loss` : `${p.patience} epochs (best loss`;
      return this.setStatus('done', `stopped early at epoch ${epoch + 1}: no improvement for ${what} ${state.best.toPrecision(4)})`);
    }
  }

  private onNaN(step: number, term: string, value: number): void {
    // Never left stepping on (or keeping) NaN weights: with no snapshot proven good yet, back to where the run began.
    const from = this.guard.restore();
    this.outputs.weightsChanged();
    this.events$.next({ type: 'nan', step, term, restoredFromStep: from });
    this.fail(nanReason(step, term, this.plan.byId.get(term)?.kind.kind, value, from));
  }

  private fail(reason: string): void {
    if (this.isFinished()) return;
    this.stopRequested = true;
    this.setStatus('failed', reason);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.stopRequested = true;
    this.wake();
    if (this.loopPromise) await this.loopPromise;
    await this.settleInit();
    await this.reader.settle();
    this.disposed = true;
    if (!this.isFinished()) this.setStatus('stopped', 'cancelled');
    try {
      this.reader.dispose();
      this.guard.dispose();
      this.freeModel();
    } catch (e) {
      // An engine that ran out of memory may fail to free too: the run has failed already, say nothing more.
      if (this.status$.value.state !== 'failed') throw e;
    }
    this.completeStreams();
  }
}
