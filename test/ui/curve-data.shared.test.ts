import { expect } from '@esm-bundle/chai';
import { curveData } from '../../src/ui/curve-data';
import type { MetricsBatch } from '../../src/runtime/types';

const history: MetricsBatch = {
  steps: [0, 1, 2, 3], epochs: [0, 0, 1, 1], total: [4, 3, 2, 1], terms: { recon: [3, 2, 1.5, 0.5], kl: [1, 1, 0.5, 0.5] },
  test: { steps: [1, 3], epochs: [0, 1], total: [3.5, 0], terms: { recon: [2.5, 0], kl: [1, 0] } },
};

describe('loss chart data', () => {
  it('aligns training and test losses on one step axis; a test line shares its training colour', () => {
    const { x, series } = curveData(history, { recon: 'reconstruction' }, false);
    expect(x).to.deep.equal([0, 1, 2, 3]);
    expect(series.map((s) => s.name)).to.deep.equal(['total', 'reconstruction', 'kl', 'test total', 'test reconstruction', 'test kl']);
    expect(series[3]!.values).to.deep.equal([null, 3.5, null, 0]);
    expect(series[4]!.colour).to.equal(series[1]!.colour);
    expect(series[3]!.test).to.equal(true);
  });

  it('leaves a gap for values a log axis cannot show, and for non-finite ones', () => {
    const h: MetricsBatch = { ...history, total: [4, NaN, 2, Infinity] };
    const { series } = curveData(h, {}, true);
    expect(series[0]!.values).to.deep.equal([4, null, 2, null]);
    expect(series.find((s) => s.name === 'test total')!.values).to.deep.equal([null, 3.5, null, null]);
  });

  it('one term is one line named loss; test steps between training points join the axis', () => {
    const h: MetricsBatch = { steps: [0, 10], epochs: [0, 1], total: [2, 1], terms: { r: [2, 1] }, test: { steps: [5], epochs: [0], total: [1.5], terms: { r: [1.5] } } };
    const { x, series } = curveData(h, {}, false);
    expect(x).to.deep.equal([0, 5, 10]);
    expect(series.map((s) => [s.name, s.values])).to.deep.equal([['loss', [2, null, 1]], ['test loss', [null, 1.5, null]]]);
  });
});
