import { ReplaySubject, share, type Observable } from 'rxjs';
import type { Json } from '../graph';
import type { Run } from '../runtime/types';

const byRun = new WeakMap<Run, Map<string, Observable<Json>>>();

/**
 * A run's output stream, one per node socket, shared by every view drawing it (the docked panel
 * and the live view inside the node): the Worker then sends each value once, and a view that
 * subscribes late gets the last value at once. Null without a run.
 */
export function sharedOutput(run: Run | null, nodeId: string, socket: string): Observable<Json> | null {
  if (!run) return null;
  let streams = byRun.get(run);
  if (!streams) byRun.set(run, (streams = new Map()));
  const key = `${nodeId}\u0000${socket}`;
  let stream = streams.get(key);
  if (!stream) {
    stream = run.output$(nodeId, socket).pipe(share({ connector: () => new ReplaySubject<Json>(1), resetOnError: true, resetOnComplete: true, resetOnRefCountZero: true }));
    streams.set(key, stream);
  }
  return stream;
}
