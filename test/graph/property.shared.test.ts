// Generated documents: hostile input never makes loadGraph throw or reach Object.prototype, and always
// yields a Problem with a path; valid documents round-trip through the file format exactly.
import { expect } from '@esm-bundle/chai';
import fc from 'fast-check';
import { checkParam, loadGraph, saveGraph, type GraphDoc, type Json, type LoadResult } from '../../src/graph';
import { registry } from '../../nodes';
import {
  asFileJson, badParamValue, deeplyNested, extraJson, nonJsonValue, validGraphDoc,
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
