/**
 * A run's datasets on the active backend: the samples as tensors, the slice evaluations see, the test
 * split (the same for every epoch and backend) and each epoch's shuffle into batches.
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetData } from '../../nodes/define';
import { batchRows, epochOrder } from './epochs';
import { takeRows } from './rows';
import { testSplit } from './test-split';

/** Most samples an evaluation looks at when the run's options do not say (`RunOptions.evalLimit`). */
export const defaultEvalLimit = 10_000;

interface DatasetState {
  data: DatasetData;
  tensor: tf.Tensor2D;
  /** What evaluations see: the first `evalLimit` samples (the same tensor when the dataset is smaller). */
  evalTensor: tf.Tensor2D;
  /** The samples training sees: all of them, or those left after the test split. */
  train: tf.Tensor2D;
  trainCount: number;
  /** The held-out samples the test loss is measured on (at most `evalLimit`), or null; and every held-out index, ascending. */
  test: tf.Tensor2D | null;
  testIndices: Int32Array | null;
  /** The dataset rows of the training samples, in order (null: every row). */
  trainRows: Int32Array | null;
  perm: Int32Array | null;
}

export class RunDatasets {
  private readonly byId = new Map<string, DatasetState>();

  /** `testFraction`: the trainer's `testSplit` (0: none). */
  constructor(private readonly seed: number, private readonly testFraction: number, private readonly evalLimit = defaultEvalLimit) {}

  add(id: string, data: DatasetData): void {
    this.byId.set(id, { data, ...this.tensors(id, data), perm: null });
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The first dataset's: it sets the epoch's length, the labels and the held-out samples. */
  private get first(): DatasetState | undefined {
    return this.byId.values().next().value as DatasetState | undefined;
  }

  /** Training samples of the first dataset (undefined: no dataset). */
  get trainCount(): number | undefined {
    return this.first?.trainCount;
  }

  get hasTestSplit(): boolean {
    return !!this.first?.test;
  }

  /** The evaluated samples (the first `evalLimit`) that the test split holds out of training, ascending. */
  heldOut(): number[] | undefined {
    const first = this.first;
    if (!first?.testIndices) return undefined;
    return Array.from(first.testIndices).filter((i) => i < this.evalLimit);
  }

  labels(): string[] | undefined {
    return this.first?.data.labels?.slice(0, this.evalLimit);
  }

  evalSource(id: string): tf.Tensor2D {
    return this.byId.get(id)!.evalTensor;
  }

  testSource(id: string): tf.Tensor2D {
    return this.byId.get(id)!.test!;
  }

  /** The tensors evaluations are fed (owned here: an evaluation must not free them). */
  evalTensors(): Set<tf.Tensor> {
    return new Set([...this.byId.values()].map((d) => d.evalTensor));
  }

  /** A new epoch's order of the training samples (only when an epoch has several batches). */
  shuffle(epoch: number): void {
    for (const [id, ds] of this.byId) ds.perm = epochOrder(ds.trainCount, this.seed, id, epoch);
  }

  /** The `i`th batch of the epoch; `copyInJs` on the CPU backends (wasm's gather kernel is slow), GPUs gather. */
  batch(id: string, i: number, batchSize: number, copyInJs: boolean): tf.Tensor2D {
    const ds = this.byId.get(id)!;
    if (!ds.perm) return ds.train;
    if (copyInJs) {
      const rows = batchRows(ds.perm, i, batchSize, ds.trainRows);
      return tf.tensor2d(takeRows(ds.data.x, ds.data.features, rows), [rows.length, ds.data.features]);
    }
    return tf.gather(ds.train, tf.tensor1d(batchRows(ds.perm, i, batchSize, null), 'int32'));
  }

  /** Makes the tensors again on a new backend (after a fallback freed them); the shuffle carries on. */
  rebuild(): void {
    for (const [id, ds] of this.byId) Object.assign(ds, this.tensors(id, ds.data));
  }

  /** Frees the tensors; `keep` keeps the samples for `rebuild` (a backend fallback), `quietly` ignores a lost device's errors. */
  dispose({ keep = false, quietly = false } = {}): void {
    for (const ds of this.byId.values()) {
      try {
        if (ds.evalTensor !== ds.tensor) ds.evalTensor.dispose();
        if (ds.train !== ds.tensor) ds.train.dispose();
        ds.test?.dispose();
        ds.tensor.dispose();
      } catch (e) {
        if (!quietly) throw e;
      }
    }
    if (!keep) this.byId.clear();
  }

  /**
   * The dataset on the active backend, its evaluation slice (made once, not per evaluation) and,
   * with a test split, its training and held-out samples.
   */
  private tensors(id: string, data: DatasetData): Omit<DatasetState, 'data' | 'perm'> {
    const tensor = tf.tensor2d(data.x, [data.count, data.features]);
    const limit = this.evalLimit;
    const evalTensor = data.count > limit ? tensor.slice([0, 0], [limit, data.features]) : tensor;
    const split = testSplit(data.count, this.testFraction, this.seed, id);
    if (!split) return { tensor, evalTensor, train: tensor, trainCount: data.count, test: null, testIndices: null, trainRows: null };
    const pick = (idx: Int32Array) => tf.tensor2d(takeRows(data.x, data.features, idx), [idx.length, data.features]);
    // The test loss is measured on at most `evalLimit` of the held-out samples (one forward pass each time).
    return { tensor, evalTensor, train: pick(split.train), trainCount: split.train.length, test: pick(split.test.subarray(0, limit)), testIndices: split.test, trainRows: split.train };
  }
}
