/**
 * Early stopping as a pure function of the watched epoch losses (the training loss of each closed epoch,
 * or the held-out loss at the epochs that measure it). Tested without training
 * (test/runtime/early-stopping.shared.test.ts); run.ts feeds it and ends the run when it says so.
 */
import type { TrainerParams } from '../../nodes/train-optimizer';

export interface EarlyStopRule {
  /** Watched losses in a row without improvement that end the run (0: never). */
  patience: number;
  /** How much lower than the best a loss must be to count as an improvement. */
  minDelta: number;
}

export function earlyStopRule(p: Pick<TrainerParams, 'patience' | 'minDelta'>): EarlyStopRule {
  return { patience: p.patience, minDelta: p.minDelta };
}

export interface EarlyStopState {
  best: number;
  /** Watched losses since the best. */
  since: number;
}

export const earlyStopStart: EarlyStopState = { best: Infinity, since: 0 };

/** The state after one more watched loss, and whether the run stops there. */
export function watchLoss(state: EarlyStopState, loss: number, rule: EarlyStopRule): EarlyStopState & { stop: boolean } {
  if (loss < state.best - rule.minDelta) return { best: loss, since: 0, stop: false };
  if (rule.patience <= 0) return { ...state, stop: false };
  const since = state.since + 1;
  return { best: state.best, since, stop: since >= rule.patience };
}

/** Where a run with these watched losses stops early (the index of the loss that ends it, and the best so far), or null. */
export function earlyStop(losses: readonly number[], rule: EarlyStopRule): { at: number; best: number } | null {
  let state = earlyStopStart;
  for (const [i, loss] of losses.entries()) {
    const next = watchLoss(state, loss, rule);
    if (next.stop) return { at: i, best: next.best };
    state = next;
  }
  return null;
}
