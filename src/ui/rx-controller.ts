import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { animationFrameScheduler, auditTime, type Observable, type Subscription } from 'rxjs';

/** Subscribes a Lit element to an RxJS observable while it is connected; each value requests an update. */
export class RxController<T> implements ReactiveController {
  value: T | undefined;
  private source: Observable<T> | null = null;
  private subscription: Subscription | null = null;
  private connected = false;

  constructor(private readonly host: ReactiveControllerHost, private readonly onValue?: (value: T) => void) {
    host.addController(this);
  }

  /** Switches to another observable (or none); the last value is kept until the new one emits. */
  observe(source: Observable<T> | null | undefined, reset = true): void {
    if (source === this.source) return;
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.source = source ?? null;
    if (reset) this.value = undefined;
    if (this.connected) this.subscribe();
  }

  hostConnected(): void {
    this.connected = true;
    this.subscribe();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.subscription?.unsubscribe();
    this.subscription = null;
  }

  private subscribe(): void {
    if (!this.source || this.subscription) return;
    this.subscription = this.source.subscribe({
      next: (v) => {
        this.value = v;
        this.onValue?.(v);
        this.host.requestUpdate();
      },
      error: () => this.host.requestUpdate(),
    });
  }
}

/** At most one value per animation frame (the latest). */
export function perFrame<T>(source: Observable<T>): Observable<T> {
  return source.pipe(auditTime(0, animationFrameScheduler));
}
