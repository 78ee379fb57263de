/**
 * The subscribed node outputs of a run (`Run.output$`): each one evaluated on demand, refreshed while
 * training (throttled, and further apart the longer it takes to compute), and recomputed only when what
 * it reads changed (ARCHITECTURE §4): the weights, when something upstream has some, or a live param
 * upstream. A run that starts training holds the ones that read weights until its first step.
 */
import { Observable } from 'rxjs';
import type { Json } from '../graph';
import { errorMessage } from '../lib/error-message';

/** A subscribed node output: its subscribers and what its last value was computed from. */
interface OutputEntry {
  subs: Set<(v: Json) => void>;
  last: number;
  /** Milliseconds the last evaluation took, start to end. */
  took: number;
  busy: boolean;
  /** A forced refresh came while an evaluation was under way: it runs once that one ends. */
  again: boolean;
  /** The inputs version of the last value (null: none yet). */
  seen: string | null;
  /** The node and everything upstream of it. */
  upstream: readonly string[];
  /** Whether anything upstream has weights (null: not known until the first evaluation). */
  readsWeights: boolean | null;
  /** The last value, for a subscriber that joins later. */
  value?: Json;
}

export interface OutputSource {
  /** Resolves once the run has built its nodes (rejects when it cannot); absent: built already. */
  ready?(): Promise<void>;
  evaluate(nodeId: string, socket?: string): Promise<Json>;
  /** The node and everything upstream of it ([] for an unknown node). */
  upstream(nodeId: string): readonly string[];
  /** Whether a node has weights (known once ready). */
  hasWeights(nodeId: string): boolean;
  now(): number;
  /** False once the run is disposed: nothing more is evaluated or reported. */
  alive(): boolean;
  /** An evaluation failed (reported as an `error` event). */
  failed(source: string, message: string): void;
}

/**
 * A refresh while training waits this many times the output's last evaluation after it (at least the
 * throttle): views that take long to compute (an encoding of every sample) get about a fifth of the time
 * and training the rest.
 */
export const refreshGapPerCost = 4;

export class OutputCache {
  private readonly entries = new Map<string, OutputEntry>();
  /** Bumped whenever any weight changes (a step, loaded weights, a NaN restore): outputs that read weights are stale. */
  private weightsVersion = 0;
  /** Bumped by each live param change of a node. */
  private readonly paramVersions = new Map<string, number>();
  /** Outputs that read weights wait for release(): a run about to train draws them once it has stepped. */
  private held = false;

  constructor(private readonly source: OutputSource, private readonly throttleMs = 250) {}

  weightsChanged(): void {
    this.weightsVersion++;
  }

  /**
   * A run about to train: the outputs that read weights are not evaluated until release(). Drawing the
   * untrained model first (an encoding of every sample, a grid of decodings) would only delay the first step.
   */
  hold(): void {
    this.held = true;
  }

  /** Evaluates the outputs held back (the run has stepped, or will not step now). */
  release(): void {
    if (!this.held) return;
    this.held = false;
    this.refresh(true);
  }

  paramChanged(nodeId: string): void {
    this.paramVersions.set(nodeId, (this.paramVersions.get(nodeId) ?? 0) + 1);
  }

  output$(nodeId: string, socket?: string): Observable<Json> {
    const key = `${nodeId}\u0000${socket ?? ''}`;
    return new Observable<Json>((subscriber) => {
      let entry = this.entries.get(key);
      if (!entry) this.entries.set(key, (entry = { subs: new Set(), last: 0, took: 0, busy: false, again: false, seen: null, upstream: this.source.upstream(nodeId), readsWeights: null }));
      const emit = (v: Json) => subscriber.next(v);
      entry.subs.add(emit);
      if (entry.value !== undefined) emit(entry.value);
      void this.refreshOne(key, entry, true);
      return () => {
        entry!.subs.delete(emit);
        if (entry!.subs.size === 0) this.entries.delete(key);
      };
    });
  }

  /** Refreshes every subscribed output whose inputs changed (`force`: even within the throttle). */
  refresh(force: boolean): void {
    for (const [key, entry] of this.entries) void this.refreshOne(key, entry, force);
  }

  clear(): void {
    this.entries.clear();
  }

  /** What an output's value depends on now: the live params upstream, and the weights when something upstream has some. */
  private inputsVersion(entry: OutputEntry, readsWeights = entry.readsWeights !== false): string {
    return `${readsWeights ? this.weightsVersion : '-'}/${entry.upstream.map((id) => this.paramVersions.get(id) ?? 0).join('.')}`;
  }

  private async refreshOne(key: string, entry: OutputEntry, force: boolean): Promise<void> {
    // A forced refresh (the run ended, weights were loaded) is not lost to an evaluation under way (which
    // may have started before the last step): it runs when that one ends, else the views kept a stale model.
    if (entry.busy) return void (entry.again ||= force);
    // A throttle of 0 (tests) refreshes at every read-back, however long the evaluations take.
    const gap = this.throttleMs > 0 ? Math.max(this.throttleMs, refreshGapPerCost * entry.took) : 0;
    if ((!force && this.source.now() - entry.last < gap) || !this.source.alive()) return;
    // Unchanged inputs, unchanged output: a dataset or noise-only view is drawn once, not every refresh.
    if (entry.seen !== null && entry.seen === this.inputsVersion(entry)) return;
    entry.busy = true;
    try {
      if (this.source.ready) await this.source.ready();
      entry.readsWeights ??= entry.upstream.some((id) => this.source.hasWeights(id));
      if (this.held && entry.readsWeights) return;
      const [nodeId, socket] = key.split('\u0000') as [string, string];
      const start = this.source.now();
      // Versions as of the evaluation's start: a change while it runs makes the next refresh recompute.
      const [withWeights, withoutWeights] = [this.inputsVersion(entry, true), this.inputsVersion(entry, false)];
      const value = await this.source.evaluate(nodeId, socket || undefined);
      entry.seen = entry.readsWeights ? withWeights : withoutWeights;
      entry.last = this.source.now();
      entry.took = entry.last - start;
      entry.value = value;
      for (const s of entry.subs) s(value);
    } catch (e) {
      if (this.source.alive()) this.source.failed(`output ${key.replace('\u0000', '.')}`, errorMessage(e));
    } finally {
      entry.busy = false;
      if (entry.again) {
        entry.again = false;
        void this.refreshOne(key, entry, true);
      }
    }
  }
}
