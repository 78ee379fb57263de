import { expect } from '@esm-bundle/chai';
import { registry } from '../../nodes';
import { defaultParams, type Params } from '../../src/graph';

const summary = (kind: string, params: Params = {}) => {
  const spec = registry.get(kind)!;
  return spec.summary!({ ...defaultParams(spec.params), ...params } as Params);
};

describe('node summaries (the key params on a node\'s face)', () => {
  it('says what a node is in a few words', () => {
    expect(summary('encoder.dense', { units: [64, 32], activation: 'tanh' })).to.equal('tanh 64 → 32');
    expect(summary('train.optimizer', { optimizer: 'adam', lr: 0.005, epochs: 2000 })).to.equal('Adam · lr 0.005 · 2000 ep');
    expect(summary('noise.salt-pepper', { p: 0.1 })).to.equal('salt & pepper · p 0.1');
    expect(summary('noise.salt-pepper', { mode: 'random-per-epoch', pMin: 0, pMax: 0.15 })).to.equal('salt & pepper · p 0–0.15 per epoch');
    expect(summary('latent.deterministic', { dim: 2 })).to.equal('2-D');
    expect(summary('loss.sparsity', { lambda: 0.0001 })).to.equal('L1 · λ 1e-4');
  });

  it('reads as plain words: what a dataset holds, a decoder without hidden layers, a grid\'s range', () => {
    expect(summary('dataset.emoji', { size: '36x36-rgb', set: 'faces118', limit: 118 })).to.equal('118 faces · 36×36 colour');
    expect(summary('dataset.emoji', { size: '20x20-gray', set: 'core60', limit: 118 })).to.equal('60 faces · 20×20 gray');
    expect(summary('dataset.mnist', { split: 'train', limit: 10000 })).to.equal('10,000 training images');
    expect(summary('dataset.mnist', { split: 'test', limit: 100, digits: [3, 8], binarize: true })).to.equal('100 test images · only 3,8 · black/white');
    expect(summary('decoder.dense', { units: [], activation: 'relu', outputActivation: 'relu' })).to.equal('relu output');
    expect(summary('decoder.dense', { units: [256, 512], activation: 'relu', outputActivation: 'sigmoid' })).to.equal('relu 256 → 512 → sigmoid');
    expect(summary('infer.grid', { n: 12, extent: [-3, 3, -3, 3] })).to.equal('12×12 · ±3');
    expect(summary('infer.grid', { n: 5, extent: [0, 2, -1, 1] })).to.equal('5×5 · 0…2, ±1');
    expect(summary('metric.outlier', { top: 8 })).to.equal('8 worst samples');
    expect(summary('infer.interpolate', { from: 15, to: 24, steps: 8 })).to.equal('samples 15 → 24 · 8 steps');
    expect(summary('metric.pixel-error', { threshold: 0.5 })).to.equal('wrong if off by > 0.5');
  });

  it('every non-note kind has a short summary for its default params', () => {
    for (const spec of registry.all()) {
      if (spec.category === 'note') continue;
      if (!spec.summary) continue; // views without params have nothing to add to their title
      const text = spec.summary(defaultParams(spec.params) as Params);
      expect(text, spec.kind).to.be.a('string').and.not.equal('');
      expect(text.length, `${spec.kind}: "${text}"`).to.be.at.most(32);
    }
    const without = registry.all().filter((s) => s.category !== 'note' && !s.summary && Object.keys(s.params).length > 0).map((s) => s.kind);
    expect(without, 'kinds with params but no summary').to.deep.equal([]);
  });
});
