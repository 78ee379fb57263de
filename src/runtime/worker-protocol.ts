/**
 * The typed messages between the UI thread (worker-client.ts) and the training Worker (worker.ts).
 * Everything here is structured-clonable data; weights travel as Float32Arrays (transferred from the worker).
 */
import { dict, type GraphDoc, type Json, type Params, type ParamSpec, type Problem } from '../graph';
import type { BackendName } from './backend';
import type { Checkpoint, MetricsBatch, NamedWeights, OptimizerState, Progress, RunEvent, RunStatus } from './types';

/** Run options that can cross the thread boundary (no functions, no AbortSignal). */
export interface WorkerRunConfig {
  seed?: number;
  epochs?: number;
  /** One backend, or an order to try (default webgpu → webgl → wasm → cpu). */
  backend?: BackendName | readonly BackendName[];
  /** Where the Worker finds the tfjs wasm binaries (default '/wasm/'). */
  wasmPath?: string;
  /** Base URL the shipped datasets are fetched from (default '/'; web-test-runner: '/public/'). */
  dataBase?: string;
  metricsEvery?: number;
  yieldEveryMs?: number;
  initialWeights?: NamedWeights;
  startStep?: number;
  optimizerState?: OptimizerState;
  history?: MetricsBatch;
  checkpointEvery?: number;
  /** When true the Worker sends checkpoints to the UI thread (the client's onCheckpoint). */
  checkpoints?: boolean;
  evalLimit?: number;
  outputThrottleMs?: number;
}

/** Methods of `Run` the client forwards as calls, with their arguments and results. */
export interface RunCalls {
  start: { args: []; result: void };
  pause: { args: []; result: void };
  resume: { args: []; result: void };
  step: { args: [n?: number]; result: void };
  stop: { args: []; result: void };
  dispose: { args: []; result: void };
  setParam: { args: [nodeId: string, name: string, value: unknown]; result: Problem | null };
  evaluate: { args: [nodeId: string, socket?: string]; result: Json };
  decode: { args: [decoderNodeId: string, codes: number[][]]; result: Json };
  getWeights: { args: []; result: NamedWeights };
  setWeights: { args: [weights: NamedWeights]; result: { loaded: string[]; skipped: string[] } };
}
export type RunMethod = keyof RunCalls;

/** UI thread → Worker. */
export type ToWorker =
  | { type: 'init'; graph: string | GraphDoc; config: WorkerRunConfig }
  | { [M in RunMethod]: { type: 'call'; id: number; method: M; args: RunCalls[M]['args'] } }[RunMethod]
  | { type: 'subscribe'; sub: number; nodeId: string; socket?: string }
  | { type: 'unsubscribe'; sub: number }
  | { type: 'checkpoint-done'; id: number };

/** What the UI thread needs to answer `params()` and check `setParam()` without a round trip. */
export interface NodeInfo {
  id: string;
  kind: string;
  params: Params;
  /** Every param's spec by name (plain data). */
  specs: Record<string, ParamSpec>;
}

/** Worker → UI thread. */
export type FromWorker =
  | { type: 'ready'; nodes: NodeInfo[]; totalParams: number; problems: Problem[] }
  | { type: 'refused'; problems: Problem[] }
  | { type: 'status'; status: RunStatus }
  | { type: 'progress'; progress: Progress | null }
  | { type: 'metrics'; batch: MetricsBatch }
  | { type: 'event'; event: RunEvent }
  | { type: 'backend'; backend: string }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: string }
  | { type: 'output'; sub: number; value: Json }
  | { type: 'output-error'; sub: number; error: string }
  | { type: 'checkpoint'; id: number; checkpoint: Checkpoint }
  /** Something failed outside any call (an uncaught error in the Worker). */
  | { type: 'fatal'; message: string };

/** The Float32Array buffers of a weights object, for a transfer list. */
export function weightBuffers(weights: NamedWeights): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const vars of Object.values(weights)) {
    for (const w of Object.values(vars)) if (w.values.buffer instanceof ArrayBuffer) out.push(w.values.buffer);
  }
  return out;
}

