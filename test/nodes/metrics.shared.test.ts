// metric.pixel-error and metric.outlier: hand-checked counts, histogram, ranking, labels, leaks.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { pixelErrorMetric } from '../../nodes/metric-pixel-error';
import { outlierMetric } from '../../nodes/metric-outlier';
import type { PixelErrorsResult, RankingResult } from '../../nodes/results';
import { evalContext, useCpu } from './tf-helpers';

const target = [[0, 1, 1, 0], [1, 1, 1, 1], [0, 0, 0, 0]];
const recon = [[0.1, 0.9, 0.4, 0.2], [0.2, 0.3, 0.9, 0.45], [0, 0, 0, 0]];

describe('metric.pixel-error', () => {
  before(useCpu);

  it('counts pixels off by more than the threshold, per sample, with max, mean, histogram and MSE', async () => {
    const x = tf.tensor2d(recon);
    const t = tf.tensor2d(target);
    const before = tf.memory().numTensors;
    const r = (await pixelErrorMetric.evaluate!({ x, target: t }, evalContext(pixelErrorMetric, { labels: ['a', 'b', 'c'] }))) as PixelErrorsResult;
    expect(tf.memory().numTensors).to.equal(before);
    expect(r.kind).to.equal('pixel-errors');
    expect(r.perSample).to.deep.equal([1, 3, 0]); // |0.4 − 1| = 0.6; 0.8, 0.7, 0.55; none
    expect(r.max).to.equal(3);
    expect(r.mean).to.be.closeTo(4 / 3, 1e-9);
    expect(r.histogram).to.deep.equal([{ errors: 0, count: 1 }, { errors: 1, count: 1 }, { errors: 2, count: 0 }, { errors: 3, count: 1 }]);
    expect(r.labels).to.deep.equal(['a', 'b', 'c']);
    expect(r.mse[0]).to.be.closeTo((0.01 + 0.01 + 0.36 + 0.04) / 4, 1e-6);
    expect(r.mse[2]).to.equal(0);
    expect(r.threshold).to.equal(0.5);
    expect(x.isDisposed || t.isDisposed).to.equal(false);
    tf.dispose([x, t]);
  });

  it('uses the threshold param', async () => {
    const x = tf.tensor2d(recon);
    const t = tf.tensor2d(target);
    const r = (await pixelErrorMetric.evaluate!({ x, target: t }, evalContext(pixelErrorMetric, { params: { threshold: 0.05 } }))) as PixelErrorsResult;
    expect(r.perSample).to.deep.equal([4, 4, 0]);
    expect(r.labels).to.equal(undefined);
    tf.dispose([x, t]);
  });
});

describe('metric.outlier', () => {
  before(useCpu);

  it('ranks samples by MSE, worst first, keeps the top N with labels and pixels', async () => {
    const x = tf.tensor2d(recon);
    const t = tf.tensor2d(target);
    const before = tf.memory().numTensors;
    const r = (await outlierMetric.evaluate!({ x, target: t }, evalContext(outlierMetric, { params: { top: 2 }, labels: ['a', 'b', 'c'] }))) as RankingResult;
    expect(tf.memory().numTensors).to.equal(before);
    expect(r.kind).to.equal('ranking');
    expect(r.total).to.equal(3);
    expect(r.items.map((i) => i.index)).to.deep.equal([1, 0]);
    expect(r.items.map((i) => i.label)).to.deep.equal(['b', 'a']);
    expect(r.items[0]!.error).to.be.closeTo((0.64 + 0.49 + 0.01 + 0.3025) / 4, 1e-6);
    expect(r.items[0]!.input).to.deep.equal([1, 1, 1, 1]);
    r.items[0]!.reconstruction.forEach((v, i) => expect(v).to.be.closeTo(recon[1]![i]!, 1e-6));
    tf.dispose([x, t]);
  });

  it('gives every sample when top exceeds the count', async () => {
    const x = tf.tensor2d(recon);
    const t = tf.tensor2d(target);
    const r = (await outlierMetric.evaluate!({ x, target: t }, evalContext(outlierMetric, { params: { top: 50 } }))) as RankingResult;
    expect(r.items.map((i) => i.index)).to.deep.equal([1, 0, 2]);
    expect(r.items[0]!.label).to.equal(undefined);
    tf.dispose([x, t]);
  });
});
