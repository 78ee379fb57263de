// The library database: the upgrade ladder from every older version keeps every record;
// another tab holding an old version is reported; no IndexedDB still gives a working library.
import { expect } from '@esm-bundle/chai';
import { currentDbVersion, openLibrary, upgradeSteps, upgradeToV1 } from '../../src/store/db';
import { StoreError } from '../../src/store/errors';
import { getGraphRecord, listGraphs, saveGraphDoc, searchGraphs, type GraphRecord } from '../../src/store/graphs';
import { latestCheckpoint, loadWeights } from '../../src/store/weights';
import type { GraphDoc } from '../../src/graph';
import { cleanUp, rawGetAll, rawOpen, rawPut, sameBits, trickyFloats, uniqueDbName } from './helpers';

const v1Graph = {
  id: 'g1',
  text: '{\n  "format": "latentflow/graph",\n  "version": 1,\n  "meta": {\n    "title": "Old AE",\n    "description": "Made before search existed"\n  },\n  "nodes": []\n}\n',
  title: 'Old AE',
  created: '2026-01-01T00:00:00.000Z',
  updated: '2026-01-02T00:00:00.000Z',
};
const kernel = trickyFloats(12, 7);

/** Fixture data for each older version: builds a database at exactly that version, filled. */
const fixtures: Record<number, (name: string) => Promise<void>> = {
  1: async (name) => {
    const db = await rawOpen(name, 1, (raw) => upgradeToV1(raw as never));
    await rawPut(db, 'graphs', [v1Graph]);
    await rawPut(db, 'weights', [{ graphId: 'g1', structureHash: 'h1', weights: { enc: { kernel: { shape: [3, 4], values: kernel } } }, saved: v1Graph.updated }]);
    await rawPut(db, 'checkpoints', [{ runId: 'r1', step: 40, epoch: 2, graphId: 'g1', structureHash: 'h1', weights: {}, history: { steps: [1], epochs: [0], total: [0.5], terms: {} }, saved: v1Graph.updated }]);
    await rawPut(db, 'settings', ['dark'], ['theme']);
    db.close();
  },
};

const tinyDoc = (title: string, description?: string): GraphDoc => ({
  format: 'latentflow/graph', version: 1, meta: { title, ...(description ? { description } : {}) }, nodes: [], edges: [],
});

describe('library database (IndexedDB)', () => {
  afterEach(cleanUp);

  it('the ladder has one named step per version', () => {
    expect(upgradeSteps.map((s) => s.name)).to.deep.equal(upgradeSteps.map((_, i) => `upgradeToV${i + 1}`));
    expect(currentDbVersion).to.equal(upgradeSteps.length);
  });

  it('every older version has fixture data', () => {
    for (let v = 1; v < currentDbVersion; v++) expect(fixtures[v], `fixture for v${v}`).to.be.a('function');
  });

  for (let v = 1; v < currentDbVersion; v++) {
    it(`opens a database made at version ${v} with nothing lost`, async () => {
      const name = uniqueDbName(`v${v}`);
      await fixtures[v]!(name);
      const lib = await openLibrary({ name });
      try {
        expect(lib.persistent).to.equal(true);
        const graph = await getGraphRecord(lib, 'g1');
        expect(graph).to.include(v1Graph);
        expect(graph!.search).to.contain('old ae').and.contain('made before search existed');
        expect(await searchGraphs(lib, 'SEARCH existed')).to.have.length(1);
        expect((await listGraphs(lib)).map((g) => g.id)).to.deep.equal(['g1']);
        const w = await loadWeights(lib, 'g1', 'h1');
        expect(w!.enc!.kernel!.shape).to.deep.equal([3, 4]);
        expect(sameBits(w!.enc!.kernel!.values, kernel)).to.equal(true);
        const cp = await latestCheckpoint(lib, 'g1');
        expect(cp!.step).to.equal(40);
        expect(await lib.read(['settings'], (tx) => tx.get('settings', 'theme'))).to.equal('dark');
      } finally {
        lib.close();
      }
      const raw = await rawOpen(name, currentDbVersion);
      expect([...raw.objectStoreNames].sort()).to.deep.equal(['checkpoints', 'graphs', 'models', 'runs', 'settings', 'trash', 'weights']);
      expect(await rawGetAll(raw, 'graphs')).to.have.length(1);
      raw.close();
    });
  }

  it('a fresh database is created at the current version', async () => {
    const name = uniqueDbName('fresh');
    const lib = await openLibrary({ name });
    expect((await saveGraphDoc(lib, tinyDoc('New'))).ok).to.equal(true);
    lib.close();
    const raw = await rawOpen(name, currentDbVersion);
    expect(raw.version).to.equal(currentDbVersion);
    raw.close();
  });

  it('another tab holding an older version: refused with "close the other tabs"', async () => {
    const name = uniqueDbName('blocked');
    await fixtures[1]!(name);
    const otherTab = await rawOpen(name, 1); // never closes on versionchange, like an old tab
    try {
      let error: unknown;
      try { await openLibrary({ name }); } catch (e) { error = e; }
      expect(error).to.be.instanceOf(StoreError);
      expect((error as StoreError).code).to.equal('blocked');
      expect((error as StoreError).problem.message).to.match(/close the other latentflow tabs/);
    } finally {
      otherTab.close();
    }
    // Once the old tab is gone (closed above), opening works and nothing was lost.
    const lib = await openLibrary({ name });
    expect(await getGraphRecord(lib, 'g1')).to.include({ title: 'Old AE' });
    lib.close();
  });

  it('our connection steps aside when a newer version opens in another tab', async () => {
    const name = uniqueDbName('blocking');
    const reasons: string[] = [];
    const lib = await openLibrary({ name, onClosed: (r) => reasons.push(r) });
    const newer = await rawOpen(name, currentDbVersion + 1); // would hang if we did not close
    newer.close();
    expect(reasons).to.deep.equal(['newer-version']);
    expect(lib.closed).to.equal(true);
    let error: unknown;
    try { await listGraphs(lib); } catch (e) { error = e; }
    expect((error as StoreError).code).to.equal('closed');
    // And this version now refuses the newer database with a message instead of guessing.
    let newerError: unknown;
    try { await openLibrary({ name }); } catch (e) { newerError = e; }
    expect((newerError as StoreError).code).to.equal('newer-database');
    expect((newerError as StoreError).problem.message).to.match(/newer latentflow/);
  });

  it('an IndexedDB whose open never answers: a working in-memory library after the timeout, saying why', async () => {
    // A real request object (so idb accepts it) whose events never come.
    const stuck = () => Object.setPrototypeOf(new EventTarget(), IDBOpenDBRequest.prototype) as IDBOpenDBRequest;
    Object.defineProperty(indexedDB, 'open', { value: stuck, configurable: true });
    let lib;
    try {
      lib = await openLibrary({ name: uniqueDbName('stuck'), openTimeoutMs: 300 });
    } finally {
      delete (indexedDB as { open?: unknown }).open;
    }
    expect(lib.persistent).to.equal(false);
    expect(lib.notice).to.match(/did not answer within 0\.3 s/).and.match(/nothing will be kept/);
    const saved = await saveGraphDoc(lib, tinyDoc('Kept in memory'));
    expect(saved.ok).to.equal(true);
    expect((await listGraphs(lib)).map((g) => g.title)).to.deep.equal(['Kept in memory']);
    expect(indexedDB.open).to.equal(IDBFactory.prototype.open);
  });

  it('no IndexedDB (private mode): a working in-memory library with persistent: false', async () => {
    const lib = await openLibrary({ name: 'unused', indexedDB: null });
    expect(lib.persistent).to.equal(false);
    expect(lib.notice).to.match(/nothing will be kept/);
    const saved = await saveGraphDoc(lib, tinyDoc('In memory', 'a test'));
    expect(saved.ok).to.equal(true);
    const id = (saved as { value: GraphRecord }).value.id;
    expect((await listGraphs(lib)).map((g) => g.title)).to.deep.equal(['In memory']);
    expect(await searchGraphs(lib, 'TEST')).to.have.length(1);
    expect((await getGraphRecord(lib, id))!.text).to.contain('"In memory"');
  });
});
