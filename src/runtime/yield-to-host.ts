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
