// Generated documents: hostile input never makes loadGraph throw or reach Object.prototype, and always
// yields a Problem with a path; valid documents round-trip through the file format exactly.
import { expect } from '@esm-bundle/chai';
import fc from 'fast-check';
import { checkParam, formatProblem, isReservedName, loadGraph, printable, saveGraph, type GraphDoc, type Json, type LoadResult } from '../../src/graph';
import { registry } from '../../nodes';
import { compile } from '../../src/runtime/compile';
import {
  asFileJson, badParamValue, controlChar, deeplyNested, extraJson, hostileText, nonJsonValue, prototypeNames, validGraphDoc,
} from '../helpers/graph-arbitraries';

type Obj = { [key: string]: Json };

const severities = ['error', 'warning', 'info'];
const prototypes = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype];
const snapshot = () => prototypes.map((p) => Object.getOwnPropertyNames(p).sort().join(','));
const baseline = snapshot();

/** loadGraph must not throw, and must explain itself with at least one well-formed Problem. */
function loadHostile(input: unknown): LoadResult {
  let r: LoadResult | undefined;
  expect(() => { r = loadGraph(input, registry); }).not.to.throw();
  expect(r!.problems.length, 'at least one problem').to.be.above(0);
  for (const p of r!.problems) {
    expect(p.path).to.be.a('string');
    expect(p.message).to.be.a('string').and.not.equal('');
    expect(severities).to.include(p.severity);
  }
  expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted').to.equal(undefined);
  expect(snapshot(), 'a prototype gained a property').to.deep.equal(baseline);
  return r!;
}

/** Sets an own property even for `__proto__`, as JSON.parse does. */
function defineOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const clone = (doc: GraphDoc): Obj => JSON.parse(JSON.stringify(doc)) as Obj;
const pick = <T>(list: readonly T[], n: number): T => list[n % list.length]!;

/** One change that makes a valid document wrong in a way the loader must report. */
type Mutation =
  | { op: 'top'; key: 'format' | 'version' | 'nodes' | 'edges' | 'meta'; value: Json | 'delete' }
  | { op: 'node'; at: number; key: 'id' | 'kind' | 'kindVersion' | 'params'; value: Json | 'delete' }
  | { op: 'param'; at: number; which: number; value: Json }
  | { op: 'edge'; at: number; change: 'dangling' | 'socket' | 'string' | 'delete-from' | 'delete-id' }
  | { op: 'proto'; at: number; key: '__proto__' | 'constructor' | 'prototype'; value: Json }
  | { op: 'deep'; depth: number }
  | { op: 'long'; length: number; where: 'title' | 'param' | 'extra' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('top' as const), key: fc.constant('format' as const),
    value: fc.oneof(fc.constant<Json | 'delete'>('delete'), fc.constantFrom<Json>('comfyui/workflow', '', null, 1, ['latentflow/graph'])) }),
  fc.record({ op: fc.constant('top' as const), key: fc.constant('version' as const),
    value: fc.oneof(fc.constant<Json | 'delete'>('delete'), fc.constantFrom<Json>(-1, 2, 99, 1.5, '1', null, [], 1e308)) }),
  fc.record({ op: fc.constant('top' as const), key: fc.constantFrom('nodes' as const, 'edges' as const),
    value: fc.constantFrom<Json | 'delete'>('delete', {}, 'nodes', 7, null, [1], [null]) })
    .filter((m) => !(m.key === 'edges' && m.value === 'delete')), // edges may be absent: that is valid
  fc.record({ op: fc.constant('top' as const), key: fc.constant('meta' as const), value: fc.constantFrom<Json | 'delete'>('meta', 3, { title: 5 }) }),
  fc.record({ op: fc.constant('node' as const), at: fc.nat(), key: fc.constant('id' as const),
    value: fc.constantFrom<Json | 'delete'>('delete', '', 'has space', '.dot', 'é', 'x'.repeat(65), 12, null) }),
  fc.record({ op: fc.constant('node' as const), at: fc.nat(), key: fc.constant('kind' as const),
    value: fc.constantFrom<Json | 'delete'>('delete', 'nope.unknown', 'Encoder', 'encoder', '', 3) }),
  fc.record({ op: fc.constant('node' as const), at: fc.nat(), key: fc.constant('kindVersion' as const),
    value: fc.constantFrom<Json | 'delete'>('delete', 999, -1, 1.5, '1', 1001, null) }),
  fc.record({ op: fc.constant('node' as const), at: fc.nat(), key: fc.constant('params' as const), value: fc.constantFrom<Json | 'delete'>('text', 5, true, null) }),
  fc.record({ op: fc.constant('param' as const), at: fc.nat(), which: fc.nat(), value: badParamValue }),
  fc.record({ op: fc.constant('edge' as const), at: fc.nat(), change: fc.constantFrom('dangling' as const, 'socket' as const, 'string' as const, 'delete-from' as const, 'delete-id' as const) }),
  fc.record({ op: fc.constant('proto' as const), at: fc.nat(), key: fc.constantFrom('__proto__' as const, 'constructor' as const, 'prototype' as const),
    value: fc.oneof(fc.constant<Json>({ polluted: true }), extraJson) }),
  fc.record({ op: fc.constant('deep' as const), depth: fc.integer({ min: 33, max: 200 }) }),
  fc.record({ op: fc.constant('long' as const), length: fc.integer({ min: 20_001, max: 30_000 }), where: fc.constantFrom('title' as const, 'param' as const, 'extra' as const) }),
);

function applyMutation(doc: Obj, m: Mutation): void {
  const nodes = doc.nodes as Obj[];
  const edges = doc.edges as Obj[];
  const set = (o: Obj, key: string, value: Json | 'delete') => { if (value === 'delete') delete o[key]; else o[key] = value; };
  switch (m.op) {
    case 'top': return set(doc, m.key, m.value);
    case 'node': return set(pick(nodes, m.at), m.key, m.value);
    case 'param': {
      const params = pick(nodes, m.at).params as Obj;
      const names = Object.keys(params);
      // A kind without params gets an unknown one (a warning); otherwise a known one gets a bad value.
      params[names.length ? pick(names, m.which) : 'surprise'] = m.value;
      return;
    }
    case 'edge': {
      if (edges.length === 0) {
        edges.push({ id: 'extra', from: { node: 'ghost', socket: 'x' }, to: { node: nodes[0]!.id as string, socket: 'x' } });
        return;
      }
      const e = pick(edges, m.at);
      if (m.change === 'dangling') (e.to as Obj).node = 'ghost-node';
      else if (m.change === 'socket') (e.from as Obj).socket = 'noSuchSocket';
      else if (m.change === 'string') e.to = `${(e.to as Obj).node}.${(e.to as Obj).socket}`;
      else delete e[m.change === 'delete-from' ? 'from' : 'id'];
      return;
    }
    case 'proto': {
      const targets: Obj[] = [doc, doc.meta as Obj, ...nodes, ...nodes.map((n) => n.params as Obj), ...edges];
      return defineOwn(pick(targets, m.at), m.key, m.value);
    }
    case 'deep': { (doc.meta as Obj).nested = deeplyNested(m.depth); return; }
    case 'long': {
      const text = 'x'.repeat(m.length);
      if (m.where === 'title') (doc.meta as Obj).title = text;
      else if (m.where === 'param') (nodes[0]!.params as Obj).label = text;
      else doc.notes = text;
      return;
    }
  }
}

const validDoc = validGraphDoc(registry);
const quick = { numRuns: 100 };

describe('loadGraph on hostile input (property tests)', () => {
  it('survives 300 mutated valid documents, given as objects and as text', () => {
    fc.assert(fc.property(validDoc, mutation, fc.boolean(), (doc, m, asText) => {
      const bad = clone(doc);
      applyMutation(bad, m);
      loadHostile(asText ? JSON.stringify(bad) : bad);
    }), { numRuns: 300 });
  });

  it('refuses values JSON cannot hold when they come in an object', () => {
    fc.assert(fc.property(validDoc, nonJsonValue, fc.nat(), (doc, value, at) => {
      const bad = clone(doc) as Record<string, unknown>;
      const params = pick(bad.nodes as Obj[], at).params as Record<string, unknown>;
      params[pick(Object.keys(params).concat('extra'), at)] = value;
      const r = loadHostile(bad);
      expect(r.doc).to.equal(null);
    }), quick);
  });

  it('survives any JavaScript value at all', () => {
    fc.assert(fc.property(
      fc.anything({ maxDepth: 3, maxKeys: 5, withBoxedValues: true, withMap: true, withSet: true, withObjectString: true, withNullPrototype: true,
        withBigInt: true, withDate: true, withTypedArray: true, withSparseArray: true }),
      (value) => { loadHostile(value); }), quick);
  });

  it('survives any text, and any truncation of a valid file', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => { loadHostile(text); }), { numRuns: 50 });
    fc.assert(fc.property(validDoc, fc.nat(), (doc, cut) => {
      const text = saveGraph(doc);
      loadHostile(text.slice(0, cut % (text.length - 1)));
    }), { numRuns: 50 });
  });

  it('survives objects whose getters or proxies throw', () => {
    const getter = { format: 'latentflow/graph', version: 1, nodes: [] } as Record<string, unknown>;
    Object.defineProperty(getter, 'edges', { enumerable: true, get() { throw new Error('boom'); } });
    loadHostile(getter);
    const trap = () => { throw new Error('trap'); };
    loadHostile(new Proxy({}, { ownKeys: trap, getPrototypeOf: trap, get: trap }));
    const cyclic: Record<string, unknown> = { format: 'latentflow/graph', version: 1, nodes: [] };
    cyclic.meta = { self: cyclic };
    loadHostile(cyclic);
  });
});

describe('valid documents (property tests)', () => {
  it('round-trip exactly through the file format (200 generated graphs)', () => {
    fc.assert(fc.property(validDoc, (doc) => {
      const text = saveGraph(doc);
      const r = loadGraph(text, registry);
      expect(r.doc, r.problems.map((p) => `${p.path}: ${p.message}`).join('\n')).not.to.equal(null);
      expect(r.doc).to.deep.equal(asFileJson(doc));
      expect(saveGraph(r.doc!)).to.equal(text);
      for (const node of r.doc!.nodes) {
        for (const [name, spec] of Object.entries(registry.get(node.kind)!.params)) {
          expect(checkParam(spec, node.params[name]), `${node.kind} params.${name}`).to.deep.equal([]);
        }
      }
    }), { numRuns: 200 });
  });

  it('load the same from an object as from its text, without changing the object', () => {
    fc.assert(fc.property(validDoc, (doc) => {
      const input = clone(doc);
      const before = JSON.stringify(input);
      const fromObject = loadGraph(input, registry);
      expect(JSON.stringify(input)).to.equal(before);
      const fromText = loadGraph(before, registry);
      expect(fromObject.doc).to.deep.equal(fromText.doc);
      expect(fromObject.problems).to.deep.equal(fromText.problems);
    }), quick);
  });
});

/** What a terminal or a line would obey (as printable() escapes it). */
// What a terminal obeys or hides: controls, format characters (bidi marks, zero-width, tags), line and paragraph separators, lone surrogates.
const unprintable = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

describe('ids named after Object.prototype members (property tests)', () => {
  it('are renamed with a warning, consistently in every edge, and the result is stable (200 generated graphs)', () => {
    fc.assert(fc.property(validDoc, fc.shuffledSubarray(prototypeNames, { minLength: 1 }), fc.shuffledSubarray(prototypeNames), fc.boolean(),
      (doc, nodeNames, edgeNames, asText) => {
        const bad = clone(doc);
        const nodes = bad.nodes as Obj[];
        const edges = bad.edges as Obj[];
        const renamed = new Map<string, string>();
        nodeNames.slice(0, nodes.length).forEach((name, i) => renamed.set(nodes[i]!.id as string, name));
        for (const n of nodes) n.id = renamed.get(n.id as string) ?? n.id;
        for (const e of edges) for (const end of [e.from, e.to] as Obj[]) end.node = renamed.get(end.node as string) ?? end.node;
        edgeNames.slice(0, edges.length).forEach((name, i) => { edges[i]!.id = name; });
        const r = loadHostile(asText ? JSON.stringify(bad) : bad);
        expect(r.doc, r.problems.map((p) => p.message).join('\n')).not.to.equal(null);
        const warnings = r.problems.filter((p) => p.message.includes('is a name every JavaScript object already has; renamed to'));
        expect(warnings.length).to.equal(Math.min(nodeNames.length, nodes.length) + Math.min(edgeNames.length, edges.length));
        for (const n of r.doc!.nodes) expect(isReservedName(n.id), n.id).to.equal(false);
        for (const e of r.doc!.edges) for (const id of [e.id, e.from.node, e.to.node]) expect(isReservedName(id), id).to.equal(false);
        // The same wiring as the original: node i's edges still go to node i, under its new name.
        const position = (d: { nodes: { id: string }[] }, id: string) => d.nodes.findIndex((n) => n.id === id);
        (doc.edges).forEach((e, k) => {
          expect(position(r.doc!, r.doc!.edges[k]!.from.node)).to.equal(position(doc, e.from.node));
          expect(position(r.doc!, r.doc!.edges[k]!.to.node)).to.equal(position(doc, e.to.node));
        });
        expect(() => compile(r.doc!, registry)).not.to.throw();
        const again = loadGraph(saveGraph(r.doc!), registry);
        expect(again.problems.filter((p) => p.message.includes('renamed to'))).to.deep.equal([]);
        expect(saveGraph(again.doc!)).to.equal(saveGraph(r.doc!));
      }), { numRuns: 200 });
  });

  it('as keys of any object in a file (params, meta, ui, the document) are dropped with a warning, never reaching a prototype', () => {
    fc.assert(fc.property(validDoc, fc.constantFrom(...prototypeNames), fc.nat(), extraJson, (doc, key, at, value) => {
      const bad = clone(doc);
      const nodes = bad.nodes as Obj[];
      const targets: Obj[] = [bad, bad.meta as Obj, ...nodes, ...nodes.map((n) => n.params as Obj), ...(bad.edges as Obj[])];
      defineOwn(pick(targets, at), key, value);
      const r = loadHostile(JSON.stringify(bad));
      expect(r.problems.some((p) => p.message === `the field "${key}" is not allowed and was dropped`)).to.equal(true);
    }), quick);
  });
});

describe('control characters in every string (property tests)', () => {
  type Where = 'title' | 'description' | 'param key' | 'param value' | 'kind' | 'node id' | 'edge id' | 'socket' | 'extra key' | 'extra value' | 'format' | 'version';
  const where = fc.constantFrom<Where>('title', 'description', 'param key', 'param value', 'kind', 'node id', 'edge id', 'socket', 'extra key', 'extra value', 'format', 'version');

  it('never reach a formatted problem raw, and never make loading throw (300 generated graphs)', () => {
    fc.assert(fc.property(validDoc, fc.array(fc.tuple(where, hostileText, fc.nat()), { minLength: 1, maxLength: 4 }), fc.boolean(), (doc, changes, asText) => {
      const bad = clone(doc);
      const nodes = bad.nodes as Obj[];
      const edges = bad.edges as Obj[];
      for (const [w, text, at] of changes) {
        const node = pick(nodes, at);
        const params = node.params as Obj;
        const edge = edges.length ? pick(edges, at) : undefined;
        switch (w) {
          case 'title': (bad.meta as Obj).title = text; break;
          case 'description': (bad.meta as Obj).description = text; break;
          case 'param key': params[`p${text}`] = 1; break;
          case 'param value': { const names = Object.keys(params); params[names.length ? pick(names, at) : 'x'] = text; break; }
          case 'kind': node.kind = `${String(node.kind)}${text}`; break;
          case 'node id': node.id = `${String(node.id)}${text}`; break;
          case 'edge id': if (edge) edge.id = text; break;
          case 'socket': if (edge) (edge.to as Obj).socket = text; break;
          case 'extra key': bad[`x${text}`] = 1; break;
          case 'extra value': bad.notes = text; break;
          case 'format': bad.format = text; break;
          case 'version': bad.version = text; break;
        }
      }
      const r = asText ? loadGraph(JSON.stringify(bad), registry) : loadGraph(bad, registry);
      for (const p of r.problems) {
        const line = formatProblem(p);
        expect(unprintable.test(line), JSON.stringify(line)).to.equal(false);
      }
      expect(snapshot(), 'a prototype gained a property').to.deep.equal(baseline);
    }), { numRuns: 300 });
  });

  it('printable() leaves nothing unprintable and keeps JSON text the same JSON', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), controlChar), { maxLength: 8 }).map((p) => p.join('')), (s) => {
      expect(unprintable.test(printable(s))).to.equal(false);
      expect(JSON.parse(printable(JSON.stringify({ [s]: s })))).to.deep.equal({ [s]: s });
      expect(printable(s.replace(new RegExp(unprintable, 'gu'), ''))).to.equal(s.replace(new RegExp(unprintable, 'gu'), ''));
    }), { numRuns: 300 });
  });
});
