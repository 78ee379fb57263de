import type { Observable } from 'rxjs';
import type { Json, Params, Problem } from '../graph';
import type { DataIO } from '../../nodes/define';
import type { BackendName } from './backend-names';
import type { Checkpoint, LossSeries, MetricsBatch, NamedWeights, OptimizerState } from '../graph';

// The run's records (losses, weights, checkpoints) are data the store keeps and bundles carry: they live
// in the graph layer (src/graph/records.ts) so that the store needs no runtime import.
export type { Checkpoint, LossSeries, MetricsBatch, NamedWeights, OptimizerState };

export type RunState = 'idle' | 'loading' | 'running' | 'paused' | 'done' | 'stopped' | 'failed';

/** Whether a run in this state has ended (done, stopped or failed): it trains no more and `finished` has resolved. */
export function isFinished(state: RunState): boolean {
  return state === 'done' || state === 'stopped' || state === 'failed';
}

/**
 * How a run is made (`createRun`). The Worker protocol derives its config from this (worker-protocol.ts
 * `WorkerRunConfig`: every option but the functions, which cannot cross threads), so a new option is
 * declared here and read where it is used, nowhere else.
 */
export interface RunOptions {
  /** How datasets reach their files (disk in Node, fetch in the browser). */
  io: DataIO;
  /** Overrides the trainer's seed. */
  seed?: number;
  /** Overrides the trainer's epochs. */
  epochs?: number;
  /** One backend, or an order to try (default webgpu → webgl → wasm → cpu). */
  backend?: BackendName | readonly BackendName[];
  /** Where tfjs finds its wasm binaries (the Worker's default: '/wasm/'). */
  wasmPath?: string;
  /** Steps between metric read-backs (one `data()` call for all of them). */
  metricsEvery?: number;
  /** Aborting stops the run and frees everything. */
  signal?: AbortSignal;
  /** Hands control back to the host between steps (the injected clock; default: ./yield-to-host). */
  yieldToHost?: () => Promise<void>;
  /** Milliseconds of stepping between yields (default: 20 in a page or Worker, 100 in Node; ./yield-to-host). */
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
  /** Minimum milliseconds between refreshes of a subscribed output while training (a slow one waits longer, output-cache.ts); 0: every read-back. */
  outputThrottleMs?: number;
}

/** The run's state; `step`/`epoch` are where it was when the state changed (progress$ has the live count). */
export interface RunStatus {
  state: RunState;
  /** Why it is in this state, in words (early stop, NaN at step 812, stopped by the user...). */
  reason?: string;
  step: number;
  epoch: number;
}

export interface Progress {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  totalSteps: number;
  stepsPerSec: number;
  samplesPerSec: number;
  /** Seconds left at the current speed. */
  etaSeconds: number;
  lr: number;
}

export type RunEvent =
  | { type: 'backend'; backend: BackendName; skipped: { backend: string; reason: string }[]; threads: number | null }
  | { type: 'backend-fallback'; from: string; to: string; reason: string }
  | { type: 'checkpoint'; step: number; epoch: number }
  | { type: 'nan'; step: number; term: string; restoredFromStep: number | null }
  | { type: 'early-stop'; epoch: number; best: number }
  | { type: 'lr'; epoch: number; lr: number }
  | { type: 'warm-start'; loaded: string[]; skipped: string[] }
  /** A resumed run's optimizer state (Adam's moments...): restored, or why not (it then starts afresh). */
  | { type: 'optimizer-state'; restored: boolean; reason?: string }
  | { type: 'param'; nodeId: string; name: string; value: unknown }
  /** Something went wrong off the training path (a view's evaluation, a refused param, a checkpoint write). */
  | { type: 'error'; source: string; message: string };

/** A training run: controls, live params and streams (ARCHITECTURE §4). */
export interface Run {
  readonly status$: Observable<RunStatus>;
  readonly progress$: Observable<Progress | null>;
  readonly metrics$: Observable<MetricsBatch>;
  readonly events$: Observable<RunEvent>;
  /** The current value of a node output for visualizers: computed on demand, refreshed while training, throttled. */
  output$(nodeId: string, socket?: string): Observable<Json>;
  readonly backend: string | null;
  start(): Promise<void>;
  pause(): Promise<void>;
  resume(): void;
  /** Runs n steps (from idle or paused) and pauses again. */
  step(n?: number): Promise<void>;
  /** Ends training; the trained weights stay usable for inference until dispose(). */
  stop(): Promise<void>;
  /** Frees every tensor the run made. */
  dispose(): Promise<void>;
  /** Changes a live param; it takes effect at the next step. Returns a problem when refused. */
  setParam(nodeId: string, name: string, value: unknown): Problem | null;
  params(nodeId: string): Params | undefined;
  evaluate(nodeId: string, socket?: string): Promise<Json>;
  /** Decodes latent codes with a decoder node's current weights: an images result (a click on the latent scatter). */
  decode(decoderNodeId: string, codes: number[][]): Promise<Json>;
  getWeights(): Promise<NamedWeights>;
  setWeights(weights: NamedWeights): Promise<{ loaded: string[]; skipped: string[] }>;
  /** Loss history so far (all steps read back). */
  history(): MetricsBatch;
  /** Resolves when training ends (done, stopped or failed). */
  readonly finished: Promise<RunStatus>;
}

/**
 * The `Run` methods the Worker client forwards as they are: plain-data arguments, a promised result
 * (src/ui/worker-run.ts makes one forwarder per name; worker.ts calls the run's method by name). A new
 * `Run` method goes here unless the client answers it itself (`params`, `setParam`, `history`, `output$`,
 * `resume`, `dispose`): the client's `implements WorkerRun` fails to compile until it is one or the other.
 */
export const forwardedRunMethods = ['start', 'pause', 'step', 'stop', 'evaluate', 'decode', 'getWeights', 'setWeights'] as const satisfies readonly (keyof Run)[];
export type ForwardedRunMethod = (typeof forwardedRunMethods)[number];
