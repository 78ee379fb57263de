/**
 * Compare seeds' fast path: the seeds of the open graph trained as one program in a training Worker
 * (src/runtime/worker.ts → seed-batch.ts), each seed's result its lone run's. The Worker says when the
 * graph or its backend does not allow it (a node without a seed-batched form; a layer too big to share
 * kernels on wasm), and the comparison then trains the seeds one after another as before.
 */
import type { GraphDoc, Problem } from '../graph';
import type { FromWorker, Progress, SeedRun, ToWorker } from '../runtime/core';
import { defaultWorker } from './worker-run';

type SeedsConfig = Extract<ToWorker, { type: 'seeds' }>['config'];

export interface WorkerSeedsOptions extends SeedsConfig {
  metricNodes: string[];
  signal?: AbortSignal;
  onProgress?: (p: Progress | null) => void;
  /** The backend the Worker trains on, once chosen. */
  onBackend?: (backend: string) => void;
  createWorker?: () => Worker;
}

/** The seeds' results, or why they cannot train as one program (then train them in turn), or the problems that keep the graph from running. */
export type SeedsOutcome = { batched: true; runs: SeedRun[] } | { batched: false; reason: string } | { problems: Problem[] };

/**
 * Trains `seeds` of a graph together in a Worker (terminated at the end). Aborting stops every seed at
 * its next step; they still come back, stopped. Rejects when the Worker fails.
 */
export function trainSeedsInWorker(graph: string | GraphDoc, seeds: number[], options: WorkerSeedsOptions): Promise<SeedsOutcome> {
  const { metricNodes, signal, onProgress, onBackend, createWorker, ...config } = options;
  const worker = (createWorker ?? defaultWorker)();
  return new Promise<SeedsOutcome>((resolve, reject) => {
    const stop = () => worker.postMessage({ type: 'seeds-stop' } satisfies ToWorker);
    const end = (settle: () => void) => {
      signal?.removeEventListener('abort', stop);
      worker.terminate();
      settle();
    };
    worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
      const msg = e.data;
      switch (msg.type) {
        case 'progress': onProgress?.(msg.progress); return;
        case 'backend': onBackend?.(msg.backend); return;
        case 'seeds-done': end(() => resolve({ batched: true, runs: msg.runs })); return;
        case 'seeds-refused': end(() => resolve({ batched: false, reason: msg.reason })); return;
        case 'refused': end(() => resolve({ problems: msg.problems })); return;
        case 'fatal': end(() => reject(new Error(msg.message))); return;
        default: return;
      }
    });
    worker.addEventListener('error', (e: ErrorEvent) => {
      e.preventDefault();
      end(() => reject(new Error(e.message ? `the training Worker failed: ${e.message}` : 'the training Worker failed to load or crashed')));
    });
    signal?.addEventListener('abort', stop, { once: true });
    worker.postMessage({ type: 'seeds', graph, seeds, metricNodes, config } satisfies ToWorker);
    if (signal?.aborted) stop();
  });
}
