/**
 * Trained weights per graph + structure hash (so they never load into mismatched shapes),
 * checkpoints per run, run history, and a tfjs IOHandler backed by the library database.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Checkpoint, MetricsBatch, NamedWeights, OptimizerState } from '../runtime/types';
import { ownWeights } from '../runtime/worker-protocol';
import type { Library } from './db';
import { attempt, fail, type Outcome } from './errors';

export interface WeightsRecord {
  graphId: string;
  /** `compile(doc).plan.structureHash` of the graph the weights were trained for. */
  structureHash: string;
  weights: NamedWeights;
  saved: string;
}

export interface CheckpointRecord {
  runId: string;
  step: number;
  epoch: number;
  graphId: string;
  structureHash: string;
  weights: NamedWeights;
  history: MetricsBatch;
  /** The optimizer's state (absent in checkpoints saved before it was kept). */
  optimizer?: OptimizerState;
  saved: string;
}

export type CheckpointSummary = Pick<CheckpointRecord, 'runId' | 'step' | 'epoch' | 'graphId' | 'saved'>;

/** A training run as the library remembers it: its metrics so far and how it ended. */
export interface RunRecord {
  id: string;
  graphId: string;
  structureHash: string;
  started: string;
  updated: string;
  status: string;
  seed?: number;
  backend?: string;
  history: MetricsBatch;
}

const now = () => new Date().toISOString();

/** Copies weights into plain arrays the database can keep (a Float32Array view of a bigger buffer would drag the whole buffer). */
const own = ownWeights;

/** Saves the trained weights of a graph for its current structure, replacing older ones of that structure. */
export function saveWeights(lib: Library, graphId: string, structureHash: string, weights: NamedWeights): Promise<Outcome<void>> {
  const record: WeightsRecord = { graphId, structureHash, weights: own(weights), saved: now() };
  return attempt(() => lib.write(['weights'], (tx) => tx.put('weights', record)));
}

/** The weights saved for this graph and structure, or null (never weights of another structure). */
export async function loadWeights(lib: Library, graphId: string, structureHash: string): Promise<NamedWeights | null> {
  const r = await lib.read(['weights'], (tx) => tx.get<WeightsRecord>('weights', [graphId, structureHash]));
  return r?.weights ?? null;
}

/** Every weights record of a graph (one per structure it was trained with). */
export function listWeights(lib: Library, graphId: string): Promise<WeightsRecord[]> {
  return lib.read(['weights'], (tx) => tx.getAll<WeightsRecord>('weights', 'byGraph', graphId));
}

/** Saves a checkpoint of a run; with `keep`, only the newest `keep` checkpoints of that run stay. */
export function saveCheckpoint(
  lib: Library,
  at: { graphId: string; runId: string; structureHash: string },
  checkpoint: Checkpoint,
  keep?: number,
): Promise<Outcome<void>> {
  const record: CheckpointRecord = {
    ...at, step: checkpoint.step, epoch: checkpoint.epoch,
    weights: own(checkpoint.weights), history: structuredClone(checkpoint.history), saved: now(),
    ...(checkpoint.optimizer ? { optimizer: structuredClone(checkpoint.optimizer) } : {}),
  };
  return attempt(() => lib.write(['checkpoints'], async (tx) => {
    await tx.put('checkpoints', record);
    if (keep === undefined) return;
    const ofRun = (await tx.getAll<CheckpointRecord>('checkpoints', 'byGraph', at.graphId))
      .filter((c) => c.runId === at.runId)
      .sort((a, b) => b.step - a.step);
    for (const old of ofRun.slice(Math.max(1, keep))) await tx.delete('checkpoints', [old.runId, old.step]);
  }));
}

/** The checkpoints of a graph, newest first (without their weights). */
export async function listCheckpoints(lib: Library, graphId: string): Promise<CheckpointSummary[]> {
  const all = await lib.read(['checkpoints'], (tx) => tx.getAll<CheckpointRecord>('checkpoints', 'byGraph', graphId));
  return all
    .sort((a, b) => (a.saved < b.saved ? 1 : a.saved > b.saved ? -1 : b.step - a.step))
    .map(({ runId, step, epoch, graphId: g, saved }) => ({ runId, step, epoch, graphId: g, saved }));
}

/** The most recent checkpoint of a graph (optionally: for this structure only), to resume from. */
export async function latestCheckpoint(lib: Library, graphId: string, structureHash?: string): Promise<CheckpointRecord | null> {
  const all = await lib.read(['checkpoints'], (tx) => tx.getAll<CheckpointRecord>('checkpoints', 'byGraph', graphId));
  const fit = all.filter((c) => structureHash === undefined || c.structureHash === structureHash);
  fit.sort((a, b) => (a.saved < b.saved ? 1 : a.saved > b.saved ? -1 : b.step - a.step));
  return fit[0] ?? null;
}

/** Saves (or updates) a run record with its metrics so far. */
export function saveRun(lib: Library, run: Omit<RunRecord, 'updated'>): Promise<Outcome<RunRecord>> {
  const record: RunRecord = { ...structuredClone(run), updated: now() };
  return attempt(() => lib.write(['runs'], async (tx) => { await tx.put('runs', record); return record; }));
}

/** The runs of a graph, most recently updated first. */
export async function listRuns(lib: Library, graphId: string): Promise<RunRecord[]> {
  const all = await lib.read(['runs'], (tx) => tx.getAll<RunRecord>('runs', 'byGraph', graphId));
  return all.sort((a, b) => (a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : 0));
}

interface StoredModel {
  modelTopology?: {} | ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: tf.io.TrainingConfig;
  userDefinedMetadata?: {};
  weightSpecs?: tf.io.WeightsManifestEntry[];
  weightData?: ArrayBuffer;
  saved: string;
}

function concatBuffers(data: ArrayBuffer | ArrayBuffer[] | undefined): ArrayBuffer | undefined {
  if (data === undefined || data instanceof ArrayBuffer) return data;
  const out = new Uint8Array(data.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of data) { out.set(new Uint8Array(b), at); at += b.byteLength; }
  return out.buffer;
}

const jsonBytes = (x: unknown) => (x === undefined ? 0 : new TextEncoder().encode(JSON.stringify(x)).byteLength);

/**
 * A tfjs IOHandler that keeps a model in the library database under `key`
 * (`model.save(libraryModel(lib, 'k'))`, `tf.loadLayersModel(libraryModel(lib, 'k'))`).
 */
export function libraryModel(lib: Library, key: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const weightData = concatBuffers(artifacts.weightData);
      const stored: StoredModel = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        trainingConfig: artifacts.trainingConfig,
        userDefinedMetadata: artifacts.userDefinedMetadata,
        weightSpecs: artifacts.weightSpecs,
        weightData,
        saved: now(),
      };
      for (const k of Object.keys(stored) as (keyof StoredModel)[]) if (stored[k] === undefined) delete stored[k];
      const written = await attempt(() => lib.write(['models'], (tx) => tx.put('models', stored, key)));
      // tfjs reports save failures by throwing; the message is the user-facing one.
      if (!written.ok) throw new Error(written.problem.message);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(stored.saved),
          modelTopologyType: 'JSON',
          modelTopologyBytes: artifacts.modelTopology instanceof ArrayBuffer ? artifacts.modelTopology.byteLength : jsonBytes(artifacts.modelTopology),
          weightSpecsBytes: jsonBytes(artifacts.weightSpecs),
          weightDataBytes: weightData?.byteLength ?? 0,
        },
      };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const stored = await lib.read(['models'], (tx) => tx.get<StoredModel>('models', key));
      if (!stored) throw fail(`there is no model "${key}" in the library`);
      const { saved: _saved, ...artifacts } = stored;
      return artifacts;
    },
  };
}
