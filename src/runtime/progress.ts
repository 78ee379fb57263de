import type { Progress } from './types';

/** Where a run is, for its progress report. */
export interface ProgressAt {
  step: number;
  epoch: number;
  epochs: number;
  stepsPerEpoch: number;
  samplesPerStep: number;
  lr: number;
}

/** The run's speed, smoothed over read-backs, and what it makes of the time left. */
export class ProgressMeter {
  private lastTime = 0;
  private lastStep = 0;

  constructor(private readonly now: () => number) {}

  /** Measures from here (training starts or resumes). */
  restart(step: number): void {
    this.lastTime = this.now();
    this.lastStep = step;
  }

  /** The progress at `at`, or null when no time or no step passed since the last report. */
  next(prev: Progress | null, at: ProgressAt): Progress | null {
    const t = this.now();
    const dt = (t - this.lastTime) / 1000;
    const steps = at.step - this.lastStep;
    if (dt <= 0 || steps <= 0) return null;
    this.lastTime = t;
    this.lastStep = at.step;
    const rate = prev && prev.stepsPerSec > 0 ? 0.7 * prev.stepsPerSec + 0.3 * (steps / dt) : steps / dt;
    const totalSteps = at.epochs * at.stepsPerEpoch;
    return {
      epoch: at.epoch, epochs: at.epochs, step: at.step, stepsPerEpoch: at.stepsPerEpoch, totalSteps,
      stepsPerSec: rate, samplesPerSec: rate * at.samplesPerStep, etaSeconds: Math.max(0, totalSteps - at.step) / rate, lr: at.lr,
    };
  }
}
