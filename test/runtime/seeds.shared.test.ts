import * as tf from '@tensorflow/tfjs';
import { expect } from '@esm-bundle/chai';
import { compareSeeds, createRun, meanStd, metricScalars, summarizeSeeds, type Run, type SeedRun } from '../../src/runtime';
import { planOf, tinyAutoencoder } from './tiny-graphs';
import { testIO } from './test-io';

describe('comparing seeded runs', () => {
  it('summarises numbers as mean ± sample std with their range', () => {
    expect(meanStd([1, 2, 3])).to.deep.equal({ mean: 2, std: 1 });
    expect(meanStd([5])).to.deep.equal({ mean: 5, std: 0 });
    const runs: SeedRun[] = [
      { seed: 1, state: 'done', steps: 10, seconds: 1, loss: 0.5, testLoss: null, scalars: { 'e.max': 0, 'e.exact': 32 } },
      { seed: 2, state: 'done', steps: 10, seconds: 1, loss: 0.7, testLoss: null, scalars: { 'e.max': 2, 'e.exact': 30 } },
      { seed: 3, state: 'failed', steps: 4, seconds: 1, loss: null, testLoss: null, scalars: {} },
    ];
    const s = summarizeSeeds(runs);
    expect(s['e.exact']).to.deep.equal({ mean: 31, std: Math.SQRT2, min: 30, max: 32, n: 2 });
    expect(s.loss!.n).to.equal(2);
    expect(s['test loss']).to.equal(undefined);
  });

  it('reads a pixel-error result as its numbers plus how many samples are exact', () => {
    const scalars = metricScalars({ errors: { kind: 'pixel-errors', max: 1, mean: 0.25, perSample: [0, 1, 0, 0], labels: ['a', 'b', 'c', 'd'] }, other: [1, 2] });
    expect(scalars).to.deep.equal({ 'errors.max': 1, 'errors.mean': 0.25, 'errors.exact': 3 });
  });

  it('trains each seed in turn, evaluates the metric nodes, frees every run, and different seeds differ', async () => {
    const io = await testIO();
    const plan = planOf(tinyAutoencoder({ epochs: 40 }));
    const before = tf.memory().numTensors;
    const started: number[] = [];
    const runs = await compareSeeds([1, 2, 1], async (seed) => createRun(plan, { io, backend: 'cpu', seed }), {
      metricNodes: ['errors'], onRun: (_r: Run, i: number, seed: number) => started.push(i * 10 + seed),
    });
    expect(started).to.deep.equal([1, 12, 21]);
    expect(runs.map((r) => r.state)).to.deep.equal(['done', 'done', 'done']);
    expect(runs.every((r) => r.steps === 40 && typeof r.scalars['errors.max'] === 'number')).to.equal(true);
    expect(runs[2]!.loss).to.equal(runs[0]!.loss);
    expect(runs[1]!.loss).to.not.equal(runs[0]!.loss);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('stops between seeds when aborted, stopping the run in progress', async () => {
    const io = await testIO();
    const plan = planOf(tinyAutoencoder({ epochs: 100_000 }));
    const stop = new AbortController();
    const runs = await compareSeeds([1, 2, 3], async (seed) => createRun(plan, { io, backend: 'cpu', seed }), {
      metricNodes: [], signal: stop.signal, onRun: () => setTimeout(() => stop.abort(), 200),
    });
    expect(runs).to.have.length(1);
    expect(runs[0]!.state).to.equal('stopped');
  });
});
