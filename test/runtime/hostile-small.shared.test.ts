// Smaller hostile inputs (issue 13, family 14): a version of -0, NaN/Infinity weights in a bundle,
// and a run that diverges before any weights were proven good.
import * as tf from '@tensorflow/tfjs';
import { expect } from '@esm-bundle/chai';
import { loadGraph, saveGraph } from '../../src/graph';
import { registry } from '../../nodes';
import { createRun, type RunEvent } from '../../src/runtime';
import { readBundle, writeBundle } from '../../src/store/bundle';
import { planOf, tinyAutoencoder } from './tiny-graphs';
import { testIO } from './test-io';

describe('version -0', () => {
  it('a document version of -0 is refused like any bad version, not read as the v0 draft', () => {
    const r = loadGraph('{"format": "latentflow/graph", "version": -0, "title": "draft?", "nodes": []}', registry);
    expect(r.doc).to.equal(null);
    expect(r.problems).to.deep.equal([{ severity: 'error', path: 'version', message: 'the file has no valid version number' }]);
  });

  it('a node kindVersion of -0 is refused, not migrated from version 0', () => {
    const text = saveGraph(tinyAutoencoder()).replace('"kindVersion": 2', '"kindVersion": -0');
    const r = loadGraph(text, registry);
    expect(r.doc).to.equal(null);
    expect(r.problems.map((p) => `${p.path}: ${p.message}`)).to.deep.equal(['nodes[5].kindVersion: kindVersion must be a whole number (not -0)']);
  });
});

describe('NaN and Infinity weights in a bundle', () => {
  for (const bad of [NaN, Infinity, -Infinity]) {
    it(`a bundle whose weights hold ${bad} is refused, naming the tensor and the value`, async () => {
      const doc = tinyAutoencoder();
      const values = new Float32Array([0.5, -0.25, bad, 1]);
      const bytes = writeBundle({ doc, weights: { enc: { 'dense0/bias': { shape: [4], values } } } });
      const r = await readBundle(bytes, registry);
      expect(r.ok).to.equal(false);
      if (r.ok) return;
      expect(r.problems[0]!.message).to.equal(`the weights of enc/dense0/bias are not all finite numbers (value 3 of 4 is ${bad}); a model with them computes only NaN`);
    });
  }
});

describe('a run that diverges before any weights were proven good', () => {
  it('fails at once, goes back to the weights it began from (never keeps NaN weights), and leaks nothing', async () => {
    const doc = tinyAutoencoder({ epochs: 2000, lr: 10, trainer: { optimizer: 'sgd' } });
    for (const n of doc.nodes) {
      if (n.id === 'recon') n.params.loss = 'mse';
      if (n.id === 'dec') Object.assign(n.params, { outputActivation: 'linear', activation: 'linear' });
      if (n.id === 'enc') n.params.activation = 'linear';
    }
    const before = tf.memory().numTensors;
    const run = createRun(planOf(doc), { io: await testIO(), backend: 'cpu', metricsEvery: 10 });
    const initial = await run.getWeights();
    const nan: Extract<RunEvent, { type: 'nan' }>[] = [];
    run.events$.subscribe((e) => { if (e.type === 'nan') nan.push(e); });
    await run.start();
    const status = await run.finished;
    expect(status.state).to.equal('failed');
    expect(nan.length).to.equal(1);
    expect(nan[0]!.step).to.be.below(10); // it diverges within the first read-back batch
    expect(nan[0]!.restoredFromStep).to.equal(0);
    expect(status.reason).to.include('weights restored from step 0');
    expect(status.step).to.be.at.most(nan[0]!.step + 2 * 10); // stopped at the read-back, not 2000 steps later
    const after = await run.getWeights();
    for (const [id, vars] of Object.entries(after)) {
      for (const [name, w] of Object.entries(vars)) {
        expect(w.values.every(Number.isFinite), `${id}/${name} finite`).to.equal(true);
        expect(Array.from(w.values)).to.deep.equal(Array.from(initial[id]![name]!.values));
      }
    }
    await run.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });
});
