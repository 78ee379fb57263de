/**
 * The runtime pieces the UI thread needs now and then (structure hashes, Layers export), loaded on
 * first use so the page starts without them.
 */
import type { GraphDoc, Catalog, TypedCatalog } from '../graph';
import type { NodeKind } from '../../nodes/define';

type RuntimeModule = typeof import('../runtime');
let loading: Promise<RuntimeModule> | null = null;

/** The runtime module (compile, exportLayersModels), loaded once. */
export function runtimeModule(): Promise<RuntimeModule> {
  return (loading ??= import('../runtime'));
}

/** `compile(doc).plan.structureHash`, or null when the graph does not compile. */
export async function structureHashOf(doc: GraphDoc, catalog: Catalog): Promise<string | null> {
  const rt = await runtimeModule();
  const c = rt.compile(doc, catalog as TypedCatalog<NodeKind>);
  return c.ok ? c.plan.structureHash : null;
}

/** A synchronous hash function for `importBundle` (call `runtimeModule()` first). */
export function structureHashSync(rt: RuntimeModule, catalog: Catalog): (doc: GraphDoc) => string {
  return (doc) => {
    const c = rt.compile(doc, catalog as TypedCatalog<NodeKind>);
    if (!c.ok) throw new Error(c.problems[0]?.message ?? 'the graph does not compile');
    return c.plan.structureHash;
  };
}
