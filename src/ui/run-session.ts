import type { ReactiveController } from 'lit';
import type { Subscription } from 'rxjs';
import { formatProblem, hasErrors, nothingToTrain, saveGraph, structureHash, validateGraph, type Problem } from '../graph';
import { errorMessage } from '../lib/error-message';
import { isFinished, type RunState } from '../runtime/core';
import type { Checkpoint, MetricsBatch, NamedWeights, Run } from '../runtime/types';
import { getSetting, latestCheckpoint, listRuns, loadWeights, saveCheckpoint, saveRun, saveWeights, setSetting, warmStartWeights, type Library } from '../store';
import type { AppHost, StartRunOptions, StartSeeds } from './app-host';
import type { SeedsOutcome } from './worker-seeds';
import type { ParamChange } from './inspector';
import { rendered } from './rendered';
import type { RunAction } from './run-controls';

/** The library setting behind "keep weights across edits". */
const reuseWeightsSetting = 'reuseWeights';

/** Where a run's weights, checkpoints and history go in the library; a preview run only shows weights. */
interface RunMeta { id: string; graphId: string; hash: string; started: string; preview: boolean }

/**
 * The run session of `<lf-app>`: Train, Step, Pause, Resume and Stop of the open graph's run, seed
 * comparisons, resuming from a checkpoint, warm starts, and the trained model of the open graph (its
 * weights, history and newest checkpoint, kept in the library as runs end).
 */
export class RunSession implements ReactiveController {
  /** The open graph's run (a preview run holds trained weights for the views without training). */
  @rendered run: Run | null = null;
  /** The run's state as its `status$` last said (`idle` before it says). */
  @rendered state: RunState = 'idle';
  /** A run is being started (the run controls wait). */
  @rendered starting = false;
  /** Set while "Compare seeds" or a sweep trains: the main run controls wait. */
  @rendered comparing = false;
  /**
   * After a structural edit, Train starts from the last trained weights wherever a node keeps its
   * id and shapes (ARCHITECTURE §4 Reuse: an AE becomes a warm-started DAE); off: every Train starts afresh.
   */
  @rendered reuseWeights = true;
  /** The newest checkpoint of the open graph for its structure, offered as "Resume". */
  @rendered resumable: Checkpoint | null = null;
  /** Trained weights of the open graph for its current structure (restored, imported or from the last run). */
  trainedWeights: NamedWeights | null = null;
  /** The structure hash `trainedWeights` belong to. */
  trainedHash: string | null = null;
  /** The loss history of the run behind `trainedWeights` (the newest kept run, or checkpoint, of this structure). */
  trainedHistory: MetricsBatch | null = null;
  /** The run the views keep showing while seeds are compared (the comparison's runs are not drawn there). */
  private shownRun: Run | null = null;
  private meta: RunMeta | null = null;
  private persisting: Promise<void> = Promise.resolve();
  /** The starts asked for, one after another (see `start`). */
  private startQueue: Promise<unknown> = Promise.resolve();
  private startTicket = 0;
  private subs: Subscription[] = [];

  constructor(private readonly host: AppHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.startTicket++;
    for (const s of this.subs.splice(0)) s.unsubscribe();
    void this.run?.dispose();
  }

  /** The run the views draw: the open graph's, also while seeds are compared. */
  get viewedRun(): Run | null {
    return this.comparing ? this.shownRun : this.run;
  }

  /** Training or paused. */
  get active(): boolean {
    return this.state === 'running' || this.state === 'paused';
  }

  /** Resolves when the last ended run's weights and history are in the library (tests). */
  get saved(): Promise<void> {
    return this.persisting;
  }

  /** The open graph's trainer node (category `train`), if it has one. */
  trainer() {
    const { catalog } = this.host;
    return this.host.document.doc.nodes.find((n) => catalog?.get(n.kind)?.category === 'train') ?? null;
  }

  /** Reads "keep weights across edits" from the library. */
  async readSettings(library: Library): Promise<void> {
    this.reuseWeights = await getSetting(library, reuseWeightsSetting, true).catch(() => true);
  }

  setReuseWeights(reuse: boolean): void {
    this.reuseWeights = reuse;
    const { library } = this.host.document;
    if (library) void setSetting(library, reuseWeightsSetting, reuse);
  }

  /** A button of the run controls (or the Space key): a new run starts where there is none to go on with. */
  async act(action: RunAction): Promise<void> {
    try {
      if (action === 'pause') return void (await this.run?.pause());
      if (action === 'resume') return this.run?.resume();
      if (action === 'stop') return void (await this.run?.stop());
      if (!this.trainer()) return this.host.showHint(nothingToTrain[0]!.toUpperCase() + nothingToTrain.slice(1));
      if (!this.run || this.meta?.preview || isFinished(this.state)) {
        if (!(await this.start())) return;
      }
      if (action === 'train') await this.run!.start();
      else await this.run!.step(1);
    } catch (e) {
      this.host.showHint(`Run: ${errorMessage(e)}`);
    }
  }

  /** Space: pauses a running run, resumes a paused one, else trains. */
  toggle(): Promise<void> {
    const s = this.state;
    return this.act(s === 'running' || s === 'loading' ? 'pause' : s === 'paused' ? 'resume' : 'train');
  }

  /** A live param changed in the inspector: the running run takes it at once (or says why not). */
  setLiveParam(change: ParamChange): void {
    if (!change.live || !this.run) return;
    const refused = this.run.setParam(change.nodeId, change.name, change.value);
    if (refused) this.host.showHint(refused.message);
  }

  /** A run of the open graph with another seed, for a seed comparison (the main run makes way). */
  async seedRun(seed: number, text?: string): Promise<Run | string> {
    const { startRun, editor } = this.host;
    if (!startRun || !editor) return 'training is not available here (no worker)';
    if (!this.comparing) this.shownRun = this.run;
    this.comparing = true;
    await this.end();
    const result = await startRun(text ?? saveGraph(editor.getDoc()), { seed });
    return 'status$' in result ? result : cannotRun(result.problems);
  }

  /**
   * The seeds of the open graph trained as one program, for a seed comparison (the main run makes way):
   * their results, or why they train one after another instead, or why the graph cannot run.
   */
  async seedsTogether(seeds: number[], options: Parameters<StartSeeds>[2]): Promise<SeedsOutcome | string> {
    const { startSeeds, editor } = this.host;
    if (!startSeeds || !editor) return { batched: false, reason: 'this page trains seeds one at a time' };
    if (!this.comparing) this.shownRun = this.run;
    this.comparing = true;
    await this.end();
    const outcome = await startSeeds(saveGraph(editor.getDoc()), seeds, options);
    return 'problems' in outcome ? cannotRun(outcome.problems) : outcome;
  }

  /** A seed comparison ended: the views show the trained model again. */
  seedsDone(): void {
    this.comparing = false;
    this.shownRun = null;
    void this.previewTrained();
  }

  /** Continues training from the newest checkpoint of this graph's structure. */
  async resumeFromCheckpoint(): Promise<void> {
    const cp = this.resumable;
    if (!cp) return;
    const resume = { initialWeights: cp.weights, startStep: cp.step, optimizerState: cp.optimizer, history: cp.history };
    if (await this.start(resume)) await this.run!.start().catch((e: unknown) => this.host.showHint(`Run: ${errorMessage(e)}`));
  }

  /** The trained weights of the open graph: from the run, else the saved ones. */
  async currentWeights(): Promise<NamedWeights | null> {
    const run = this.run;
    if (run && (this.meta?.preview === false || this.trainedWeights === null)) {
      const w = await run.getWeights().catch(() => null);
      if (w && Object.keys(w).length) return w;
    }
    return this.trainedWeights;
  }

  /** Another graph opens: what was trained for the one before is not its. */
  forget(): void {
    this.trainedWeights = null;
    this.trainedHash = null;
    this.trainedHistory = null;
    this.resumable = null;
  }

  /** The saved weights, history and newest checkpoint for the open graph's current structure; the views show them. */
  async restoreSaved(): Promise<void> {
    await this.lookUpSaved();
    if (this.trainedWeights) await this.previewTrained();
  }

  private async lookUpSaved(): Promise<void> {
    const { library, graphId, doc } = this.host.document;
    const { catalog } = this.host;
    if (!library || !graphId || !catalog) return;
    const hash = structureHash(doc, catalog);
    if (!hash) return;
    const [weights, checkpoint, runs] = await Promise.all([
      loadWeights(library, graphId, hash).catch(() => null),
      latestCheckpoint(library, graphId, hash).catch(() => null),
      listRuns(library, graphId).catch(() => []),
    ]);
    this.trainedWeights = weights;
    this.trainedHash = weights ? hash : null;
    this.resumable = checkpoint;
    // The run history is part of what was kept: the loss curve and a bundle's metrics show it again.
    const kept = runs.find((r) => r.structureHash === hash && r.history.steps.length > 0)?.history ?? checkpoint?.history;
    this.trainedHistory = weights && kept?.steps.length ? kept : null;
  }

  /** An idle run holding the trained weights, so the views show the trained model without training. */
  private async previewTrained(): Promise<void> {
    if (!this.host.startRun || !this.trainedWeights) return;
    await this.start({ initialWeights: this.trainedWeights, ...(this.trainedHistory ? { history: this.trainedHistory } : {}) }, true);
  }

  /**
   * Starts a run of the open graph (saved first, so its weights and checkpoints have a place).
   * A `preview` run only holds trained weights for the views; Train replaces it with a fresh run.
   */
  private start(options: StartRunOptions = {}, preview = false): Promise<boolean> {
    // One start at a time, the latest asked for wins: a start still waiting its turn when another is
    // asked for gives way (resolves false), and so does one whose run comes back after another start or
    // an `end()` was asked for (its run is disposed unseen). Without this, Train pressed while a reopened graph's preview
    // run was still loading lost to the preview, which then replaced the training run (left running unseen).
    const ticket = ++this.startTicket;
    const turn = this.startQueue.then(() => (ticket === this.startTicket ? this.startNow(options, preview, ticket) : false));
    this.startQueue = turn.catch(() => false);
    return turn;
  }

  private async startNow(options: StartRunOptions, preview: boolean, ticket: number): Promise<boolean> {
    const { startRun, editor, catalog, document } = this.host;
    if (!startRun || !editor) {
      if (!preview) this.host.showHint('Training is not available here (no worker)');
      return false;
    }
    const doc = editor.getDoc();
    // A graph that cannot run is refused before the current run ends: its views and weights stay.
    const invalid = catalog ? validateGraph(doc, catalog).problems : [];
    if (hasErrors(invalid)) {
      this.refused(invalid);
      return false;
    }
    await this.endRun();
    const graphId = preview ? document.graphId : await document.saveNow();
    const hash = catalog ? structureHash(doc, catalog) : null;
    const meta = graphId && hash ? { id: `${graphId}/${Date.now().toString(36)}`, graphId, hash, started: new Date().toISOString(), preview } : null;
    const epochs = Number(this.trainer()?.params.epochs) || 100;
    const warmFrom = this.trainer()?.params.warmStartFrom;
    if (!preview && !options.initialWeights && typeof warmFrom === 'string' && warmFrom.trim() && document.library) {
      const warm = await warmStartWeights(document.library, warmFrom);
      if (typeof warm === 'string') this.host.showHint(warm);
      else options = { ...options, initialWeights: warm.weights };
    }
    // The weights trained before a structural edit carry over where they still fit.
    const reused = !preview && !options.initialWeights && this.reuseWeights && !!this.trainedWeights && !!hash && !!this.trainedHash && this.trainedHash !== hash;
    if (reused) options = { ...options, initialWeights: this.trainedWeights! };
    this.starting = true;
    try {
      const result = await startRun(saveGraph(doc), {
        ...options,
        ...(meta && !preview ? {
          checkpointEvery: Math.max(1, Math.round(epochs / 10)),
          onCheckpoint: (cp: Checkpoint) => this.keepCheckpoint(meta, cp),
        } : {}),
      });
      if (ticket !== this.startTicket) {
        if ('status$' in result) void result.dispose().catch(() => undefined);
        return false;
      }
      if (!('status$' in result)) {
        this.refused(result.problems);
        return false;
      }
      const run = result;
      this.run = run;
      this.subs.push(run.events$.subscribe((e) => {
        if (e.type === 'warm-start' && reused) {
          this.host.showHint(`The structure changed: ${e.loaded.length} trained weights carried over${e.skipped.length ? `, ${e.skipped.length} changed shape` : ''}; the rest start fresh (untick "keep weights" to start all afresh)`);
        } else if (e.type === 'warm-start' && preview) {
          if (e.loaded.length) this.host.showHint('Trained weights restored from the library');
        } else if (e.type === 'warm-start') this.host.showHint(`Warm start: ${e.loaded.length} weights loaded${e.skipped.length ? `, ${e.skipped.length} skipped (other shapes)` : ''}`);
        if (e.type === 'optimizer-state' && !e.restored) this.host.showHint(`Resumed with a fresh optimizer: its saved state does not fit (${e.reason})`);
        if (e.type === 'backend-fallback') this.host.showHint(`The ${e.from} backend failed (${e.reason}); training continues on ${e.to}`);
      }));
      this.meta = meta ? { ...meta, preview } : null;
      this.state = 'idle';
      if (meta && !preview) void run.finished.then((status) => { this.persisting = this.persisting.then(() => this.keepRun(run, meta, status.state)); });
      this.subs.push(run.status$.subscribe((s) => {
        if (this.run === run) this.state = s.state;
      }));
      return true;
    } finally {
      this.starting = false;
    }
  }

  private refused(problems: Problem[]): void {
    this.host.problems = problems;
    this.host.editor?.showProblems(problems);
    this.host.showHint('The graph cannot run yet: see Problems');
  }

  /** Ends the open graph's run (a training one is stopped first and its weights and history kept); a start under way gives way. */
  end(): Promise<void> {
    this.startTicket++;
    return this.endRun();
  }

  private async endRun(): Promise<void> {
    const run = this.run;
    if (run && !this.meta?.preview && (this.state === 'running' || this.state === 'paused' || this.state === 'loading')) {
      // Stopping saves its weights and run history (run.finished) before the Worker goes.
      await run.stop().catch(() => undefined);
      await run.finished;
    }
    await this.persisting;
    this.run = null;
    this.meta = null;
    this.state = 'idle';
    if (run) await run.dispose().catch(() => undefined);
  }

  private async keepCheckpoint(meta: { id: string; graphId: string; hash: string }, cp: Checkpoint): Promise<void> {
    const { library } = this.host.document;
    if (!library) return;
    const r = await saveCheckpoint(library, { graphId: meta.graphId, runId: meta.id, structureHash: meta.hash }, cp, 2);
    if (!r.ok) this.host.showHint(`Checkpoint not saved: ${r.problem.message}`);
    else if (meta.graphId === this.host.document.graphId) this.resumable = cp;
  }

  /** A run ended: its trained weights and history go to the library. */
  private async keepRun(run: Run, meta: { id: string; graphId: string; hash: string; started: string }, state: string): Promise<void> {
    const { library } = this.host.document;
    if (!library) return;
    const weights = await run.getWeights().catch(() => null);
    if (weights && Object.keys(weights).length) {
      const w = await saveWeights(library, meta.graphId, meta.hash, weights);
      if (!w.ok) this.host.showHint(`Trained weights not saved: ${w.problem.message}`);
      // The history goes with the weights: a view of the trained model (after Compare seeds) shows its loss curve too.
      if (meta.graphId === this.host.document.graphId) { this.trainedWeights = weights; this.trainedHash = meta.hash; this.trainedHistory = run.history(); }
    }
    const trainer = this.trainer();
    await saveRun(library, {
      id: meta.id, graphId: meta.graphId, structureHash: meta.hash, started: meta.started, status: state,
      ...(typeof trainer?.params.seed === 'number' ? { seed: trainer.params.seed } : {}),
      ...(run.backend ? { backend: run.backend } : {}),
      history: run.history(),
    });
  }
}

/** Why a graph cannot run, from the problems its Worker refused it with. */
function cannotRun(problems: Problem[]): string {
  const errors = problems.filter((p) => p.severity === 'error');
  return errors.length ? errors.map(formatProblem).join('; ') : 'the graph cannot run';
}
