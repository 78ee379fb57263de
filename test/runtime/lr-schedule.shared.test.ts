// The learning rate's schedules and the adaptive rule as pure functions of params and epoch losses: no training.
import { expect } from '@esm-bundle/chai';
import { adaptLr, adaptiveRule, epochLr, scheduledLr, type AdaptiveState } from '../../src/runtime/lr-schedule';

describe('the learning-rate schedule', () => {
  it('keeps a constant rate, steps it down every decayEvery epochs, or decays it smoothly', () => {
    const p = { lr: 0.1, decayRate: 0.5, decayEvery: 10 };
    expect([0, 9, 10, 25].map((e) => scheduledLr({ ...p, schedule: 'constant' }, e))).to.deep.equal([0.1, 0.1, 0.1, 0.1]);
    expect([0, 9, 10, 25].map((e) => scheduledLr({ ...p, schedule: 'step' }, e))).to.deep.equal([0.1, 0.1, 0.05, 0.025]);
    expect(scheduledLr({ ...p, schedule: 'exponential' }, 5)).to.be.closeTo(0.1 * Math.SQRT1_2, 1e-12);
  });

  it('under the adaptive schedule keeps the rate it has (the trainer lr until it moves)', () => {
    const p = { lr: 0.1, schedule: 'adaptive' as const, decayRate: 0.5, decayEvery: 1 };
    expect(epochLr(p, 7, 0)).to.equal(0.1);
    expect(epochLr(p, 7, 0.4)).to.equal(0.4);
    expect(epochLr({ ...p, schedule: 'step' }, 2, 0.4)).to.equal(0.025);
  });
});

describe('the adaptive learning rate', () => {
  const rule = adaptiveRule({ adaptiveAfter: 2, adaptiveGrow: 2, adaptiveShrink: 0.5 });

  /** The rate after each closed epoch, and the epochs where the rule set one. */
  function follow(losses: number[], lr = 1): { lrs: number[]; set: number[] } {
    let state: AdaptiveState = { lr, streak: 0 };
    const lrs: number[] = [];
    const set: number[] = [];
    losses.forEach((loss, epoch) => {
      const next = adaptLr(state, epoch > 0 ? losses[epoch - 1] : undefined, loss, rule);
      if (next.changed) set.push(epoch);
      state = { lr: next.lr, streak: next.streak };
      lrs.push(state.lr);
    });
    return { lrs, set };
  }

  it('grows the rate after `after` better epochs in a row, then counts a new streak', () => {
    expect(follow([8, 7, 6, 5, 4])).to.deep.equal({ lrs: [1, 1, 2, 2, 4], set: [2, 4] });
  });

  it('shrinks it after an epoch no better than the one before, which also ends the streak', () => {
    expect(follow([5, 4, 4, 3, 2])).to.deep.equal({ lrs: [1, 1, 0.5, 0.5, 1], set: [2, 4] });
    expect(follow([5, 6, 5, 6])).to.deep.equal({ lrs: [1, 0.5, 0.5, 0.25], set: [1, 3] });
  });

  it('does nothing at the first epoch (nothing to compare with)', () => {
    expect(adaptLr({ lr: 0.3, streak: 0 }, undefined, 1, rule)).to.deep.equal({ lr: 0.3, streak: 0, changed: false });
  });
});
