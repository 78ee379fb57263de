// The structure hash lives in the graph layer (the UI and the store use it without the runtime); the
// runtime's compile gives the same value, and the values stay those weights were saved under before.
import { expect } from '@esm-bundle/chai';
import { loadGraph, structureHash } from '../../src/graph';
import { compile } from '../../src/runtime/compile';
import { registry } from '../../nodes';
import { presetFiles } from '../helpers/presets';
import { readRepoFile } from '../helpers/read-fixture';

// Saved weights are found by these: a change here orphans every user's trained weights.
const pinned: Record<string, string> = { 'font-ae.json': '60dd824f733f2ed5', 'mnist-vae.json': '239dc91df25a507e' };

describe('structure hash (graph layer)', () => {
  for (const file of presetFiles) {
    it(`${file}: equals compile(doc).plan.structureHash`, async () => {
      const doc = loadGraph(await readRepoFile(`graphs/${file}`), registry).doc!;
      const compiled = compile(doc, registry);
      if (!compiled.ok) throw new Error(`${file} does not compile`);
      expect(structureHash(doc, registry)).to.equal(compiled.plan.structureHash);
      if (pinned[file]) expect(compiled.plan.structureHash).to.equal(pinned[file]);
    });
  }

  it('is null for a graph with errors, and ignores notes and non-structural params', async () => {
    const doc = loadGraph(await readRepoFile('graphs/font-ae.json'), registry).doc!;
    const base = structureHash(doc, registry);
    const trainer = doc.nodes.find((n) => n.kind === 'train.optimizer')!;
    const withLr = { ...doc, nodes: doc.nodes.map((n) => (n === trainer ? { ...n, params: { ...n.params, lr: 0.123 } } : n)) };
    expect(structureHash(withLr, registry)).to.equal(base);
    const noted = { ...doc, nodes: [...doc.nodes, { id: 'n9', kind: 'note.comment', params: { text: 'hello' } }] };
    expect(structureHash(noted as typeof doc, registry)).to.equal(base);
    const broken = { ...doc, edges: [...doc.edges, { ...doc.edges[0]!, id: 'dup' }] };
    expect(structureHash(broken, registry)).to.equal(null);
  });
});
