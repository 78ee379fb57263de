/**
 * The UI thread's side of the training Worker (src/runtime/worker.ts): `createWorkerRun` sends the graph
 * to a dedicated Worker, which compiles and trains it, and returns an object with the same `Run`
 * interface (src/runtime/types.ts). Controls become messages (the methods in `forwardedRunMethods` are
 * forwarded by name), streams are re-emitted from RxJS subjects, `output$` subscriptions are forwarded,
 * weights come back in transferred Float32Array buffers. The UI thread never runs training math.
 */
import { Observable } from 'rxjs';
import { liveParamProblem, type GraphDoc, type Json, type Params, type Problem } from '../graph';
import { errorMessage } from '../lib/error-message';
import {
  RunStreams, forwardedRunMethods, historyStore,
  type ForwardedRunMethod, type FromWorker, type MetricsBatch, type NodeInfo, type Run, type RunCalls, type RunMethod, type RunOptions, type ToWorker, type WorkerRunConfig,
} from '../runtime/core';

export type { WorkerRunConfig } from '../runtime/core';

export interface WorkerRunOptions extends Omit<WorkerRunConfig, 'checkpoints'>, Pick<RunOptions, 'signal' | 'onCheckpoint'> {
  /** Makes the Worker (tests, other bundlers); default: `new Worker(new URL('../runtime/worker.ts', import.meta.url), { type: 'module' })`. */
  createWorker?: () => Worker;
}

export type WorkerRunResult =
  | { ok: true; run: WorkerRun }
  | { ok: false; problems: Problem[] };

/** A Run whose training lives in a Worker; also says how many parameters it trains and what compile noted. */
export interface WorkerRun extends Run {
  readonly totalParams: number;
  readonly problems: Problem[];
}

/** A Worker started ahead of need (see `prestartWorker`), taken by the next run. */
let spare: Worker | null = null;

/** A training Worker: the one started ahead of need, or a new one. */
export function defaultWorker(): Worker {
  const w = spare ?? new Worker(new URL('../runtime/worker.ts', import.meta.url), { type: 'module', name: 'latentflow-training' });
  spare = null;
  return w;
}

/**
 * Starts the training Worker before it is needed (when the page opens): its modules (tfjs and the
 * runtime, seconds to fetch and compile) load while the user looks at the graph, so Train starts at once.
 */
export function prestartWorker(): void {
  spare ??= defaultWorker();
}

/**
 * Starts a Worker, sends it the graph (file text or document) and waits until it has compiled it.
 * A graph that does not compile gives its problems and the Worker is terminated.
 */
export async function createWorkerRun(graph: string | GraphDoc, options: WorkerRunOptions = {}): Promise<WorkerRunResult> {
  const { signal, onCheckpoint, createWorker, ...config } = options;
  const worker = (createWorker ?? defaultWorker)();
  const client = new WorkerRunClient(worker, onCheckpoint);
  const ready = await client.init(graph, { ...config, checkpoints: !!onCheckpoint });
  if (!ready.ok) {
    worker.terminate();
    return ready;
  }
  if (signal) {
    if (signal.aborted) void client.dispose();
    else signal.addEventListener('abort', () => void client.dispose(), { once: true });
  }
  return { ok: true, run: client };
}

/** How long dispose() waits for the Worker to free its tensors before terminating it anyway. */
const disposeTimeoutMs = 10_000;

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

// The forwarded methods are made in the constructor, one per name in `forwardedRunMethods`.
interface WorkerRunClient extends Pick<Run, ForwardedRunMethod> {}

class WorkerRunClient extends RunStreams implements WorkerRun {
  backend: string | null = null;
  totalParams = 0;
  problems: Problem[] = [];

  private readonly log = historyStore();
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly pending = new Map<number, Pending>();
  private readonly outputSubs = new Map<number, { next: (v: Json) => void; error: (e: Error) => void }>();
  private nextId = 1;
  private onReady: ((r: { ok: true } | { ok: false; problems: Problem[] }) => void) | null = null;
  private disposed = false;
  private terminated = false;
  private disposing: Promise<void> | null = null;

  constructor(private readonly worker: Worker, private readonly onCheckpoint?: RunOptions['onCheckpoint']) {
    super();
    for (const method of forwardedRunMethods) Object.assign(this, { [method]: (...args: RunCalls[typeof method]['args']) => this.call(method, ...args) });
    worker.addEventListener('message', (e: MessageEvent<FromWorker>) => this.receive(e.data));
    worker.addEventListener('error', (e: ErrorEvent) => {
      e.preventDefault();
      this.fatal(e.message ? `the training Worker failed: ${e.message}` : 'the training Worker failed to load or crashed');
    });
    worker.addEventListener('messageerror', () => this.fatal('a message from the training Worker could not be read'));
  }

  init(graph: string | GraphDoc, config: WorkerRunConfig): Promise<{ ok: true } | { ok: false; problems: Problem[] }> {
    // A resumed run's history so far: this side's copy starts from it, as the Worker's does.
    if (config.history) this.log.append(config.history);
    return new Promise((resolve) => {
      this.onReady = resolve;
      this.send({ type: 'init', graph, config });
    });
  }

  private send(msg: ToWorker): void {
    if (!this.terminated) this.worker.postMessage(msg);
  }

  private receive(msg: FromWorker): void {
    switch (msg.type) {
      case 'ready':
        for (const n of msg.nodes) this.nodes.set(n.id, n);
        this.totalParams = msg.totalParams;
        this.problems = msg.problems;
        this.onReady?.({ ok: true });
        this.onReady = null;
        return;
      case 'refused':
        this.onReady?.({ ok: false, problems: msg.problems });
        this.onReady = null;
        return;
      case 'status':
        this.announce(msg.status);
        return;
      case 'progress':
        this.progress$.next(msg.progress);
        return;
      case 'metrics':
        this.log.append(msg.batch);
        this.metrics$.next(msg.batch);
        return;
      case 'backend':
        this.backend = msg.backend;
        return;
      case 'event':
        if (msg.event.type === 'param') {
          const p = this.nodes.get(msg.event.nodeId)?.params;
          if (p && msg.event.name in p) p[msg.event.name] = msg.event.value as Params[string];
        }
        if (msg.event.type === 'backend') this.backend = msg.event.backend;
        if (msg.event.type === 'backend-fallback') this.backend = msg.event.to;
        this.events$.next(msg.event);
        return;
      case 'result': {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.ok) p?.resolve(msg.value);
        else p?.reject(new Error(msg.error));
        return;
      }
      case 'output':
        this.outputSubs.get(msg.sub)?.next(msg.value);
        return;
      case 'output-error':
        this.outputSubs.get(msg.sub)?.error(new Error(msg.error));
        return;
      case 'checkpoint':
        void Promise.resolve()
          .then(() => this.onCheckpoint?.(msg.checkpoint))
          .catch((e: unknown) => this.events$.next({ type: 'error', source: 'checkpoint', message: errorMessage(e) }))
          .finally(() => this.send({ type: 'checkpoint-done', id: msg.id }));
        return;
      case 'fatal':
        this.fatal(msg.message);
        return;
    }
  }

  /** An error outside any call: the run fails with the message (never silently). */
  private fatal(message: string): void {
    if (this.onReady) {
      this.onReady({ ok: false, problems: [{ severity: 'error', path: '', message }] });
      this.onReady = null;
      return;
    }
    const s = this.status$.value;
    if (!this.isFinished()) this.announce({ state: 'failed', reason: message, step: s.step, epoch: s.epoch });
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
  }

  private call<M extends RunMethod>(method: M, ...args: RunCalls[M]['args']): Promise<RunCalls[M]['result']> {
    if (this.terminated) return Promise.reject(new Error('this run was disposed'));
    const id = this.nextId++;
    return new Promise<RunCalls[M]['result']>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ type: 'call', id, method, args } as ToWorker);
    });
  }

  resume(): void {
    void this.call('resume').catch(() => undefined);
  }

  setParam(nodeId: string, name: string, value: unknown): Problem | null {
    // The Worker's run checks with the same function (liveParamProblem), so the answer here is synchronous.
    const node = this.nodes.get(nodeId);
    const problem = liveParamProblem(node, nodeId, name, value);
    if (problem) return problem;
    node!.params[name] = value as Params[string];
    this.call('setParam', nodeId, name, value).then(
      (problem) => {
        if (problem) this.events$.next({ type: 'error', source: `param ${nodeId}.${name}`, message: problem.message });
      },
      () => undefined,
    );
    return null;
  }

  params(nodeId: string): Params | undefined {
    const p = this.nodes.get(nodeId)?.params;
    return p ? { ...p } : undefined;
  }

  history(): MetricsBatch {
    return this.log.get();
  }

  output$(nodeId: string, socket?: string): Observable<Json> {
    return new Observable<Json>((subscriber) => {
      if (this.disposed) {
        subscriber.error(new Error('this run was disposed'));
        return;
      }
      const sub = this.nextId++;
      this.outputSubs.set(sub, { next: (v) => subscriber.next(v), error: (e) => subscriber.error(e) });
      this.send({ type: 'subscribe', sub, nodeId, socket });
      return () => {
        this.outputSubs.delete(sub);
        this.send({ type: 'unsubscribe', sub });
      };
    });
  }

  /** Frees every tensor in the Worker, then terminates it. */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      this.disposed = true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        // A Worker that already failed or hangs cannot free anything; terminating it frees its memory.
        await Promise.race([this.call('dispose'), new Promise((resolve) => (timer = setTimeout(resolve, disposeTimeoutMs)))]);
      } catch {
        // as above
      } finally {
        clearTimeout(timer);
      }
      this.terminated = true;
      this.worker.terminate();
      if (!this.isFinished()) this.announce({ ...this.status$.value, state: 'stopped', reason: 'cancelled' });
      for (const p of this.pending.values()) p.reject(new Error('this run was disposed'));
      this.pending.clear();
      for (const o of this.outputSubs.values()) o.error(new Error('this run was disposed'));
      this.outputSubs.clear();
      this.completeStreams();
    })();
    return this.disposing;
  }
}
