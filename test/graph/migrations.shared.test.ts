// Old files keep loading forever: the v0 draft format and old node kindVersions migrate on load,
// and every migration is a pure function.
import { expect } from '@esm-bundle/chai';
import { documentMigrations, formatProblem, loadGraph, migrateV0toV1, saveGraph, type Json } from '../../src/graph';
import { registry } from '../../nodes';
import { migrateOptimizerV1toV2 } from '../../nodes/train-optimizer';
import { readFixture } from '../helpers/read-fixture';

type Obj = { [key: string]: Json };

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const errorsOf = (r: ReturnType<typeof loadGraph>) => r.problems.filter((p) => p.severity === 'error').map(formatProblem);

describe('graph format version 0 (the draft format)', () => {
  // font-ae-draft.expected.json is the font AE preset as it was when the draft was written (the preset
  // has grown since): the draft must keep loading as exactly that document, forever.
  it("font-ae-draft.json loads as the font AE of its time (everything but the creation date)", async () => {
    const r = loadGraph(await readFixture('v0/font-ae-draft.json'), registry);
    expect(r.problems.map(formatProblem)).to.deep.equal([]);
    const preset = loadGraph(await readFixture('v0/font-ae-draft.expected.json'), registry).doc!;
    delete preset.meta.created;
    expect(r.doc).to.deep.equal(preset);
    expect(saveGraph(r.doc!)).to.equal(saveGraph(preset));
  });

  it('moves title and description into meta, type into kind, position into ui', async () => {
    const doc = loadGraph(await readFixture('v0/font-ae-draft.json'), registry).doc!;
    expect(doc.version).to.equal(1);
    expect(doc.meta.title).to.equal('AE — 7x5 font');
    expect(doc).not.to.have.any.keys('title', 'description', 'links');
    expect(doc.nodes[1]).to.deep.include({ id: 'enc', kind: 'encoder.dense', kindVersion: 1, ui: { position: [260, 120] } });
    expect(doc.nodes[1]).not.to.have.any.keys('type', 'position');
  });

  it('turns "node.socket" links into named edges e1, e2, …', async () => {
    const doc = loadGraph(await readFixture('v0/font-ae-draft.json'), registry).doc!;
    expect(doc.edges).to.have.length(13);
    expect(doc.edges[0]).to.deep.equal({ id: 'e1', from: { node: 'data', socket: 'x' }, to: { node: 'enc', socket: 'x' } });
    expect(doc.edges[10]).to.deep.equal({ id: 'e11', from: { node: 'dec', socket: 'model' }, to: { node: 'scatter', socket: 'decoder' } });
  });

  it('carries the draft trainer learning rate over as lr (train.optimizer v1 → v2)', async () => {
    const text = await readFixture('v0/font-ae-draft.json');
    const raw = JSON.parse(text) as Obj;
    ((raw.nodes as Obj[])[5]!.params as Obj).learningRate = 0.0123;
    const train = loadGraph(raw, registry).doc!.nodes.find((n) => n.id === 'train')!;
    expect(train.kindVersion).to.equal(2);
    expect(train.params.lr).to.equal(0.0123);
    expect(train.params).not.to.have.property('learningRate');
  });

  it('migrateV0toV1 is pure: the input is unchanged and two runs agree', async () => {
    const input = JSON.parse(await readFixture('v0/font-ae-draft.json')) as Obj;
    const before = clone(input);
    const once = migrateV0toV1(input);
    expect(input).to.deep.equal(before);
    expect(migrateV0toV1(input)).to.deep.equal(once);
    expect(documentMigrations[0]).to.equal(migrateV0toV1);
  });

  it('loadGraph does not change the object it is given', async () => {
    const input = JSON.parse(await readFixture('v0/font-ae-draft.json')) as Obj;
    const before = clone(input);
    loadGraph(input, registry);
    expect(input).to.deep.equal(before);
  });

  it('keeps link ids the draft had, and fields it does not know', () => {
    const doc = loadGraph({
      format: 'latentflow/graph', version: 0, title: 'tiny', author: 'ada',
      nodes: [{ id: 'data', type: 'dataset.font-7x5', position: [1, 2], params: { limit: 4 } },
        { id: 'curve', type: 'view.loss-curve' }],
      links: [{ id: 'mine', from: 'data.x', to: 'curve.metrics' }],
    }, registry).doc!;
    expect(doc.edges[0]!.id).to.equal('mine');
    expect((doc as Record<string, unknown>).author).to.equal('ada');
    expect(doc.meta.title).to.equal('tiny');
  });
});

describe('node kindVersion migrations', () => {
  it('trainer-kind-v1.json: a train.optimizer at kindVersion 1 loads with learningRate as lr', async () => {
    const r = loadGraph(await readFixture('v0/trainer-kind-v1.json'), registry);
    expect(errorsOf(r)).to.deep.equal([]);
    expect(r.problems).to.deep.equal([]);
    const train = r.doc!.nodes[5]!;
    expect(train.kindVersion).to.equal(2);
    expect(train.params).to.deep.include({ optimizer: 'momentum', lr: 0.02, momentum: 0.9, epochs: 500 });
    expect(train.params).not.to.have.property('learningRate');
    // Saved again, it is a current file: loading that changes nothing.
    const text = saveGraph(r.doc!);
    expect(text).to.include('"kindVersion": 2').and.not.include('learningRate');
    expect(saveGraph(loadGraph(text, registry).doc!)).to.equal(text);
  });

  it('a v1 trainer that somehow has both names keeps lr', () => {
    expect(migrateOptimizerV1toV2({ learningRate: 1, lr: 0.5 })).to.deep.equal({ lr: 0.5 });
    expect(migrateOptimizerV1toV2({ epochs: 3 })).to.deep.equal({ epochs: 3 });
  });

  it('migrateOptimizerV1toV2 is pure', () => {
    const input = Object.freeze({ learningRate: 0.1, epochs: 10 });
    const once = migrateOptimizerV1toV2(input);
    expect(input).to.deep.equal({ learningRate: 0.1, epochs: 10 });
    expect(migrateOptimizerV1toV2(input)).to.deep.equal(once);
    expect(once).to.deep.equal({ lr: 0.1, epochs: 10 });
  });
});
