import type { GraphDoc } from './schema';

/** Known keys first in this order; any others follow, sorted, so files diff cleanly. */
const keyOrder = {
  doc: ['format', 'version', 'meta', 'nodes', 'edges'],
  meta: ['title', 'description', 'created', 'modified'],
  node: ['id', 'kind', 'kindVersion', 'params', 'ui'],
  ui: ['position', 'collapsed', 'expanded'],
  edge: ['id', 'from', 'to'],
  endpoint: ['node', 'socket'],
  other: [],
} as const satisfies Record<string, readonly string[]>;

type Ctx = keyof typeof keyOrder | 'nodeList' | 'edgeList';

function orderedKeys(obj: object, ctx: Ctx): string[] {
  const known: readonly string[] = ctx in keyOrder ? keyOrder[ctx as keyof typeof keyOrder] : [];
  const keys = Object.keys(obj).filter((k) => (obj as Record<string, unknown>)[k] !== undefined);
  return [...known.filter((k) => keys.includes(k)), ...keys.filter((k) => !known.includes(k)).sort()];
}

function childCtx(ctx: Ctx, key: string): Ctx {
  if (ctx === 'doc') return key === 'meta' ? 'meta' : key === 'nodes' ? 'nodeList' : key === 'edges' ? 'edgeList' : 'other';
  if (ctx === 'node') return key === 'ui' ? 'ui' : 'other';
  if (ctx === 'edge') return key === 'from' || key === 'to' ? 'endpoint' : 'other';
  return 'other';
}

const isPrimitive = (v: unknown) => v === null || typeof v !== 'object';

function write(value: unknown, ctx: Ctx, indent: string): string {
  if (isPrimitive(value)) return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isPrimitive)) {
      const flat = `[${value.map((x) => JSON.stringify(x) ?? 'null').join(', ')}]`;
      if (flat.length <= 80) return flat;
    }
    const itemCtx: Ctx = ctx === 'nodeList' ? 'node' : ctx === 'edgeList' ? 'edge' : 'other';
    return `[\n${value.map((x) => inner + write(x, itemCtx, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = orderedKeys(value as object, ctx);
  if (keys.length === 0) return '{}';
  const entries = keys.map((k) => [k, (value as Record<string, unknown>)[k]] as const);
  if (ctx === 'endpoint') return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${write(v, 'other', inner)}`).join(', ')} }`;
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${write(v, childCtx(ctx, k), inner)}`).join(',\n')}\n${indent}}`;
}

/** Writes a graph file: stable key order, short lists on one line, a final newline. */
export function saveGraph(doc: GraphDoc): string {
  return `${write(doc, 'doc', '')}\n`;
}
