/**
 * The NaN guard: snapshots of the weights so that a non-finite loss never leaves a run stepping on (or
 * keeping) NaN weights. A candidate snapshot is taken at a read-back; once every loss after it has read
 * back finite it becomes the good one. On GPU backends the good one is also copied to JS memory, so a
 * lost device (backend-fallback.ts) loses little.
 */
import * as tf from '@tensorflow/tfjs';
import { dict } from '../graph';
import type { NamedWeights } from './types';

/** Steps between candidate snapshots (each one proven good before the next is taken). */
const snapshotEvery = 100;

interface Snapshot { step: number; tensors: Map<tf.Variable, tf.Tensor> }

function disposeSnapshot(s: Snapshot): void {
  for (const t of s.tensors.values()) t.dispose();
  s.tensors.clear();
}

export class NanGuard {
  private good: Snapshot | null = null;
  private candidate: Snapshot | null = null;
  /** The last good weights in JS memory (GPU backends only). */
  lastGood: { step: number; weights: NamedWeights } | null = null;

  /** `names`: each trained variable's node id and name (for the copy in JS memory). */
  constructor(private readonly names: ReadonlyMap<tf.Variable, readonly [nodeId: string, name: string]>) {}

  /** Whether the run has a snapshot to go back to (the weights it began from count). */
  get started(): boolean {
    return !!(this.candidate || this.good);
  }

  /** A new candidate only once the last one is proven good (none is dropped unproven), at most every 100 steps. */
  due(step: number): boolean {
    return !this.candidate || (this.candidate === this.good && step - this.candidate.step >= snapshotEvery);
  }

  take(step: number, vars: readonly tf.Variable[]): void {
    // clone() shares the variable's current buffer: no copy until the optimizer replaces it.
    const tensors = new Map<tf.Variable, tf.Tensor>();
    for (const v of vars) tensors.set(v, tf.clone(v));
    this.candidate = { step, tensors };
  }

  /** Every loss from `firstStep` on read back finite: a candidate taken by then is now the good one. */
  proven(firstStep: number, copyToJs: boolean): void {
    if (!this.candidate || this.candidate === this.good || firstStep < this.candidate.step) return;
    if (this.good) disposeSnapshot(this.good);
    this.good = this.candidate;
    if (copyToJs) void this.keepInJs(this.good);
  }

  /** Puts the weights back to the last good snapshot (or, with none proven yet, the candidate); the step it is from. */
  restore(): number | null {
    const good = this.good ?? this.candidate;
    if (good) for (const [v, t] of good.tensors) v.assign(t);
    return good?.step ?? null;
  }

  /** Frees the snapshots (`quietly`: a lost device's memory is gone anyway). */
  dispose(quietly = false): void {
    for (const snap of new Set([this.candidate, this.good])) {
      if (!snap) continue;
      try {
        disposeSnapshot(snap);
      } catch (e) {
        if (!quietly) throw e;
      }
    }
    this.candidate = this.good = null;
  }

  private async keepInJs(snapshot: Snapshot): Promise<void> {
    const weights: NamedWeights = dict(); // keyed by node id, then tensor name (see graph/names.ts)
    try {
      for (const [v, t] of snapshot.tensors) {
        const [id, name] = this.names.get(v)!;
        (weights[id] ??= dict())[name] = { shape: [...t.shape], values: (await t.data()) as Float32Array };
      }
      this.lastGood = { step: snapshot.step, weights };
    } catch {
      // Disposed meanwhile (a newer snapshot, or the run ended): keep the previous copy.
    }
  }
}
