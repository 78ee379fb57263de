/// <reference lib="webworker" />
/**
 * The training Worker (ARCHITECTURE §6: training runs off the main thread). It receives a graph,
 * compiles and runs it, and forwards the Run's streams and call results as typed messages
 * (worker-protocol.ts). Started by src/ui/worker-run.ts; one run per Worker.
 */
import { registry } from '../../nodes';
import { errorMessage } from '../lib/error-message';
import { copyWeights, loadGraph } from '../graph';
import { compile } from './compile';
import { fetchIO } from './io-fetch';
import { createRun } from './run';
import { firstBackend } from './backend-fallback';
import type { BackendName } from './backend-names';
import { planWasmThreads } from './run-model';
import { seedBatchRefusal, seedBatchSlower, trainSeedBatch } from './seed-batch';
import type { Checkpoint, NamedWeights, Run } from './types';
import { isRunMethod, weightBuffers, type FromWorker, type RunMethod, type ToWorker } from './worker-protocol';

declare const self: DedicatedWorkerGlobalScope;

let run: Run | null = null;
const outputs = new Map<number, { unsubscribe(): void }>();
const checkpointWaiters = new Map<number, () => void>();
let nextCheckpoint = 1;

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

function init(msg: Extract<ToWorker, { type: 'init' }>): void {
  const loaded = loadGraph(msg.graph, registry);
  if (!loaded.doc) return post({ type: 'refused', problems: loaded.problems });
  const compiled = compile(loaded.doc, registry);
  if (!compiled.ok) return post({ type: 'refused', problems: compiled.problems });
  const { plan } = compiled;
  const { dataBase, checkpoints, ...options } = msg.config;
  // Every option crosses as it is; what cannot be cloned (worker-protocol.ts ThreadLocalOption) is made here.
  run = createRun(plan, { ...options, io: fetchIO(dataBase ?? '/'), wasmPath: options.wasmPath ?? '/wasm/', onCheckpoint: checkpoints ? sendCheckpoint : undefined });
  const r = run;
  r.status$.subscribe((status) => post({ type: 'status', status }));
  r.progress$.subscribe((progress) => post({ type: 'progress', progress }));
  r.metrics$.subscribe((batch) => post({ type: 'metrics', batch }));
  r.events$.subscribe((event) => {
    if (event.type === 'backend' || event.type === 'backend-fallback') post({ type: 'backend', backend: r.backend ?? event.type });
    post({ type: 'event', event });
  });
  post({
    type: 'ready',
    totalParams: plan.totalParams,
    problems: plan.problems,
    nodes: plan.nodes.map((n) => ({ id: n.id, kind: n.kind.kind, params: { ...n.params }, specs: { ...n.kind.params } })),
  });
}

let seedsStop: AbortController | null = null;

/**
 * Trains seeds of a graph as one program (Compare seeds), or says why not (a node without a seed-batched
 * form, a backend where one after another is faster): the client then trains them in turn.
 */
async function trainSeeds(msg: Extract<ToWorker, { type: 'seeds' }>): Promise<void> {
  const loaded = loadGraph(msg.graph, registry);
  if (!loaded.doc) return post({ type: 'refused', problems: loaded.problems });
  const compiled = compile(loaded.doc, registry);
  if (!compiled.ok) return post({ type: 'refused', problems: compiled.problems });
  const { plan } = compiled;
  const refusal = seedBatchRefusal(plan, msg.seeds.length);
  if (refusal) return post({ type: 'seeds-refused', reason: refusal });
  const { dataBase, ...options } = msg.config;
  const wasmPath = options.wasmPath ?? '/wasm/';
  const choice = await firstBackend({ ...options, wasmPath }, planWasmThreads(plan, msg.seeds.length));
  const slower = seedBatchSlower(choice.backend as BackendName, plan);
  if (slower) return post({ type: 'seeds-refused', reason: slower });
  post({ type: 'backend', backend: choice.backend });
  seedsStop = new AbortController();
  const result = await trainSeedBatch(plan, msg.seeds, {
    ...options, io: fetchIO(dataBase ?? '/'), backend: choice.backend as BackendName, wasmPath, metricNodes: msg.metricNodes, signal: seedsStop.signal,
    onProgress: (progress) => post({ type: 'progress', progress }),
  });
  // What a comparison shows of each seed (the loss history and metric results stay here).
  post({ type: 'seeds-done', runs: result.runs.map(({ seed, state, reason, steps, seconds, loss, testLoss, scalars }) => ({ seed, state, reason, steps, seconds, loss, testLoss, scalars })) });
}

function sendCheckpoint(checkpoint: Checkpoint): Promise<void> {
  const id = nextCheckpoint++;
  const own = { ...checkpoint, weights: copyWeights(checkpoint.weights) };
  return new Promise<void>((resolve) => {
    checkpointWaiters.set(id, resolve);
    // The optimizer's slots are fresh copies already (readOptimizerState): they can move too.
    const slots = own.optimizer?.slots.map((s) => s.values.buffer as ArrayBuffer) ?? [];
    post({ type: 'checkpoint', id, checkpoint: own }, [...weightBuffers(own.weights), ...slots]);
  });
}

/** Calls a run's method by name; weights read back go out in fresh buffers, transferred. */
async function call(r: Run, method: RunMethod, args: unknown[]): Promise<{ value: unknown; transfer: Transferable[] }> {
  if (method === 'dispose') {
    for (const s of outputs.values()) s.unsubscribe();
    outputs.clear();
  }
  const value: unknown = await (r[method] as (...a: unknown[]) => unknown).apply(r, args);
  if (method !== 'getWeights') return { value, transfer: [] };
  const w = copyWeights(value as NamedWeights);
  return { value: w, transfer: weightBuffers(w) };
}

self.addEventListener('message', (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  switch (msg.type) {
    case 'init':
      try {
        init(msg);
      } catch (err) {
        post({ type: 'fatal', message: `could not start the run: ${errorMessage(err)}` });
      }
      return;
    case 'call': {
      const r = run;
      if (!r) return post({ type: 'result', id: msg.id, ok: false, error: 'the Worker has no run (init first)' });
      if (!isRunMethod(msg.method)) return post({ type: 'result', id: msg.id, ok: false, error: `unknown method ${String(msg.method)}` });
      call(r, msg.method, msg.args).then(
        ({ value, transfer }) => post({ type: 'result', id: msg.id, ok: true, value }, transfer),
        (err: unknown) => post({ type: 'result', id: msg.id, ok: false, error: errorMessage(err) }),
      );
      return;
    }
    case 'subscribe': {
      if (!run) return post({ type: 'output-error', sub: msg.sub, error: 'the Worker has no run' });
      const sub = run.output$(msg.nodeId, msg.socket).subscribe({
        next: (value) => post({ type: 'output', sub: msg.sub, value }),
        error: (err: unknown) => post({ type: 'output-error', sub: msg.sub, error: errorMessage(err) }),
      });
      outputs.set(msg.sub, sub);
      return;
    }
    case 'unsubscribe':
      outputs.get(msg.sub)?.unsubscribe();
      outputs.delete(msg.sub);
      return;
    case 'seeds':
      trainSeeds(msg).catch((err: unknown) => post({ type: 'fatal', message: `could not train the seeds: ${errorMessage(err)}` }));
      return;
    case 'seeds-stop':
      seedsStop?.abort();
      return;
    case 'checkpoint-done':
      checkpointWaiters.get(msg.id)?.();
      checkpointWaiters.delete(msg.id);
      return;
  }
});

self.addEventListener('error', (e) => post({ type: 'fatal', message: e.message || 'error in the training Worker' }));
self.addEventListener('unhandledrejection', (e) => post({ type: 'fatal', message: `unhandled error in the training Worker: ${errorMessage(e.reason)}` }));
