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
