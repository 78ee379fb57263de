import { isReservedName, uniqueName } from './names';
import type { Problem } from './problems';
import type { Json } from './sanitize';

/**
 * Document migrations: `documentMigrations[n]` turns a document of version n into version n + 1.
 * Each is a named, pure function of plain JSON.
 */

type Obj = { [key: string]: Json };
const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Version 0 was the draft format of the first prototype: `title` at the top, nodes with `type`
 * and `position`, and links as `"node.socket"` strings. Version 1 names everything (ARCHITECTURE §2).
 */
export function migrateV0toV1(doc: Obj): Obj {
  const { title, description, nodes, links, version: _v, ...rest } = doc;
  const meta: Obj = isObj(rest.meta) ? { ...rest.meta } : {};
  if (typeof title === 'string' && meta.title === undefined) meta.title = title;
  if (typeof description === 'string' && meta.description === undefined) meta.description = description;
  const newNodes: Json[] = Array.isArray(nodes)
    ? nodes.map((n) => {
        if (!isObj(n)) return n;
        const { type, position, kind, kindVersion, ui, ...nodeRest } = n;
        const newUi: Obj = isObj(ui) ? { ...ui } : {};
        if (Array.isArray(position)) newUi.position = position;
        const out: Obj = { ...nodeRest, kind: kind ?? type ?? null, kindVersion: kindVersion ?? 1 };
        if (Object.keys(newUi).length > 0) out.ui = newUi;
        return out;
      })
    : [];
  const split = (end: Json): Json => {
    if (typeof end !== 'string') return end;
    const dot = end.lastIndexOf('.');
    return dot < 0 ? { node: end, socket: '' } : { node: end.slice(0, dot), socket: end.slice(dot + 1) };
  };
  const edges: Json[] = Array.isArray(links)
    ? links.map((l, i) => (isObj(l) ? { id: typeof l.id === 'string' ? l.id : `e${i + 1}`, from: split(l.from ?? null), to: split(l.to ?? null) } : l))
    : [];
  return { ...rest, version: 1, meta, nodes: newNodes, edges };
}

export const documentMigrations: Record<number, (doc: Obj) => Obj> = {
  0: migrateV0toV1,
};

/**
 * Renames node and edge ids that are reserved names (see names.ts: `constructor`, `toString`,
 * `__proto__`…), in a file of any version: `constructor` → `constructor_1` (unique), and every edge
 * end and `ui.parent` that named it with it. One warning per renamed id. Pure: returns a new document.
 */
export function renameReservedIds(doc: Obj, problems: Problem[]): Obj {
  const renameList = (list: Json | undefined, what: 'node' | 'edge', renamed: Map<string, string>): Json | undefined => {
    if (!Array.isArray(list)) return list;
    const ids = new Set(list.flatMap((x) => (isObj(x) && typeof x.id === 'string' ? [x.id] : [])));
    return list.map((item, i) => {
      if (!isObj(item) || typeof item.id !== 'string' || !isReservedName(item.id)) return item;
      const from = item.id;
      let to = renamed.get(from);
      if (to === undefined) {
        to = uniqueName(from, (name) => ids.has(name));
        ids.add(to);
        renamed.set(from, to);
      }
      problems.push({ severity: 'warning', path: `${what}s[${i}].id`, ...(what === 'node' ? { nodeId: to, ...(typeof item.kind === 'string' ? { kind: item.kind } : {}) } : { edgeId: to }),
        message: `the id "${from}" is a name every JavaScript object already has; renamed to "${to}"` });
      return { ...item, id: to };
    });
  };
  const nodeNames = new Map<string, string>();
  const edgeNames = new Map<string, string>();
  let nodes = renameList(doc.nodes, 'node', nodeNames);
  let edges = renameList(doc.edges, 'edge', edgeNames);
  if (nodeNames.size === 0 && edgeNames.size === 0) return doc;
  const end = (e: Json | undefined): Json | undefined =>
    isObj(e) && typeof e.node === 'string' && nodeNames.has(e.node) ? { ...e, node: nodeNames.get(e.node)! } : e;
  if (Array.isArray(edges)) {
    edges = edges.map((e) => (isObj(e) ? { ...e, ...(e.from !== undefined ? { from: end(e.from)! } : {}), ...(e.to !== undefined ? { to: end(e.to)! } : {}) } : e));
  }
  if (Array.isArray(nodes)) {
    nodes = nodes.map((n) => (isObj(n) && isObj(n.ui) && typeof n.ui.parent === 'string' && nodeNames.has(n.ui.parent)
      ? { ...n, ui: { ...n.ui, parent: nodeNames.get(n.ui.parent)! } } : n));
  }
  const out: Obj = { ...doc };
  if (nodes !== undefined) out.nodes = nodes;
  if (edges !== undefined) out.edges = edges;
  return out;
}
