import type { Catalog, KindSpec, Params } from './catalog';
import type { GraphEdge, GraphDoc } from './schema';
import { hasErrors } from './problems';
import { validateGraph, type GraphCheck } from './validate';

/** FNV-1a hash of a string to a 32-bit unsigned integer. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** One node as the structure hash sees it: its kind, its params and where each input reads from. */
export interface StructureNode {
  id: string;
  kind: KindSpec;
  params: Params;
  inputs: Record<string, readonly { node: string; socket: string }[]>;
}

/**
 * Kinds, structural params and edges: the same hash means the same weight shapes, so trained weights
 * are stored and reused under it. Canvas notes (comments, frames) are left out: adding one must not
 * orphan a graph's saved weights. `nodes` in topological order, inputs in the kind's declared order.
 */
export function hashStructure(nodes: readonly StructureNode[]): string {
  const parts = nodes.filter((n) => n.kind.category !== 'note').map((n) => {
    const structural = Object.entries(n.kind.params).filter(([, s]) => s.structural).map(([k]) => [k, n.params[k]]);
    return [n.id, n.kind.kind, n.kind.version, structural, Object.entries(n.inputs)];
  });
  const text = JSON.stringify(parts);
  return `${hashString(text).toString(16).padStart(8, '0')}${hashString(`${text.length}:${text}`).toString(16).padStart(8, '0')}`;
}

/** The nodes of a checked document in topological order, each with its inputs' sources (all edges for a multi input). */
export function structureNodes<K extends KindSpec>(doc: GraphDoc, catalog: { get(kind: string): K | undefined }, check: GraphCheck): (StructureNode & { kind: K })[] {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  return check.order.map((id) => {
    const node = byId.get(id)!;
    const kind = catalog.get(node.kind)!;
    const byInput = check.incoming.get(id) ?? new Map<string, GraphEdge[]>();
    const inputs: Record<string, { node: string; socket: string }[]> = {};
    for (const name of Object.keys(kind.inputs)) inputs[name] = (byInput.get(name) ?? []).map((e) => ({ node: e.from.node, socket: e.from.socket }));
    return { id, kind, params: { ...(node.params as Params) }, inputs };
  });
}

/** The structure hash of a document (what `compile` gives as `plan.structureHash`), or null when it has errors. */
export function structureHash(doc: GraphDoc, catalog: Catalog): string | null {
  const check = validateGraph(doc, catalog);
  if (hasErrors(check.problems)) return null;
  return hashStructure(structureNodes(doc, catalog, check));
}
