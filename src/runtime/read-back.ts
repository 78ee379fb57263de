/**
 * Loss read-back (ARCHITECTURE §6: no synchronous read in the training loop): the loss tensors of
 * steps are queued and read back together with one `data()` call, at most one read in flight; the
 * values become a `MetricsBatch`, each closed epoch's mean, the test losses and, if any, a NaN.
 */
import * as tf from '@tensorflow/tfjs';
import { dict } from '../graph';
import type { LossSeries, MetricsBatch } from './types';

/** A step's (or a test measurement's) loss tensors, waiting to be read back. */
export interface PendingLoss {
  step: number;
  epoch: number;
  /** The total, then each term when there are several. */
  tensors: tf.Scalar[];
  /** A test-loss measurement rather than a training step's loss. */
  test?: boolean;
}

export interface ReadOptions {
  /** Called as a read starts (the NaN guard's snapshot is taken here). */
  starting(): void;
  /** Rejects when the device is lost, so a read never waits on a dead device. */
  lost: Promise<never> | null;
  /** The values, in the order of the batch's tensors (not called once the run is disposed). */
  read(batch: PendingLoss[], values: Float32Array): void;
  alive(): boolean;
}

export class LossReader {
  private pending: PendingLoss[] = [];
  private inflight: Promise<void> | null = null;
  /** When losses were last read back (-Infinity: the next step reads at once). */
  lastReadAt = -Infinity;

  constructor(private readonly now: () => number) {}

  get size(): number {
    return this.pending.length;
  }

  push(loss: PendingLoss): void {
    this.pending.push(loss);
  }

  /**
   * Reads back the queued losses in one batch, after the read in flight (whose failure throws here);
   * `wait`: until the values are processed.
   */
  async flush(wait: boolean, o: ReadOptions): Promise<void> {
    if (this.inflight) await this.inflight;
    this.inflight = null;
    if (this.pending.length === 0 || !o.alive()) return;
    const batch = this.pending;
    this.pending = [];
    this.lastReadAt = this.now();
    const stacked = tf.tidy(() => tf.stack(batch.flatMap((b) => b.tensors)));
    for (const b of batch) for (const t of b.tensors) t.dispose();
    o.starting();
    const read = o.lost ? Promise.race([stacked.data(), o.lost]) : stacked.data();
    const work = read.then((values) => {
      stacked.dispose();
      if (o.alive()) o.read(batch, values as Float32Array);
    });
    // Awaited by the next flush or by dispose(); until then a failure must not count as unhandled.
    work.catch(() => undefined);
    this.inflight = work;
    if (wait) {
      await work;
      this.inflight = null;
    }
  }

  /** Waits for the read in flight, if any, ignoring its failure (the run is ending). */
  async settle(): Promise<void> {
    if (this.inflight) await this.inflight.catch(() => undefined);
  }

  /** Frees the queued tensors and forgets the read in flight (`quietly`: on a lost device). */
  dispose(quietly = false): void {
    for (const b of this.pending) {
      for (const t of b.tensors) {
        try {
          t.dispose();
        } catch (e) {
          if (!quietly) throw e;
        }
      }
    }
    this.pending = [];
    if (quietly) {
      this.inflight?.catch(() => undefined);
      this.inflight = null;
    }
  }
}

/** What a batch of read-back losses says. */
export interface ReadLosses {
  /** The steps up to the first non-finite training loss (test losses included). */
  batch: MetricsBatch;
  /** Each finite training step's total, by epoch (for the epoch means). */
  totals: { epoch: number; total: number }[];
  /** The test loss measured at the end of an epoch. */
  tests: { epoch: number; total: number }[];
  /** The first non-finite training loss: its step, the term that went first and its value. */
  nan: { step: number; term: string; value: number } | null;
}

/** Splits read-back values into series (`termIds`: the trainer's loss nodes). Pure. */
export function readLosses(pending: readonly PendingLoss[], values: Float32Array, termIds: readonly string[]): ReadLosses {
  const series = (): LossSeries => ({ steps: [], epochs: [], total: [], terms: dict(termIds.map((t) => [t, []])) });
  const out: ReadLosses = { batch: series(), totals: [], tests: [], nan: null };
  let offset = 0;
  for (const b of pending) {
    const total = values[offset]!;
    const termValues = b.tensors.length > 1 ? Array.from(values.subarray(offset + 1, offset + b.tensors.length)) : [total];
    offset += b.tensors.length;
    if (b.test) {
      // A non-finite test loss is plotted as a gap; it is the training loss that fails a run.
      const test = (out.batch.test ??= series());
      test.steps.push(b.step);
      test.epochs.push(b.epoch);
      test.total.push(total);
      termIds.forEach((t, i) => test.terms[t]!.push(termValues[i]!));
      out.tests.push({ epoch: b.epoch, total });
      continue;
    }
    if (!Number.isFinite(total)) {
      const bad = Math.max(0, termIds.findIndex((_, i) => !Number.isFinite(termValues[i]!)));
      out.nan = { step: b.step, term: termIds[bad]!, value: termValues[bad]! };
      break;
    }
    out.batch.steps.push(b.step);
    out.batch.epochs.push(b.epoch);
    out.batch.total.push(total);
    termIds.forEach((t, i) => out.batch.terms[t]!.push(termValues[i]!));
    out.totals.push({ epoch: b.epoch, total });
  }
  return out;
}

/** Training losses summed by epoch until every step of the epoch has read back (steps read back in order). */
export class EpochMeans {
  /** The open epochs, oldest first. */
  private open: { epoch: number; sum: number; count: number }[] = [];

  add(epoch: number, total: number): void {
    const last = this.open[this.open.length - 1];
    const a = last?.epoch === epoch ? last : this.open.find((o) => o.epoch === epoch);
    if (a) {
      a.sum += total;
      a.count++;
      return;
    }
    this.open.push({ epoch, sum: total, count: 1 });
    // Out of order (never while training): keep the oldest first.
    if (last && last.epoch > epoch) this.open.sort((x, y) => x.epoch - y.epoch);
  }

  /** The epochs that closed (in order, each taken once) and their mean losses. */
  close(stepsPerEpoch: number): { epoch: number; loss: number }[] {
    let n = 0;
    while (n < this.open.length && this.open[n]!.count >= stepsPerEpoch) n++;
    return this.open.splice(0, n).map((a) => ({ epoch: a.epoch, loss: a.sum / a.count }));
  }
}
