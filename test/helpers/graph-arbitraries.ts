/**
 * fast-check generators of graph documents: valid ones built from a catalog's declarations
 * (random kinds, in-range params, type-correct acyclic edges) and hostile mutations of them.
 */
import fc from 'fast-check';
import { canConnect, isReservedName, type Catalog, type GraphDoc, type Json, type KindSpec, type ParamSpec } from '../../src/graph';

type Obj = { [key: string]: Json };

/** Keys sanitize drops (names every object already has: see src/graph/names.ts). */
const forbiddenKeys = { has: isReservedName };

/** Plain JSON as a file would hold it: no -0, no keys that sanitize drops. */
export function asFileJson(value: unknown): Json {
  if (typeof value === 'number') return Object.is(value, -0) ? 0 : value;
  if (Array.isArray(value)) return value.map(asFileJson);
  if (value && typeof value === 'object') {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) if (!forbiddenKeys.has(k)) out[k] = asFileJson(v);
    return out;
  }
  return value as Json;
}

/** Small JSON values for the fields a file may carry that latentflow does not know. */
export const extraJson = fc.jsonValue({ maxDepth: 2 }).map(asFileJson);

const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const idChars = `${letters}0123456789_:-`;
const word = (first: string, rest: string, maxLength: number) =>
  fc.tuple(fc.constantFrom(...first), fc.string({ unit: fc.constantFrom(...rest), maxLength })).map(([a, b]) => a + b);

/** A field name that is none of `known` and none of the forbidden keys. */
const extraKey = (known: readonly string[]) =>
  word('abcdefghijklmnopqrstuvwxyz', `${letters}0123456789_-`, 11).filter((k) => !known.includes(k) && !forbiddenKeys.has(k));

const extraFields = (known: readonly string[]) => fc.dictionary(extraKey(known), extraJson, { maxKeys: 2 });

const finiteDouble = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));

const listLength = (p: { minLength: number; maxLength: number }) => ({ minLength: p.minLength, maxLength: Math.max(p.minLength, Math.min(p.maxLength, 6)) });

/** A value inside the spec's range (lists kept short). */
export function paramValue(p: ParamSpec): fc.Arbitrary<Json> {
  const base: fc.Arbitrary<Json> = (() => {
    switch (p.type) {
      case 'number': return finiteDouble(p.min, p.max);
      case 'int': return fc.integer({ min: p.min, max: p.max });
      case 'int-list': return fc.array(fc.integer({ min: p.min, max: p.max }), listLength(p));
      case 'number-list': return fc.array(finiteDouble(p.min, p.max), listLength(p));
      case 'choice': return fc.constantFrom(...p.options);
      case 'choice-list': return fc.array(fc.constantFrom(...p.options), listLength(p));
      case 'bool': return fc.boolean();
      case 'string': return fc.string({ maxLength: Math.min(p.maxLength, 24) });
    }
  })();
  return p.optional ? fc.option(base, { nil: null }) : base;
}

/** Every param of a kind, in range, sometimes with an unknown extra one (kept with a warning). */
export function paramsFor(kind: KindSpec): fc.Arbitrary<Obj> {
  const known = Object.keys(kind.params);
  const record = fc.record(Object.fromEntries(Object.entries(kind.params).map(([n, p]) => [n, paramValue(p)])) as Record<string, fc.Arbitrary<Json>>);
  return fc.tuple(record, fc.option(extraFields(known), { nil: undefined }))
    .map(([params, extra]) => ({ ...(params as Obj), ...(extra ?? {}) }));
}

const nodeIdBody = word(`${letters}_`, idChars, 8);

const uiArb = fc.option(
  fc.record({
    position: fc.tuple(finiteDouble(-1e6, 1e6), finiteDouble(-1e6, 1e6)),
    collapsed: fc.boolean(),
    expanded: fc.boolean(),
  }, { requiredKeys: [] }).chain((ui) => extraFields(['position', 'collapsed', 'expanded']).map((x) => ({ ...x, ...ui }) as Obj)),
  { nil: undefined },
);

interface NodeDraft { kind: KindSpec; params: Obj; ui: Obj | undefined; idBody: string }

/** Type-correct edges from earlier nodes to later ones (so never a cycle), one per single input. */
function edgesFor(nodes: { id: string; kind: KindSpec }[], picks: number[], density: number): Obj[] {
  const edges: Obj[] = [];
  let r = 0;
  const next = () => picks[r++ % picks.length]!;
  nodes.forEach((to, j) => {
    for (const [input, sock] of Object.entries(to.kind.inputs)) {
      const sources = nodes.slice(0, j).flatMap((from) =>
        Object.entries(from.kind.outputs).filter(([, out]) => canConnect(out.type, sock.type)).map(([output]) => ({ node: from.id, socket: output })));
      if (sources.length === 0) continue;
      const count = sock.multi ? next() % 3 : next() % 100 < density ? 1 : 0;
      for (let c = 0; c < count; c++) {
        const from = sources[next() % sources.length]!;
        edges.push({ id: `e${edges.length + 1}`, from, to: { node: to.id, socket: input } });
      }
    }
  });
  return edges;
}

/** A schema-valid document of the catalog's kinds: it loads (perhaps with problems) to a non-null doc. */
export function validGraphDoc(catalog: Catalog, options: { maxNodes?: number } = {}): fc.Arbitrary<GraphDoc> {
  const kinds = catalog.all();
  const node: fc.Arbitrary<NodeDraft> = fc.constantFrom(...kinds).chain((kind) =>
    fc.record({ kind: fc.constant(kind), params: paramsFor(kind), ui: uiArb, idBody: nodeIdBody }));
  const meta = fc.record({
    title: fc.string({ maxLength: 60 }),
    description: fc.string({ maxLength: 200 }),
    created: fc.constant('2026-11-29T00:00:00Z'),
  }, { requiredKeys: [] }).chain((m) => extraFields(['title', 'description', 'created', 'modified']).map((x) => ({ ...x, ...m }) as Obj));
  return fc.record({
    drafts: fc.array(node, { minLength: 1, maxLength: options.maxNodes ?? 8 }),
    meta,
    picks: fc.array(fc.nat(), { minLength: 16, maxLength: 16 }),
    density: fc.integer({ min: 0, max: 100 }),
    extra: extraFields(['format', 'version', 'meta', 'nodes', 'edges']),
  }).map(({ drafts, meta: m, picks, density, extra }) => {
    const nodes = drafts.map((d, i) => {
      const n: Obj = { id: `${d.idBody}${i}`, kind: d.kind.kind, kindVersion: d.kind.version, params: d.params };
      if (d.ui) n.ui = d.ui;
      return n;
    });
    const edges = edgesFor(nodes.map((n, i) => ({ id: n.id as string, kind: drafts[i]!.kind })), picks, density);
    return { ...extra, format: 'latentflow/graph', version: 1, meta: m, nodes, edges } as unknown as GraphDoc;
  });
}

/** Values no param of any type accepts, and that survive JSON text. */
export const badParamValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>({}, [[]], 1e308, -1e308, { value: 1 }, [{}]),
  fc.dictionary(fc.string({ maxLength: 4 }), extraJson, { minKeys: 1, maxKeys: 3 }).map(asFileJson),
);

/** The member names of Object.prototype here (the engine's own list): ids a file must not keep. */
export const prototypeNames = Object.getOwnPropertyNames(Object.prototype);

/** Characters a terminal or a line obeys: C0 (ESC, CR, LF, BEL, NUL, TAB), DEL, C1 (NEL, CSI), bidi controls, separators. */
export const controlChar = fc.constantFrom('\x1b', '\x1b[2J', '\r', '\n', '\x07', '\t', '\x00', '\x7f', '\x85', '\x9b', '\u202e', '\u202d', '\u2066', '\u200f', '\u061c', '\u2028', '\u2029');

/** Text with control characters mixed in (never empty). */
export const hostileText = fc.array(fc.oneof(fc.string({ maxLength: 4 }), controlChar), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(''))
  .filter((s) => /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(s));

/** Values a JSON file cannot hold at all; only object input can bring them. */
export const nonJsonValue = fc.constantFrom<unknown>(NaN, Infinity, -Infinity, () => 1, Symbol('s'), 10n, new Date(0), new Map(), /re/);

/** A value nested `depth` arrays deep. */
export const deeplyNested = (depth: number): Json => {
  let v: Json = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};
