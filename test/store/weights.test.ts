// Trained weights, checkpoints and run history: saved, then after a reload back bit for bit,
// and never handed to a graph of another structure.
import { expect } from '@esm-bundle/chai';
import type { MetricsBatch, NamedWeights } from '../../src/runtime/types';
import { openLibrary, type Library } from '../../src/store/db';
import { saveGraphDoc } from '../../src/store/graphs';
import {
  latestCheckpoint, libraryModel, listCheckpoints, listRuns, loadWeights, saveCheckpoint, saveRun, saveWeights,
} from '../../src/store/weights';
import { cleanUp, sameBits, trickyFloats, uniqueDbName } from './helpers';
import { nextMillisecond } from '../helpers/clock';

const weights = (seed: number): NamedWeights => ({
  enc: { 'dense0/kernel': { shape: [35, 16], values: trickyFloats(35 * 16, seed) }, 'dense0/bias': { shape: [16], values: trickyFloats(16, seed + 1) } },
  dec: { 'dense0/kernel': { shape: [2, 35], values: trickyFloats(70, seed + 2) } },
});
const history: MetricsBatch = { steps: [1, 2, 3], epochs: [0, 0, 1], total: [0.9, 0.5, 0.25], terms: { recon: [0.9, 0.5, 0.25] } };

function expectSameWeights(a: NamedWeights, b: NamedWeights): void {
  expect(Object.keys(a).sort()).to.deep.equal(Object.keys(b).sort());
  for (const node of Object.keys(a)) {
    expect(Object.keys(a[node]!).sort()).to.deep.equal(Object.keys(b[node]!).sort());
    for (const name of Object.keys(a[node]!)) {
      expect(a[node]![name]!.shape).to.deep.equal(b[node]![name]!.shape);
      expect(sameBits(a[node]![name]!.values, b[node]![name]!.values), `${node}/${name}`).to.equal(true);
    }
  }
}

describe('weights, checkpoints and runs', () => {
  let name: string;
  let lib: Library;
  beforeEach(async () => { name = uniqueDbName('weights'); lib = await openLibrary({ name }); });
  afterEach(async () => { lib.close(); await cleanUp(); });

  it('save → reload → graph, weights (bitwise equal) and metrics restored', async () => {
    const g = await saveGraphDoc(lib, { format: 'latentflow/graph', version: 1, meta: { title: 'AE' }, nodes: [], edges: [] });
    if (!g.ok) throw new Error(g.problem.message);
    const w = weights(3);
    expect((await saveWeights(lib, g.value.id, 'hash-a', w)).ok).to.equal(true);
    expect((await saveRun(lib, { id: 'run-1', graphId: g.value.id, structureHash: 'hash-a', started: 'x', status: 'stopped', seed: 7, history })).ok).to.equal(true);
    lib.close();

    lib = await openLibrary({ name });
    expectSameWeights((await loadWeights(lib, g.value.id, 'hash-a'))!, w);
    const runs = await listRuns(lib, g.value.id);
    expect(runs.map((r) => r.history)).to.deep.equal([history]);
    expect(runs[0]!.seed).to.equal(7);
  });

  it('weights of another structure are never returned', async () => {
    await saveWeights(lib, 'g', 'hash-a', weights(1));
    expect(await loadWeights(lib, 'g', 'hash-b')).to.equal(null);
    expect(await loadWeights(lib, 'other', 'hash-a')).to.equal(null);
  });

  it('weights that are views into a bigger buffer are stored on their own', async () => {
    const big = trickyFloats(100, 9);
    const view = big.subarray(10, 20);
    await saveWeights(lib, 'g', 'h', { n: { v: { shape: [10], values: view } } });
    const back = (await loadWeights(lib, 'g', 'h'))!.n!.v!.values;
    expect(back.buffer.byteLength).to.equal(40);
    expect(sameBits(back, view)).to.equal(true);
  });

  it('checkpoints: latest per graph resumes a run after a reload; old ones pruned', async () => {
    const at = { graphId: 'g', runId: 'r1', structureHash: 'h' };
    for (const step of [10, 20, 30]) {
      await saveCheckpoint(lib, at, { step, epoch: step / 10, weights: weights(step), history }, 2);
      await nextMillisecond();
    }
    lib.close();
    lib = await openLibrary({ name });
    expect((await listCheckpoints(lib, 'g')).map((c) => c.step)).to.deep.equal([30, 20]);
    const latest = (await latestCheckpoint(lib, 'g'))!;
    expect([latest.step, latest.epoch]).to.deep.equal([30, 3]);
    expectSameWeights(latest.weights, weights(30));
    expect(latest.history).to.deep.equal(history);
    expect(await latestCheckpoint(lib, 'g', 'another-structure')).to.equal(null);
    expect(await latestCheckpoint(lib, 'nothing')).to.equal(null);
  });

  it('the tfjs IOHandler keeps model artifacts in this database', async () => {
    const a = new Uint8Array([1, 2, 3, 4]).buffer;
    const b = new Uint8Array([5, 6, 7, 8]).buffer;
    const handler = libraryModel(lib, 'enc-model');
    const result = await handler.save!({
      modelTopology: { class_name: 'Sequential', config: {} },
      weightSpecs: [{ name: 'k', shape: [2], dtype: 'float32' }],
      weightData: [a, b],
      format: 'layers-model',
    });
    expect(result.modelArtifactsInfo.weightDataBytes).to.equal(8);
    lib.close();
    lib = await openLibrary({ name });
    const back = await libraryModel(lib, 'enc-model').load!();
    expect(back.modelTopology).to.deep.equal({ class_name: 'Sequential', config: {} });
    expect(back.weightSpecs).to.deep.equal([{ name: 'k', shape: [2], dtype: 'float32' }]);
    expect([...new Uint8Array(back.weightData as ArrayBuffer)]).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    let error: unknown;
    try { await libraryModel(lib, 'missing').load!(); } catch (e) { error = e; }
    expect(String(error)).to.match(/no model "missing"/);
  });

  it('works the same in memory (no IndexedDB)', async () => {
    const mem = await openLibrary({ name: 'm', indexedDB: null });
    await saveWeights(mem, 'g', 'h', weights(5));
    expectSameWeights((await loadWeights(mem, 'g', 'h'))!, weights(5));
    await saveCheckpoint(mem, { graphId: 'g', runId: 'r', structureHash: 'h' }, { step: 1, epoch: 0, weights: weights(6), history });
    expect((await latestCheckpoint(mem, 'g'))!.step).to.equal(1);
  });
});
