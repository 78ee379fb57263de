import { BehaviorSubject, Subject } from 'rxjs';
import type { MetricsBatch, Progress, RunEvent, RunStatus } from './types';

/** The four streams every `Run` exposes, whether it trains here or in a Worker. */
export class RunStreams {
  readonly status$ = new BehaviorSubject<RunStatus>({ state: 'idle', step: 0, epoch: 0 });
  readonly progress$ = new BehaviorSubject<Progress | null>(null);
  readonly metrics$ = new Subject<MetricsBatch>();
  readonly events$ = new Subject<RunEvent>();

  /** Ends every stream (the run was disposed). */
  protected completeStreams(): void {
    this.status$.complete();
    this.progress$.complete();
    this.metrics$.complete();
    this.events$.complete();
  }
}
