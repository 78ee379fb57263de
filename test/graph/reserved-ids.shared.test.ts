// Ids named after Object.prototype members (`__proto__`, `constructor`, `toString`, `hasOwnProperty`…)
// never reach a built-in: the format renames them in files (with a warning) and refuses them in the
// schema, and every map keyed by a node, param or tensor name stays safe even when code hands the
// runtime such an id directly. Path: validate → train → weights → bundle → reopen.
import * as tf from '@tensorflow/tfjs';
import { expect } from '@esm-bundle/chai';
import { strToU8, zipSync } from 'fflate';
import * as v from 'valibot';
import { graphDocSchema, loadGraph, saveGraph, structureHash, type GraphDoc, type Json } from '../../src/graph';
import { registry } from '../../nodes';
import { compile, createRun, type NamedWeights } from '../../src/runtime';
import { historyStore } from '../../src/runtime/history';
import { metricScalars, summarizeSeeds } from '../../src/runtime/seeds';
import { importBundle, readBundle, writeBundle } from '../../src/store/bundle';
import { openLibrary } from '../../src/store/db';
import { loadWeights, saveWeights } from '../../src/store/weights';
import { testIO } from '../runtime/test-io';

/** Every member name of Object.prototype here (the engine's own list, not a copy of it). */
const names = Object.getOwnPropertyNames(Object.prototype);
const prototypes = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype, Object.prototype.hasOwnProperty, Object.prototype.toString];
const snapshot = () => prototypes.map((p) => Object.getOwnPropertyNames(p).sort().join(','));
const baseline = snapshot();
const untouched = () => {
  expect(snapshot(), 'a built-in gained or lost a property').to.deep.equal(baseline);
  expect(typeof Object.prototype.hasOwnProperty.call).to.equal('function');
  expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
};

/** A tiny font AE as a file would hold it, with the encoder, loss, metric and every edge named `ids`. */
function tinyFile(ids: { enc: string; loss: string; metric: string; edge: (i: number) => string }): Record<string, Json> {
  const e = (i: number, from: [string, string], to: [string, string]) => ({ id: ids.edge(i), from: { node: from[0], socket: from[1] }, to: { node: to[0], socket: to[1] } });
  return {
    format: 'latentflow/graph', version: 1,
    nodes: [
      { id: 'data', kind: 'dataset.font-7x5', kindVersion: 1, params: { limit: 8 } },
      { id: ids.enc, kind: 'encoder.dense', kindVersion: 1, params: { units: [4] } },
      { id: 'code', kind: 'latent.deterministic', kindVersion: 1, params: { dim: 2 } },
      { id: 'dec', kind: 'decoder.dense', kindVersion: 1, params: { units: [4] } },
      { id: ids.loss, kind: 'loss.reconstruction', kindVersion: 1, params: { loss: 'bce' } },
      { id: 'train', kind: 'train.optimizer', kindVersion: 2, params: { epochs: 2, seed: 1 } },
      { id: ids.metric, kind: 'metric.pixel-error', kindVersion: 1, params: {} },
    ],
    edges: [
      e(0, ['data', 'x'], [ids.enc, 'x']), e(1, [ids.enc, 'h'], ['code', 'h']), e(2, ['code', 'z'], ['dec', 'z']),
      e(3, ['dec', 'x'], [ids.loss, 'x']), e(4, ['data', 'x'], [ids.loss, 'target']), e(5, [ids.loss, 'loss'], ['train', 'loss']),
      e(6, ['dec', 'x'], [ids.metric, 'x']), e(7, ['data', 'x'], [ids.metric, 'target']),
    ],
  };
}

const roles = (i: number) => ({
  enc: names[i]!, loss: names[(i + 1) % names.length]!, metric: names[(i + 2) % names.length]!,
  edge: (k: number) => names[(i + k) % names.length]!,
});

/** Trains a plan two steps on cpu; returns what a caller reads back. */
async function trainTwoSteps(doc: GraphDoc) {
  const c = compile(doc, registry);
  if (!c.ok) throw new Error(c.problems.map((p) => p.message).join('\n'));
  const before = tf.memory().numTensors;
  const run = createRun(c.plan, { io: await testIO(), backend: 'cpu' });
  await run.start();
  const status = await run.finished;
  const history = run.history();
  const weights = await run.getWeights();
  const metricId = c.plan.nodes.find((n) => n.kind.category === 'metric')!.id;
  const metric = await run.evaluate(metricId);
  await run.dispose();
  expect(tf.memory().numTensors, 'tensors leaked').to.equal(before);
  return { status, history, weights, metric, metricId, plan: c.plan };
}

describe('ids named after Object.prototype members', () => {
  afterEach(untouched);

  it('the schema refuses each as a node id and an edge id, with a message that says why', () => {
    for (const name of names) {
      const file = tinyFile({ enc: name, loss: 'recon', metric: 'errors', edge: (k) => (k === 0 ? name : `e${k}`) });
      const parsed = v.safeParse(graphDocSchema, JSON.parse(JSON.stringify(file)));
      expect(parsed.success, name).to.equal(false);
      const messages = parsed.issues!.map((i) => i.message).join('\n');
      expect(messages).to.include('must not be a name every JavaScript object already has');
    }
  });

  for (let i = 0; i < names.length; i++) {
    it(`a file naming nodes and edges "${roles(i).enc}", "${roles(i).loss}", "${roles(i).metric}": renamed with a warning, trained, weights and bundle round-trip`, async () => {
      const r = roles(i);
      // As text, so that "__proto__" is an own key of the parsed JSON, as in a real file.
      const text = JSON.stringify(tinyFile(r));
      const loaded = loadGraph(text, registry);
      expect(loaded.doc, loaded.problems.map((p) => p.message).join('\n')).not.to.equal(null);
      expect(loaded.problems.filter((p) => p.severity === 'error')).to.deep.equal([]);
      const warnings = loaded.problems.filter((p) => p.severity === 'warning').map((p) => p.message);
      const renamed = (id: string) => `${id}_1`;
      for (const id of [r.enc, r.loss, r.metric]) expect(warnings.join('\n')).to.include(`the id "${id}" is a name every JavaScript object already has; renamed to "${renamed(id)}"`);
      const doc = loaded.doc!;
      expect(doc.nodes.map((n) => n.id)).to.include.members([renamed(r.enc), renamed(r.loss), renamed(r.metric)]);
      for (const n of doc.nodes) expect(names, n.id).not.to.include(n.id);
      for (const e of doc.edges) {
        expect(names, e.id).not.to.include(e.id);
        expect(names).not.to.include(e.from.node);
        expect(names).not.to.include(e.to.node);
      }
      // The renamed file saves and reloads without any further change or warning.
      const again = loadGraph(saveGraph(doc), registry);
      expect(again.problems.filter((p) => p.severity !== 'info')).to.deep.equal([]);
      expect(saveGraph(again.doc!)).to.equal(saveGraph(doc));

      const { status, history, weights, metric } = await trainTwoSteps(doc);
      expect(status.state, status.reason).to.equal('done');
      expect(Object.keys(history.terms)).to.deep.equal([renamed(r.loss)]);
      expect(history.terms[renamed(r.loss)]!.length).to.equal(2);
      expect(Object.keys(weights)).to.include(renamed(r.enc));
      expect((metric as Record<string, Json>).kind).to.equal('pixel-errors');

      const bytes = writeBundle({ doc, weights, metrics: history });
      const bundle = await readBundle(bytes, registry);
      expect(bundle.ok, bundle.ok ? '' : bundle.problems.map((p) => p.message).join('\n')).to.equal(true);
      if (!bundle.ok) return;
      expect(Object.keys(bundle.weights).sort()).to.deep.equal(Object.keys(weights).sort());
      expect(Object.keys(bundle.weights[renamed(r.enc)]!)).to.deep.equal(Object.keys(weights[renamed(r.enc)]!));

      // Reopen: imported into a library, its weights and graph come back under the same names.
      const lib = await openLibrary({ name: `reserved-open-${i}-${Math.random().toString(36).slice(2)}`, indexedDB: null });
      const imported = await importBundle(lib, bytes, registry);
      expect(imported.ok).to.equal(true);
      if (!imported.ok) return;
      const reopened = loadGraph(imported.record.text, registry);
      expect(reopened.problems.filter((p) => p.severity !== 'info')).to.deep.equal([]);
      const stored = await loadWeights(lib, imported.record.id, structureHash(reopened.doc!, registry)!);
      expect(stored && Object.keys(stored).sort()).to.deep.equal(Object.keys(weights).sort());
    });
  }

  it('handed to the runtime directly (no loader), each still trains, reports its loss term, metric and weights under its own name', async () => {
    for (let i = 0; i < names.length; i += 3) {
      const r = roles(i);
      // Loaded with plain ids, then renamed in code (not read from a file): the runtime must be safe on its own.
      const plain = loadGraph(tinyFile({ enc: 'enc', loss: 'recon', metric: 'errors', edge: (k) => `e${k}` }), registry).doc!;
      const to = new Map([['enc', r.enc], ['recon', r.loss], ['errors', r.metric]]);
      const rename = (id: string) => to.get(id) ?? id;
      const doc: GraphDoc = { ...plain, nodes: plain.nodes.map((n) => ({ ...n, id: rename(n.id) })),
        edges: plain.edges.map((e, k) => ({ id: r.edge(k), from: { ...e.from, node: rename(e.from.node) }, to: { ...e.to, node: rename(e.to.node) } })) };
      const { status, history, weights, metric, metricId } = await trainTwoSteps(doc);
      expect(status.state, `${r.enc}: ${status.reason}`).to.equal('done');
      expect(Object.hasOwn(history.terms, r.loss), `loss term ${r.loss}`).to.equal(true);
      expect(history.terms[r.loss]!.length).to.equal(2);
      expect(Object.hasOwn(weights, r.enc), `weights of ${r.enc}`).to.equal(true);
      expect(Object.keys(weights[r.enc]!).length).to.be.above(0);
      expect(metricId).to.equal(r.metric);
      const scalars = metricScalars(JSON.parse(`{${JSON.stringify(metricId)}: ${JSON.stringify(metric)}}`) as Record<string, Json>);
      expect(Object.hasOwn(scalars, `${r.metric}.max`)).to.equal(true);
      untouched();
    }
  });

  it('history, metric scalars and seed summaries keep a term or metric named after each as their own entry', () => {
    for (const name of names) {
      const store = historyStore();
      const batch = JSON.parse(`{"steps":[0],"epochs":[0],"total":[1],"terms":{${JSON.stringify(name)}:[1]}}`);
      store.append(batch);
      store.append(batch);
      const h = store.get();
      expect(Object.hasOwn(h.terms, name), name).to.equal(true);
      expect(h.terms[name]).to.deep.equal([1, 1]);
      const scalars = metricScalars(JSON.parse(`{${JSON.stringify(name)}: {"kind": "x", "max": 3}}`) as Record<string, Json>);
      expect(scalars[`${name}.max`]).to.equal(3);
      const summary = summarizeSeeds([{ seed: 1, state: 'done', steps: 1, seconds: 1, loss: 1, testLoss: null, scalars: JSON.parse(`{${JSON.stringify(name)}: 2}`) }]);
      expect(Object.hasOwn(summary, name), name).to.equal(true);
      expect(summary[name]!.mean).to.equal(2);
    }
  });

  it('weights keyed by such names are kept by the library store, not dropped', async () => {
    const lib = await openLibrary({ name: `reserved-${Math.random().toString(36).slice(2)}`, indexedDB: null });
    for (const name of names) {
      const w = JSON.parse(`{${JSON.stringify(name)}: {"dense0/kernel": null}}`) as NamedWeights;
      w[name]!['dense0/kernel'] = { shape: [2], values: new Float32Array([1, 2]) };
      const saved = await saveWeights(lib, 'g', name, w);
      expect(saved.ok).to.equal(true);
      const back = await loadWeights(lib, 'g', name);
      expect(back && Object.hasOwn(back, name), name).to.equal(true);
      expect(Array.from(back![name]!['dense0/kernel']!.values)).to.deep.equal([1, 2]);
    }
  });

  /** A small bundle naming a node and a tensor after built-ins, as the probe built it by hand. */
  function handMadeBundle(node: string, tensor: string): Uint8Array {
    const graph = tinyFile({ enc: node, loss: 'recon', metric: 'errors', edge: (k) => `e${k}` });
    const manifest = { format: 'latentflow/weights', version: 1, tensors: [{ node, name: tensor, dtype: 'float32', shape: [1], offset: 0, length: 4 }] };
    return zipSync({
      'graph.json': strToU8(JSON.stringify(graph)),
      'weights.json': strToU8(JSON.stringify(manifest)),
      'weights.bin': new Uint8Array(4),
    });
  }

  it('a hand-made bundle with node "hasOwnProperty" and tensor "call" (or "toString"/"valueOf"…) is refused with a message, built-ins untouched', async () => {
    const lib = await openLibrary({ name: `reserved-b-${Math.random().toString(36).slice(2)}`, indexedDB: null });
    for (const [node, tensor] of [['hasOwnProperty', 'call'], ['toString', 'call'], ['__proto__', 'polluted'], ['constructor', 'prototype'], ['valueOf', 'x'], ['enc', '__proto__'], ['enc', 'toString']] as const) {
      const bytes = handMadeBundle(node, tensor);
      const r = await readBundle(bytes, registry);
      untouched();
      expect(r.ok, `${node}/${tensor}`).to.equal(false);
      if (r.ok) continue;
      expect(r.problems.map((p) => p.message).join('\n')).to.match(/is a name every JavaScript object already has|must not be a name every JavaScript object already has/);
      const imported = await importBundle(lib, bytes, registry);
      expect(imported.ok).to.equal(false);
      untouched();
    }
  });
});
