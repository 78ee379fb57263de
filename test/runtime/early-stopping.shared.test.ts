// Early stopping as a pure function of the watched epoch losses: no training, no tensors.
import { expect } from '@esm-bundle/chai';
import { earlyStop, earlyStopStart, watchLoss } from '../../src/runtime/early-stopping';

describe('early stopping', () => {
  it('stops at the `patience`th watched loss in a row that does not beat the best, and names the best', () => {
    expect(earlyStop([1, 0.9, 0.95, 0.92, 0.91], { patience: 3, minDelta: 0 })).to.deep.equal({ at: 4, best: 0.9 });
    expect(earlyStop([1, 0.9, 0.95, 0.92], { patience: 3, minDelta: 0 })).to.equal(null);
  });

  it('starts counting again after an improvement', () => {
    // Two worse epochs, a new best, then two worse again: the stop comes at the second run of two.
    expect(earlyStop([1, 1.1, 1.2, 0.8, 0.9, 0.95], { patience: 3, minDelta: 0 })).to.equal(null);
    expect(earlyStop([1, 1.1, 0.8, 0.9, 0.95], { patience: 2, minDelta: 0 })).to.deep.equal({ at: 4, best: 0.8 });
  });

  it('counts a loss equal to the best, or better by less than minDelta, as no improvement', () => {
    expect(earlyStop([1, 1], { patience: 1, minDelta: 0 })).to.deep.equal({ at: 1, best: 1 });
    expect(earlyStop([1, 0.99, 0.98], { patience: 2, minDelta: 0.05 })).to.deep.equal({ at: 2, best: 1 });
    expect(earlyStop([1, 0.9, 0.8], { patience: 2, minDelta: 0.05 })).to.equal(null);
  });

  it('never stops with patience 0', () => {
    expect(earlyStop(Array.from({ length: 100 }, (_, i) => i), { patience: 0, minDelta: 0 })).to.equal(null);
  });

  it('steps one watched loss at a time from the start state', () => {
    const rule = { patience: 2, minDelta: 0 };
    const a = watchLoss(earlyStopStart, 0.5, rule);
    expect(a).to.deep.equal({ best: 0.5, since: 0, stop: false });
    const b = watchLoss(a, 0.6, rule);
    expect(b).to.deep.equal({ best: 0.5, since: 1, stop: false });
    expect(watchLoss(b, 0.7, rule)).to.deep.equal({ best: 0.5, since: 2, stop: true });
    expect(earlyStopStart).to.deep.equal({ best: Infinity, since: 0 });
  });
});
