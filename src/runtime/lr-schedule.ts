/**
 * The learning rate a run trains with: the trainer's schedule at each epoch, or the adaptive rule fed
 * with closed epochs' mean losses. Pure functions of params and losses (tested without training:
 * test/runtime/lr-schedule.shared.test.ts); run.ts applies what they decide to the optimizer.
 */
import type { TrainerParams } from '../../nodes/train-optimizer';

type Schedule = Pick<TrainerParams, 'lr' | 'schedule' | 'decayRate' | 'decayEvery'>;

/** The scheduled learning rate at an epoch (the adaptive rule is applied from epoch losses instead). */
export function scheduledLr(p: Schedule, epoch: number): number {
  const { lr, decayRate: rate, decayEvery: every } = p;
  switch (p.schedule) {
    case 'step': return lr * rate ** Math.floor(epoch / every);
    case 'exponential': return lr * rate ** (epoch / every);
    default: return lr;
  }
}

/** The rate an epoch trains with: the schedule's, or under 'adaptive' the current one (the trainer's `lr` until it moves). */
export function epochLr(p: Schedule, epoch: number, current: number): number {
  return p.schedule === 'adaptive' ? (current || p.lr) : scheduledLr(p, epoch);
}

export interface AdaptiveRule {
  /** Better epochs in a row that grow the rate. */
  after: number;
  grow: number;
  shrink: number;
}

export function adaptiveRule(p: Pick<TrainerParams, 'adaptiveAfter' | 'adaptiveGrow' | 'adaptiveShrink'>): AdaptiveRule {
  return { after: p.adaptiveAfter, grow: p.adaptiveGrow, shrink: p.adaptiveShrink };
}

export interface AdaptiveState {
  lr: number;
  /** Epochs in a row whose loss beat the one before. */
  streak: number;
}

/**
 * The adaptive rule after one more closed epoch: `after` better epochs in a row multiply the rate by
 * `grow` (and start a new streak); an epoch no better than the one before multiplies it by `shrink`.
 * `changed` says the rule set a rate (announced as an `lr` event even when the factor is 1).
 */
export function adaptLr(state: AdaptiveState, prev: number | undefined, loss: number, rule: AdaptiveRule): AdaptiveState & { changed: boolean } {
  if (prev === undefined) return { ...state, changed: false };
  if (loss < prev) {
    const streak = state.streak + 1;
    return streak >= rule.after ? { lr: state.lr * rule.grow, streak: 0, changed: true } : { lr: state.lr, streak, changed: false };
  }
  return { lr: state.lr * rule.shrink, streak: 0, changed: true };
}
