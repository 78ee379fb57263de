// infer.encode / decode / grid / interpolate / sample: hand-checked codes and images, PCA, leaks.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { encodeInference } from '../../nodes/infer-encode';
import { decodeInference } from '../../nodes/infer-decode';
import { gridInference, gridCodes } from '../../nodes/infer-grid';
import { interpolateInference } from '../../nodes/infer-interpolate';
import { sampleInference } from '../../nodes/infer-sample';
import { principalAxes } from '../../nodes/pca';
import type { ModelValue, NodeKind, Value } from '../../nodes/define';
import type { ImagesResult, PointsResult } from '../../nodes/results';
import type { Params } from '../../src/graph';
import { evalContext, useCpu } from './tf-helpers';

/** A stand-in decoder: image = clip(z · W) with W [dims, 4] (a 2×2 gray image), hand-checkable. */
function linearDecoder(w: number[][]): ModelValue & { kernel: tf.Tensor2D } {
  const kernel = tf.tensor2d(w);
  return { kernel, inputs: w.length, outputs: 4, image: [2, 2, 1], apply: (z) => tf.matMul(z, kernel) };
}

/** Evaluates a node and checks that it left no tensors behind. */
async function evaluate<T>(kind: NodeKind, inputs: Record<string, Value | undefined>, params: Params = {}, extra: { labels?: string[]; seed?: number } = {}): Promise<T> {
  const before = tf.memory().numTensors;
  const out = await kind.evaluate!(inputs, evalContext(kind, { params, ...extra }));
  expect(tf.memory().numTensors, `${kind.kind} leaked tensors`).to.equal(before);
  return out as T;
}

describe('infer.encode', () => {
  before(useCpu);

  it('gives 2-D codes as points, with labels and the raw codes', async () => {
    const z = tf.tensor2d([[1, 2], [3, 4]]);
    const r = await evaluate<PointsResult>(encodeInference, { z: { z } }, {}, { labels: ['a', 'b'] });
    expect(r).to.deep.equal({ kind: 'points', dims: 2, projection: 'first-two', labels: ['a', 'b'], points: [[1, 2], [3, 4]], raw: [[1, 2], [3, 4]] });
    z.dispose();
  });

  it('uses the mean of a gaussian latent, and puts 1-D codes on the x axis', async () => {
    const z = tf.tensor2d([[9], [9]]);
    const mean = tf.tensor2d([[1], [-1]]);
    const r = await evaluate<PointsResult>(encodeInference, { z: { z, mean, logVar: mean } });
    expect(r.points).to.deep.equal([[1, 0], [-1, 0]]);
    const asked = await evaluate<PointsResult>(encodeInference, { z: { z, mean } }, { projection: 'pca' });
    expect(asked.projection).to.equal('first-two'); // nothing to project
    tf.dispose([z, mean]);
  });

  it('shows the first two dims of larger codes, and ships raw codes only up to 8 dims', async () => {
    const z = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const r = await evaluate<PointsResult>(encodeInference, { z: { z } });
    expect(r.points).to.deep.equal([[1, 2], [4, 5]]);
    expect(r.raw).to.deep.equal([[1, 2, 3], [4, 5, 6]]);
    const wide = tf.zeros([3, 9]) as tf.Tensor2D;
    const w = await evaluate<PointsResult>(encodeInference, { z: { z: wide } });
    expect(w.raw).to.equal(undefined);
    expect(w.dims).to.equal(9);
    tf.dispose([z, wide]);
  });

  it('projects on the two principal components with pca', async () => {
    // Spread 2 along (1, 1, 0)/√2 per step, a little along (0, 0, 1): PCA must find exactly those.
    const t = [-2, -1, 0, 1, 2];
    const s = [0.1, -0.2, 0.2, -0.2, 0.1]; // sums to 0 and is uncorrelated with t
    const z = tf.tensor2d(t.map((ti, i) => [ti, ti, s[i]!]));
    const r = await evaluate<PointsResult>(encodeInference, { z: { z } }, { projection: 'pca' });
    expect(r.projection).to.equal('pca');
    r.points.forEach(([a, b], i) => {
      expect(a).to.be.closeTo(t[i]! * Math.SQRT2, 1e-5);
      expect(b).to.be.closeTo(s[i]!, 1e-5);
    });
    expect(r.explained![0]! + r.explained![1]!).to.be.closeTo(1, 1e-9);
    expect(r.explained![0]).to.be.greaterThan(0.99);
    z.dispose();
  });

  it('finds eigenvectors of the covariance on random codes (deterministic start)', async () => {
    const z = tf.randomNormal([200, 6], 0, 1, 'float32', 3).mul(tf.tensor1d([3, 1, 2, 0.5, 1, 0.2])) as tf.Tensor2D;
    const a = await principalAxes(z, 2);
    const b = await principalAxes(z, 2);
    expect(a.axes.map((v) => Array.from(v))).to.deep.equal(b.axes.map((v) => Array.from(v)));
    const cov = tf.tidy(() => {
      const c = tf.sub(z, tf.mean(z, 0));
      return tf.div(tf.matMul(c, c, true), 199);
    });
    const C = (await cov.array()) as number[][];
    a.axes.forEach((v, k) => {
      const cv = C.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
      cv.forEach((x, i) => expect(x).to.be.closeTo(a.variances[k]! * v[i]!, 1e-3));
    });
    expect(a.variances[0]).to.be.greaterThan(a.variances[1]!);
    expect(Math.abs(a.axes[0]![0]!)).to.be.greaterThan(0.9); // the dim of scale 3 dominates
    tf.dispose([z, cov]);
  });
});

describe('infer.decode', () => {
  before(useCpu);

  it('decodes the given points into images clipped to [0, 1]', async () => {
    const dec = linearDecoder([[1, 0, 0.5, 2], [0, 1, 0.5, -1]]);
    const r = await evaluate<ImagesResult>(decodeInference, { decoder: dec }, { z: [0.2, 0.4, 1, 1] });
    expect(r.kind).to.equal('images');
    expect(r.image).to.deep.equal([2, 2, 1]);
    expect(r.count).to.equal(2);
    expect(r.coords!.map((c) => c.map((v) => Math.round(v * 10) / 10))).to.deep.equal([[0.2, 0.4], [1, 1]]);
    [0.2, 0.4, 0.3, 0].forEach((v, i) => expect(r.pixels[0]![i]).to.be.closeTo(v, 1e-6));
    expect(r.pixels[1]).to.deep.equal([1, 1, 1, 1]);
    dec.kernel.dispose();
  });

  it('refuses a coordinate list that is not whole points', async () => {
    const dec = linearDecoder([[1, 0, 0, 0], [0, 1, 0, 0]]);
    let message = '';
    await decodeInference.evaluate!({ decoder: dec }, evalContext(decodeInference, { params: { z: [1, 2, 3] } })).catch((e: Error) => { message = e.message; });
    expect(message).to.contain('whole points of 2 coordinates');
    dec.kernel.dispose();
  });
});

describe('infer.grid', () => {
  before(useCpu);

  it('lays x over dims[0] left to right and y over dims[1] top (max) to bottom, other dims 0', () => {
    const { codes, coords } = gridCodes(3, [-1, 1, 0, 2], [2, 0], 3);
    expect(coords).to.deep.equal([[-1, 2], [0, 2], [1, 2], [-1, 1], [0, 1], [1, 1], [-1, 0], [0, 0], [1, 0]]);
    expect(Array.from(codes.subarray(0, 3))).to.deep.equal([2, 0, -1]);
    expect(Array.from(codes.subarray(15, 18))).to.deep.equal([1, 0, 1]); // row 1, col 2: x = 1, y = 1
  });

  it('decodes n×n images with rows and cols', async () => {
    const dec = linearDecoder([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]);
    const r = await evaluate<ImagesResult>(gridInference, { decoder: dec }, { n: 2, extent: [0, 1, 0, 0.5], dims: [0, 2] });
    expect(r.rows).to.equal(2);
    expect(r.cols).to.equal(2);
    expect(r.count).to.equal(4);
    expect(r.pixels.map((p) => p.map((v) => Math.round(v * 100) / 100))).to.deep.equal([[0, 0, 0.5, 0], [1, 0, 0.5, 0], [0, 0, 0, 0], [1, 0, 0, 0]]);
    dec.kernel.dispose();
  });
});

describe('infer.interpolate', () => {
  before(useCpu);

  it('decodes evenly spaced codes from one sample to another, both ends included', async () => {
    const dec = linearDecoder([[1, 0, 0, 0], [0, 1, 0, 0]]);
    const mean = tf.tensor2d([[0, 0], [5, 5], [1, 0.5]]);
    const r = await evaluate<ImagesResult>(interpolateInference, { z: { z: mean, mean }, decoder: dec }, { from: 0, to: 2, steps: 3 });
    expect(r.coords).to.deep.equal([[0, 0], [0.5, 0.25], [1, 0.5]]);
    expect(r.pixels).to.deep.equal([[0, 0, 0, 0], [0.5, 0.25, 0, 0], [1, 0.5, 0, 0]]);
    expect(r.cols).to.equal(3);
    let message = '';
    await interpolateInference.evaluate!({ z: { z: mean }, decoder: dec }, evalContext(interpolateInference, { params: { to: 3 } })).catch((e: Error) => { message = e.message; });
    expect(message).to.contain('params.to is 3, but the dataset has 3 samples');
    tf.dispose([mean, dec.kernel]);
  });
});

describe('infer.sample', () => {
  before(useCpu);

  it('draws count codes from N(0, temperature²), seeded, and decodes them into [0, 1]', async () => {
    const dec = { inputs: 2, outputs: 4, image: [2, 2, 1] as const, apply: (z: tf.Tensor2D) => tf.sigmoid(tf.tile(z, [1, 2])) as tf.Tensor2D };
    const a = await evaluate<ImagesResult>(sampleInference, { decoder: dec }, { count: 64, temperature: 2 }, { seed: 11 });
    const b = await evaluate<ImagesResult>(sampleInference, { decoder: dec }, { count: 64, temperature: 2 }, { seed: 11 });
    const c = await evaluate<ImagesResult>(sampleInference, { decoder: dec }, { count: 64, temperature: 2 }, { seed: 12 });
    expect(a.count).to.equal(64);
    expect(a.pixels).to.deep.equal(b.pixels);
    expect(a.pixels).to.not.deep.equal(c.pixels);
    a.pixels.flat().forEach((v) => expect(v).to.be.within(0, 1));
    const zs = a.coords!.flat();
    const sd = Math.sqrt(zs.reduce((s, v) => s + v * v, 0) / zs.length);
    expect(sd).to.be.within(1.5, 2.5);
    const cold = await evaluate<ImagesResult>(sampleInference, { decoder: dec }, { count: 2, temperature: 0 });
    expect(cold.pixels).to.deep.equal([[0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5]]);
  });
});
