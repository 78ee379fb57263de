/**
 * The typed messages between the UI thread (src/ui/worker-run.ts) and the training Worker (worker.ts),
 * derived from `Run` and `RunOptions` (types.ts): a new option or method changes nothing here.
 * Everything here is structured-clonable data; weights travel as Float32Arrays (transferred from the worker).
 */
import type { GraphDoc, Json, Params, ParamSpec, Problem } from '../graph';
import type { DataIO } from '../../nodes/define';
import type { SeedRun } from './seeds';
import { forwardedRunMethods, type Checkpoint, type ForwardedRunMethod, type MetricsBatch, type NamedWeights, type Progress, type Run, type RunEvent, type RunOptions, type RunStatus } from './types';

/**
 * The run options that stay on the thread that holds them: functions, the abort signal and the data reader
 * cannot be cloned. The Worker sets its own (`dataBase` → fetch, checkpoints → messages); the client keeps
 * `signal` and `onCheckpoint`.
 */
export type ThreadLocalOption = { [K in keyof RunOptions]-?: NonNullable<RunOptions[K]> extends ((...args: never[]) => unknown) | AbortSignal | DataIO ? K : never }[keyof RunOptions];

/** Run options that cross the thread boundary: every `RunOptions` field that can be cloned, and how the Worker finds data. */
export type WorkerRunConfig = Omit<RunOptions, ThreadLocalOption> & {
  /** Base URL the shipped datasets are fetched from (default '/'; web-test-runner: '/public/'). */
  dataBase?: string;
  /** When true the Worker sends checkpoints to the UI thread (the client's onCheckpoint). */
  checkpoints?: boolean;
};

/** The `Run` methods the Worker answers: those the client forwards, and those it answers itself and passes on. */
export const workerMethods = [...forwardedRunMethods, 'setParam', 'resume', 'dispose'] as const satisfies readonly (keyof Run)[];
export type RunMethod = ForwardedRunMethod | (typeof workerMethods)[number];

/** Each call's arguments and result, as `Run` declares them (the result as resolved). */
export type RunCalls = { [M in RunMethod]: { args: Parameters<Run[M]>; result: Awaited<ReturnType<Run[M]>> } };

export function isRunMethod(name: string): name is RunMethod {
  return (workerMethods as readonly string[]).includes(name);
}

/** UI thread → Worker. */
export type ToWorker =
  | { type: 'init'; graph: string | GraphDoc; config: WorkerRunConfig }
  | { [M in RunMethod]: { type: 'call'; id: number; method: M; args: RunCalls[M]['args'] } }[RunMethod]
  | { type: 'subscribe'; sub: number; nodeId: string; socket?: string }
  | { type: 'unsubscribe'; sub: number }
  | { type: 'checkpoint-done'; id: number }
  /** Instead of `init`: train these seeds of the graph as one program (seed-batch.ts), if the graph and backend allow. */
  | { type: 'seeds'; graph: string | GraphDoc; seeds: number[]; metricNodes: string[]; config: SeedsConfig }
  /** Stops the seeds at the next step; they still report (stopped). */
  | { type: 'seeds-stop' };

/** How a Worker trains seeds as one program: the run options that apply to it. */
export type SeedsConfig = Pick<WorkerRunConfig, 'backend' | 'wasmPath' | 'dataBase' | 'epochs' | 'evalLimit'>;

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
  /** The seeds cannot train as one program (a node, the backend), and why: the client trains them in turn. */
  | { type: 'seeds-refused'; reason: string }
  | { type: 'seeds-done'; runs: SeedRun[] }
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

