/**
 * The runtime pieces the UI thread needs now and then (the tfjs Layers export), loaded on first use so
 * the page starts without them. Structure hashes come from the graph layer (`structureHash`), not from here.
 */
type RuntimeModule = typeof import('../runtime');
let loading: Promise<RuntimeModule> | null = null;

/** The runtime module (exportLayersModels), loaded once. */
export function runtimeModule(): Promise<RuntimeModule> {
  return (loading ??= import('../runtime'));
}
