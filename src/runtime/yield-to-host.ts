/**
 * Lets the host run (messages, timers, UI) between steps without waiting for a timer tick:
 * setTimeout(0) costs 1-4 ms a yield, a fifth of the font AE's step rate on wasm. Node has setImmediate;
 * a browser page or Worker a MessageChannel (one, reused); anything else falls back to setTimeout.
 */
export const yieldToHost: () => Promise<void> = (() => {
  const g = globalThis as unknown as { setImmediate?: (f: () => void) => void; MessageChannel?: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(m: unknown): void } } };
  if (g.setImmediate) return () => new Promise<void>((resolve) => g.setImmediate!(resolve));
  if (g.MessageChannel) {
    const channel = new g.MessageChannel();
    const waiting: (() => void)[] = [];
    channel.port1.onmessage = () => waiting.shift()?.();
    return () => new Promise<void>((resolve) => { waiting.push(resolve); channel.port2.postMessage(null); });
  }
  return () => new Promise<void>((resolve) => setTimeout(resolve, 0));
})();

/**
 * Milliseconds of stepping between yields by default. A page or a Worker yields every 20 ms: a frame, and a
 * Stop or a param change takes effect at once. Node (the CLI, the bench) has no frame to draw and only a
 * Ctrl-C to hear, so it yields every 100 ms: each yield lets V8 run its minor-GC task, an early scavenge that
 * cost ~2 % of the font AE's step rate at 50 yields a second (measured against `--no-minor-gc-task`).
 */
export const yieldEveryMsDefault: number = typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function' ? 100 : 20;
