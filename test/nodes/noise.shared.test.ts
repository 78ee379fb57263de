// Noise nodes: measured corruption rates, seeded determinism, per-epoch levels, inference switch, leaks.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { saltPepperNoise } from '../../nodes/noise-salt-pepper';
import { gaussianNoise } from '../../nodes/noise-gaussian';
import { maskNoise } from '../../nodes/noise-mask';
import { noiseLevel } from '../../nodes/level';
import type { BatchValue, NodeKind, StepContext } from '../../nodes/define';
import type { Params } from '../../src/graph';
import { buildNode, leakedBy, stepContext, useCpu } from './tf-helpers';

const shape = [100, 1000] as const; // 100,000 pixels

/** Runs one forward pass of a noise node on a constant batch and returns the output values. */
async function corrupt(kind: NodeKind, value: number, ctx: Partial<StepContext> & { params?: Params } = {}): Promise<Float32Array> {
  const node = buildNode(kind, ctx.params);
  const out = tf.tidy(() => {
    const x = tf.fill([...shape], value) as BatchValue;
    return tf.keep(node.forward({ x }, stepContext(kind, ctx)).x as BatchValue);
  });
  const data = (await out.data()) as Float32Array;
  out.dispose();
  node.dispose();
  return data;
}

const rate = (data: Float32Array, pred: (v: number) => boolean) => data.reduce((a, v) => a + (pred(v) ? 1 : 0), 0) / data.length;

describe('noise.salt-pepper', () => {
  before(useCpu);

  it('touches a fraction p of the pixels, half set to 1 and half to 0', async () => {
    // On a 0.5 input every touched pixel is visible (a 1 set to 1 would not be).
    const out = await corrupt(saltPepperNoise, 0.5, { params: { p: 0.1 }, seed: 42 });
    const ones = rate(out, (v) => v === 1);
    const zeros = rate(out, (v) => v === 0);
    expect(ones + zeros).to.be.closeTo(0.1, 0.01);
    expect(ones).to.be.closeTo(0.05, 0.005);
    expect(zeros).to.be.closeTo(0.05, 0.005);
    expect(rate(out, (v) => v === 0.5)).to.be.closeTo(0.9, 0.01);
  });

  it('keeps the batch shape and only ever writes 0 or 1', async () => {
    const node = buildNode(saltPepperNoise, { p: 0.3 });
    const x = tf.tensor2d([[0.2, 0.4, 0.6], [0.8, 1, 0]]);
    const out = node.forward({ x }, stepContext(saltPepperNoise, { params: { p: 0.3 } })).x as BatchValue;
    expect(out.shape).to.deep.equal([2, 3]);
    const before = x.arraySync().flat();
    out.arraySync().flat().forEach((v, i) => expect([0, 1, before[i]]).to.include(v));
    tf.dispose([x, out]);
  });

  it('gives the same noise for the same seed and different noise for another', async () => {
    const a = await corrupt(saltPepperNoise, 0.5, { params: { p: 0.1 }, seed: 5 });
    const b = await corrupt(saltPepperNoise, 0.5, { params: { p: 0.1 }, seed: 5 });
    const c = await corrupt(saltPepperNoise, 0.5, { params: { p: 0.1 }, seed: 6 });
    expect(Array.from(a)).to.deep.equal(Array.from(b));
    expect(rate(a.map((v, i) => (v === c[i] ? 0 : 1)), (v) => v === 1)).to.be.greaterThan(0.1);
  });

  it('draws a random level per epoch: constant within an epoch, changing between epochs', async () => {
    const params = { mode: 'random-per-epoch', pMin: 0, pMax: 0.5 };
    const epoch1a = await corrupt(saltPepperNoise, 0.5, { params, epochSeed: 101, seed: 1 });
    const epoch1b = await corrupt(saltPepperNoise, 0.5, { params, epochSeed: 101, seed: 2 });
    const touched = (d: Float32Array) => rate(d, (v) => v !== 0.5);
    const level1 = noiseLevel({ ...params, p: 0.1 }, 'p', { epochSeed: 101 });
    expect(touched(epoch1a)).to.be.closeTo(level1, 0.01);
    expect(touched(epoch1b)).to.be.closeTo(level1, 0.01);
    const levels = [201, 202, 203, 204, 205].map((s) => noiseLevel({ ...params, p: 0.1 }, 'p', { epochSeed: s }));
    levels.forEach((l) => expect(l).to.be.within(0, 0.5));
    expect(new Set(levels).size).to.equal(5);
    const epoch2 = await corrupt(saltPepperNoise, 0.5, { params, epochSeed: 202, seed: 1 });
    expect(touched(epoch2)).to.be.closeTo(levels[1]!, 0.01);
  });

  it('reads the level live, at every call', async () => {
    const node = buildNode(saltPepperNoise);
    const x = tf.fill([...shape], 0.5) as BatchValue;
    const run = async (p: number) => {
      const out = tf.tidy(() => node.forward({ x }, stepContext(saltPepperNoise, { params: { p } })).x as BatchValue);
      const r = rate((await out.data()) as Float32Array, (v) => v !== 0.5);
      out.dispose();
      return r;
    };
    expect(await run(0.02)).to.be.closeTo(0.02, 0.005);
    expect(await run(0.2)).to.be.closeTo(0.2, 0.01);
    x.dispose();
  });

  it('passes data through unchanged when evaluating with atInference off, and corrupts with it on', async () => {
    const off = await corrupt(saltPepperNoise, 0.5, { mode: 'eval', params: { p: 0.2, atInference: false } });
    expect(rate(off, (v) => v === 0.5)).to.equal(1);
    const on = await corrupt(saltPepperNoise, 0.5, { mode: 'eval', params: { p: 0.2, atInference: true } });
    expect(rate(on, (v) => v !== 0.5)).to.be.closeTo(0.2, 0.01);
  });

  it('leaves no tensors behind inside tidy', async () => {
    const node = buildNode(saltPepperNoise);
    const x = tf.fill([8, 35], 0.5) as BatchValue;
    expect(await leakedBy(() => tf.tidy(() => { node.forward({ x }, stepContext(saltPepperNoise)); }))).to.equal(0);
    x.dispose();
  });
});

describe('noise.gaussian', () => {
  before(useCpu);

  it('adds noise of standard deviation σ (unclipped) with mean 0', async () => {
    const out = await corrupt(gaussianNoise, 0.5, { params: { sigma: 0.1, clip: false }, seed: 3 });
    const mean = out.reduce((a, v) => a + v, 0) / out.length;
    const sd = Math.sqrt(out.reduce((a, v) => a + (v - mean) ** 2, 0) / out.length);
    expect(mean).to.be.closeTo(0.5, 0.002);
    expect(sd).to.be.closeTo(0.1, 0.005);
  });

  it('clips to [0, 1] when asked', async () => {
    const out = await corrupt(gaussianNoise, 0.9, { params: { sigma: 0.3, clip: true } });
    expect(Math.max(...out)).to.equal(1);
    expect(Math.min(...out)).to.be.at.least(0);
    expect(rate(out, (v) => v === 1)).to.be.closeTo(0.37, 0.02); // P(N(0, 0.3) > 0.1) ≈ 0.369
  });

  it('is seeded, and skipped at σ = 0', async () => {
    const a = await corrupt(gaussianNoise, 0.5, { params: { sigma: 0.2 }, seed: 9 });
    const b = await corrupt(gaussianNoise, 0.5, { params: { sigma: 0.2 }, seed: 9 });
    const c = await corrupt(gaussianNoise, 0.5, { params: { sigma: 0.2 }, seed: 10 });
    expect(Array.from(a)).to.deep.equal(Array.from(b));
    expect(Array.from(a)).to.not.deep.equal(Array.from(c));
    expect(rate(await corrupt(gaussianNoise, 0.5, { params: { sigma: 0 } }), (v) => v === 0.5)).to.equal(1);
  });

  it('draws σ per epoch in random mode', async () => {
    const params = { mode: 'random-per-epoch', sigmaMin: 0.05, sigmaMax: 0.3, clip: false };
    const sigma = noiseLevel({ ...params, sigma: 0 }, 'sigma', { epochSeed: 77 });
    const out = await corrupt(gaussianNoise, 0.5, { params, epochSeed: 77 });
    const sd = Math.sqrt(out.reduce((a, v) => a + (v - 0.5) ** 2, 0) / out.length);
    expect(sd).to.be.closeTo(sigma, 0.01);
  });
});

describe('noise.mask', () => {
  before(useCpu);

  it('zeroes the given fraction of pixels and keeps the rest', async () => {
    const out = await corrupt(maskNoise, 0.5, { params: { fraction: 0.25 }, seed: 4 });
    expect(rate(out, (v) => v === 0)).to.be.closeTo(0.25, 0.01);
    expect(rate(out, (v) => v === 0.5)).to.be.closeTo(0.75, 0.01);
    expect(rate(out, (v) => v !== 0 && v !== 0.5)).to.equal(0);
  });

  it('passes through in eval mode with atInference off, and leaks nothing', async () => {
    const off = await corrupt(maskNoise, 0.5, { mode: 'eval', params: { fraction: 0.5, atInference: false } });
    expect(rate(off, (v) => v === 0.5)).to.equal(1);
    const node = buildNode(maskNoise);
    const x = tf.fill([4, 35], 1) as BatchValue;
    expect(await leakedBy(() => tf.tidy(() => { node.forward({ x }, stepContext(maskNoise)); }))).to.equal(0);
    x.dispose();
  });
});

describe('noise level', () => {
  it('is the fixed value in fixed mode, and orders a reversed range', () => {
    expect(noiseLevel({ mode: 'fixed', p: 0.07, pMin: 0, pMax: 1 }, 'p', { epochSeed: 3 })).to.equal(0.07);
    const l = noiseLevel({ mode: 'random-per-epoch', p: 0, pMin: 0.3, pMax: 0.1 }, 'p', { epochSeed: 3 });
    expect(l).to.be.within(0.1, 0.3);
  });
});
