import * as v from 'valibot';
import { limits } from './limits';
import { isReservedName, reservedNameMessage } from './names';

/** Node and edge ids: short, readable, safe to show and to use as keys (never `constructor`, `__proto__`…: see names.ts). */
export const idSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,63}$/, 'must be 1 to 64 letters, digits or _ . : - (not starting with . : -)'),
  v.check((id) => !isReservedName(id), reservedNameMessage),
);
/** Kind ids are `family.variant`, lowercase, and never change once shipped. */
export const kindIdSchema = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/, 'must look like family.variant (lowercase)'));

const finite = v.pipe(v.number(), v.finite());
/** valibot's record and looseObject accept arrays; a graph file's objects must be objects. */
const plainObject = v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), 'must be an object');

export const endpointSchema = v.object({ node: idSchema, socket: idSchema });

export const nodeUiSchema = v.pipe(plainObject, v.looseObject({
  position: v.optional(v.tuple([finite, finite])),
  collapsed: v.optional(v.boolean()),
  /** A view node drawn with its live view open on the canvas. */
  expanded: v.optional(v.boolean()),
}));

export const nodeSchema = v.pipe(plainObject, v.looseObject({
  id: idSchema,
  kind: kindIdSchema,
  kindVersion: v.pipe(v.number(), v.integer('must be a whole number'), v.check((n) => !Object.is(n, -0), 'must be a whole number (not -0)'), v.minValue(0, 'must be 0 or more'), v.maxValue(1000, 'must be at most 1000')),
  params: v.optional(v.pipe(plainObject, v.record(v.string(), v.unknown())), {}),
  ui: v.optional(nodeUiSchema),
}));

export const edgeSchema = v.pipe(plainObject, v.looseObject({
  id: idSchema,
  from: endpointSchema,
  to: endpointSchema,
}));

export const metaSchema = v.pipe(plainObject, v.looseObject({
  title: v.optional(v.pipe(v.string(), v.maxLength(200, 'must be at most 200 characters'))),
  description: v.optional(v.pipe(v.string(), v.maxLength(10_000, 'must be at most 10000 characters'))),
  created: v.optional(v.string()),
  modified: v.optional(v.string()),
}));

export const graphFormat = 'latentflow/graph';
/** The document version this code writes; older ones are migrated, newer ones refused. */
export const currentVersion = 1;

export const graphDocSchema = v.looseObject({
  format: v.literal(graphFormat),
  version: v.literal(currentVersion),
  meta: v.optional(metaSchema, {}),
  nodes: v.pipe(v.array(nodeSchema), v.maxLength(limits.nodes, `must have at most ${limits.nodes} nodes`)),
  edges: v.optional(v.pipe(v.array(edgeSchema), v.maxLength(limits.edges, `must have at most ${limits.edges} edges`)), []),
});

export type GraphDoc = v.InferOutput<typeof graphDocSchema>;
export type GraphNode = v.InferOutput<typeof nodeSchema>;
export type GraphEdge = v.InferOutput<typeof edgeSchema>;
export type Endpoint = v.InferOutput<typeof endpointSchema>;
export type GraphMeta = v.InferOutput<typeof metaSchema>;

/** Turns a valibot issue path into `nodes[2].params.units[1]`. */
export function issuePath(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = item.key as unknown;
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
