import { BehaviorSubject, Subject } from 'rxjs';
import { isFinished, type MetricsBatch, type Progress, type RunEvent, type RunStatus } from './types';

/** The four streams every `Run` exposes, whether it trains here or in a Worker, and its `finished` promise. */
export class RunStreams {
  readonly status$ = new BehaviorSubject<RunStatus>({ state: 'idle', step: 0, epoch: 0 });
  readonly progress$ = new BehaviorSubject<Progress | null>(null);
  readonly metrics$ = new Subject<MetricsBatch>();
  readonly events$ = new Subject<RunEvent>();
  /** Resolves with the first status that ends the run (done, stopped or failed). */
  readonly finished: Promise<RunStatus>;
  private resolveFinished!: (s: RunStatus) => void;

  constructor() {
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  /** Whether the run has ended (`isFinished` of its state: the one terminal-state check). */
  protected isFinished(): boolean {
    return isFinished(this.status$.value.state);
  }

  /** Announces a status; one that ends the run resolves `finished`. Nothing after the streams completed. */
  protected announce(status: RunStatus): void {
    if (this.status$.closed) return;
    this.status$.next(status);
    if (isFinished(status.state)) this.resolveFinished(status);
  }

  /** Ends every stream (the run was disposed). */
  protected completeStreams(): void {
    this.status$.complete();
    this.progress$.complete();
    this.metrics$.complete();
    this.events$.complete();
  }
}
