import type { Observable } from 'rxjs';
import type { Json, Params, Problem } from '../graph';
import type { BackendName } from './backend';

export type RunState = 'idle' | 'loading' | 'running' | 'paused' | 'done' | 'stopped' | 'failed';

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

/** Loss values by step: the total and each term, keyed by loss node id. */
export interface LossSeries {
  steps: number[];
  epochs: number[];
  total: number[];
  terms: Record<string, number[]>;
}

/**
 * Loss values of consecutive steps, read back in one batch. `test` holds the loss on the held-out
 * samples (the trainer's `testSplit`), measured after the last step of an epoch (`steps` says which).
 */
export interface MetricsBatch extends LossSeries {
  test?: LossSeries;
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

/**
 * An optimizer's state, so a resumed run continues where it stopped instead of restarting Adam's
 * moments (or momentum's velocity): the step count and each slot tensor, in the run's variable order.
 */
export interface OptimizerState {
  optimizer: string;
  iterations: number;
  slots: { shape: number[]; values: Float32Array }[];
}

/** Weights by node id, then variable name (e.g. `enc` → `dense0/kernel`). */
export type NamedWeights = Record<string, Record<string, { shape: number[]; values: Float32Array }>>;

export interface Checkpoint {
  step: number;
  epoch: number;
  weights: NamedWeights;
  history: MetricsBatch;
  /** The optimizer's state, so a resume continues the same optimisation (absent in older checkpoints). */
  optimizer?: OptimizerState;
}

/** A training run: controls, live params and streams (DESIGN §4). */
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
