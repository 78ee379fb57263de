/// <reference lib="webworker" />
/**
 * The training Worker (ARCHITECTURE §6: training runs off the main thread). It receives a graph,
 * compiles and runs it, and forwards the Run's streams and call results as typed messages
 * (worker-protocol.ts). Started by worker-client.ts; one run per Worker.
 */
import { registry } from '../../nodes';
import { copyWeights, loadGraph } from '../graph';
import { compile } from './compile';
import { fetchIO } from './io-fetch';
import { createRun } from './run';
import type { Checkpoint, Run } from './types';
import { weightBuffers, type FromWorker, type RunCalls, type RunMethod, type ToWorker } from './worker-protocol';
import { errorMessage } from '../lib/error-message';

declare const self: DedicatedWorkerGlobalScope;

let run: Run | null = null;
const outputs = new Map<number, { unsubscribe(): void }>();
const checkpointWaiters = new Map<number, () => void>();
let nextCheckpoint = 1;

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

/** Yields to the Worker's event loop without setTimeout's 4 ms clamp, so queued messages are handled. */
function yieldToHost(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

function init(msg: Extract<ToWorker, { type: 'init' }>): void {
  const loaded = loadGraph(msg.graph, registry);
  if (!loaded.doc) return post({ type: 'refused', problems: loaded.problems });
  const compiled = compile(loaded.doc, registry);
  if (!compiled.ok) return post({ type: 'refused', problems: compiled.problems });
  const { plan } = compiled;
  const c = msg.config;
  run = createRun(plan, {
    io: fetchIO(c.dataBase ?? '/'),
    seed: c.seed,
    epochs: c.epochs,
    backend: c.backend,
    wasmPath: c.wasmPath ?? '/wasm/',
    metricsEvery: c.metricsEvery,
    yieldEveryMs: c.yieldEveryMs,
    yieldToHost,
    initialWeights: c.initialWeights,
    startStep: c.startStep,
    optimizerState: c.optimizerState,
    history: c.history,
    checkpointEvery: c.checkpointEvery,
    evalLimit: c.evalLimit,
    outputThrottleMs: c.outputThrottleMs,
    onCheckpoint: c.checkpoints ? sendCheckpoint : undefined,
  });
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

async function call<M extends RunMethod>(r: Run, method: M, args: RunCalls[M]['args']): Promise<{ value: unknown; transfer: Transferable[] }> {
  switch (method) {
    case 'start': return { value: await r.start(), transfer: [] };
    case 'pause': return { value: await r.pause(), transfer: [] };
    case 'resume': return { value: r.resume(), transfer: [] };
    case 'step': return { value: await r.step(...(args as RunCalls['step']['args'])), transfer: [] };
    case 'stop': return { value: await r.stop(), transfer: [] };
    case 'dispose': {
      for (const s of outputs.values()) s.unsubscribe();
      outputs.clear();
      await r.dispose();
      return { value: undefined, transfer: [] };
    }
    case 'setParam': return { value: r.setParam(...(args as RunCalls['setParam']['args'])), transfer: [] };
    case 'evaluate': return { value: await r.evaluate(...(args as RunCalls['evaluate']['args'])), transfer: [] };
    case 'decode': return { value: await r.decode(...(args as RunCalls['decode']['args'])), transfer: [] };
    case 'getWeights': {
      const w = copyWeights(await r.getWeights());
      return { value: w, transfer: weightBuffers(w) };
    }
    case 'setWeights': return { value: await r.setWeights(...(args as RunCalls['setWeights']['args'])), transfer: [] };
    default: throw new Error(`unknown method ${String(method)}`);
  }
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
    case 'checkpoint-done':
      checkpointWaiters.get(msg.id)?.();
      checkpointWaiters.delete(msg.id);
      return;
  }
});

self.addEventListener('error', (e) => post({ type: 'fatal', message: e.message || 'error in the training Worker' }));
self.addEventListener('unhandledrejection', (e) => post({ type: 'fatal', message: `unhandled error in the training Worker: ${errorMessage(e.reason)}` }));
