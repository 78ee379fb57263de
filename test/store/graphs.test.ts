// The graph library: what is saved comes back after a reload; a full disk loses nothing; list,
// rename, duplicate, delete with undo and search behave as the library browser needs.
import { expect } from '@esm-bundle/chai';
import type { GraphDoc } from '../../src/graph';
import { openLibrary, type Library } from '../../src/store/db';
import {
  deleteGraph, duplicateGraph, emptyTrash, getGraphRecord, listGraphs, renameGraph, saveGraphDoc, saveGraphDocIfUnchanged, searchGraphs, undoDelete,
} from '../../src/store/graphs';
import { autosave } from '../../src/store/autosave';
import { getSetting, lastGraphSetting } from '../../src/store/settings';
import { listWeights, saveWeights } from '../../src/store/weights';
import { cleanUp, uniqueDbName } from './helpers';
import { nextMillisecond } from '../helpers/clock';

const doc = (title: string, extra: Partial<GraphDoc> = {}): GraphDoc => ({
  format: 'latentflow/graph', version: 1, meta: { title, description: `about ${title}` },
  nodes: [{ id: 'enc', kind: 'encoder.dense', kindVersion: 1, params: { units: [16] } }], edges: [], ...extra,
});

function value<T>(o: { ok: true; value: T } | { ok: false; problem: { message: string } }): T {
  if (!o.ok) throw new Error(`expected ok, got: ${o.problem.message}`);
  return o.value;
}

/** Makes every IDBObjectStore.put throw like a full disk until the returned function is called. */
function simulateFullDisk(): () => void {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function () {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  return () => { IDBObjectStore.prototype.put = put; };
}

describe('graph library', () => {
  let name: string;
  let lib: Library;
  beforeEach(async () => { name = uniqueDbName('graphs'); lib = await openLibrary({ name }); });
  afterEach(async () => { lib.close(); await cleanUp(); });

  it('save → reload → the same graph file, byte for byte', async () => {
    const saved = value(await saveGraphDoc(lib, doc('Font AE')));
    lib.close();
    lib = await openLibrary({ name });
    const back = await getGraphRecord(lib, saved.id);
    expect(back).to.deep.equal(saved);
    expect(back!.text).to.contain('"title": "Font AE"');
  });

  it('saving again keeps the id and creation time, updates the rest', async () => {
    const first = value(await saveGraphDoc(lib, doc('v1')));
    await nextMillisecond();
    const second = value(await saveGraphDoc(lib, doc('v2'), first.id));
    expect(second.id).to.equal(first.id);
    expect(second.created).to.equal(first.created);
    expect(second.updated > first.updated).to.equal(true);
    expect((await listGraphs(lib)).map((g) => g.title)).to.deep.equal(['v2']);
  });

  it('storage full: a message, and the previously saved version intact', async () => {
    const saved = value(await saveGraphDoc(lib, doc('Before')));
    await saveWeights(lib, saved.id, 'h', { enc: { k: { shape: [1], values: new Float32Array([1]) } } });
    const restore = simulateFullDisk();
    let result;
    let weightsResult;
    try {
      result = await saveGraphDoc(lib, doc('After'), saved.id);
      weightsResult = await saveWeights(lib, saved.id, 'h', { enc: { k: { shape: [1], values: new Float32Array([2]) } } });
    } finally {
      restore();
    }
    expect(result.ok).to.equal(false);
    expect(!result.ok && result.problem.message).to.match(/storage is full/).and.match(/previously saved work is unchanged/);
    expect(weightsResult.ok).to.equal(false);
    lib.close();
    lib = await openLibrary({ name });
    expect(await getGraphRecord(lib, saved.id)).to.deep.equal(saved);
    expect((await listWeights(lib, saved.id))[0]!.weights.enc!.k!.values[0]).to.equal(1);
  });

  it('a failure in the middle of a multi-store write leaves nothing half-done', async () => {
    const a = value(await saveGraphDoc(lib, doc('A')));
    await saveWeights(lib, a.id, 'h', { enc: { k: { shape: [1], values: new Float32Array([1]) } } });
    const restore = simulateFullDisk();
    let r;
    try { r = await duplicateGraph(lib, a.id); } finally { restore(); }
    expect(r.ok).to.equal(false);
    expect((await listGraphs(lib)).map((g) => g.title)).to.deep.equal(['A']);
  });

  it('lists newest first, renames (in the file too), duplicates with weights', async () => {
    const a = value(await saveGraphDoc(lib, doc('Alpha')));
    await nextMillisecond();
    value(await saveGraphDoc(lib, doc('Beta')));
    expect((await listGraphs(lib)).map((g) => g.title)).to.deep.equal(['Beta', 'Alpha']);
    const renamed = value(await renameGraph(lib, a.id, '  Gamma  '));
    expect(renamed.title).to.equal('Gamma');
    expect(renamed.text).to.contain('"title": "Gamma"');
    expect((await listGraphs(lib))[0]!.title).to.equal('Gamma');
    expect((await renameGraph(lib, a.id, '   ')).ok).to.equal(false);

    await saveWeights(lib, a.id, 'h1', { enc: { k: { shape: [2], values: new Float32Array([1, 2]) } } });
    const copy = value(await duplicateGraph(lib, a.id));
    expect(copy.title).to.equal('Copy of Gamma');
    expect(copy.id).not.to.equal(a.id);
    expect((await listWeights(lib, copy.id)).map((w) => w.structureHash)).to.deep.equal(['h1']);
  });

  it('delete moves everything to the trash; undo puts it all back', async () => {
    const a = value(await saveGraphDoc(lib, doc('Doomed')));
    await saveWeights(lib, a.id, 'h1', { enc: { k: { shape: [1], values: new Float32Array([3]) } } });
    const token = value(await deleteGraph(lib, a.id));
    expect(await listGraphs(lib)).to.deep.equal([]);
    expect(await listWeights(lib, a.id)).to.deep.equal([]);
    const back = value(await undoDelete(lib, token));
    expect(back).to.deep.equal(a);
    expect(await getGraphRecord(lib, a.id)).to.deep.equal(a);
    expect((await listWeights(lib, a.id))[0]!.weights.enc!.k!.values[0]).to.equal(3);
    expect((await undoDelete(lib, token)).ok).to.equal(false);
    value(await deleteGraph(lib, a.id));
    expect(value(await emptyTrash(lib))).to.equal(1);
    expect((await deleteGraph(lib, 'nope')).ok).to.equal(false);
  });

  it('two tabs: a delete in one is not undone by the other\'s autosave, and its Undo never writes over a save (issue 13, family 12)', async () => {
    const a = value(await saveGraphDoc(lib, doc('Shared')));
    // Tab A deletes it while tab B, which opened it, keeps editing.
    const token = value(await deleteGraph(lib, a.id));
    const saved = await saveGraphDocIfUnchanged(lib, doc('Shared, edited in B'), a.id, a.text);
    expect(saved.ok).to.equal(false);
    expect(saved.ok ? '' : saved.problem.message).to.match(/^"Shared, edited in B" was deleted in another tab or window since it was opened here; your edits here are kept in this tab but not saved/);
    // It once came back with B's text, and A's Undo then put the old text over it, silently.
    expect(await getGraphRecord(lib, a.id)).to.equal(null);
    expect(value(await undoDelete(lib, token))).to.deep.equal(a);
    // A graph saved under the id meanwhile (the old reader's resurrection) is never replaced by an Undo.
    const token2 = value(await deleteGraph(lib, a.id));
    const theirs = value(await saveGraphDoc(lib, doc('Saved meanwhile'), a.id));
    const undo = await undoDelete(lib, token2);
    expect(undo.ok ? '' : undo.problem.message).to.match(/^"Shared" is in the library again \(saved in another tab or window since it was deleted\); it was not replaced/);
    expect((await getGraphRecord(lib, a.id))!.text).to.equal(theirs.text);
  });

  it('search matches every word in the title or description, any case', async () => {
    value(await saveGraphDoc(lib, doc('Denoising AE')));
    value(await saveGraphDoc(lib, doc('VAE on MNIST')));
    expect((await searchGraphs(lib, 'mnist')).map((g) => g.title)).to.deep.equal(['VAE on MNIST']);
    expect((await searchGraphs(lib, 'ABOUT denoising')).map((g) => g.title)).to.deep.equal(['Denoising AE']);
    expect(await searchGraphs(lib, 'mnist denoising')).to.deep.equal([]);
    expect(await searchGraphs(lib, '')).to.have.length(2);
  });

  it('autosave writes the last edit once edits pause, and remembers the open graph', async () => {
    const timers: (() => void)[] = [];
    const saver = autosave(lib, { setTimer: (fn) => timers.push(fn), clearTimer: () => { timers.length = 0; } });
    saver.edited(doc('draft 1'));
    saver.edited(doc('draft 2'));
    expect(await listGraphs(lib)).to.deep.equal([]);
    expect(timers).to.have.length(1);
    timers[0]!();
    await saver.flush();
    const list = await listGraphs(lib);
    expect(list.map((g) => g.title)).to.deep.equal(['draft 2']);
    expect(await getSetting(lib, lastGraphSetting, null)).to.equal(list[0]!.id);
  });

  it('autosave reports a full disk and keeps the earlier save', async () => {
    const problems: string[] = [];
    const saver = autosave(lib, { onProblem: (p) => problems.push(p.message) });
    saver.edited(doc('kept'));
    await saver.flush();
    const restore = simulateFullDisk();
    try {
      saver.edited(doc('lost'));
      await saver.flush();
    } finally { restore(); }
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/storage is full/);
    expect((await listGraphs(lib)).map((g) => g.title)).to.deep.equal(['kept']);
  });
});
