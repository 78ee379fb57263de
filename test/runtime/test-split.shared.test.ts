import * as tf from '@tensorflow/tfjs';
import { expect } from '@esm-bundle/chai';
import { firstValueFrom, filter } from 'rxjs';
import { createRun, type Run } from '../../src/runtime';
import { planOf, tinyAutoencoder } from './tiny-graphs';
import { testIO } from './test-io';
import { rankOutliers } from '../../nodes/metric-outlier';

async function trained(o: Parameters<typeof tinyAutoencoder>[0]): Promise<Run> {
  const run = createRun(planOf(tinyAutoencoder(o)), { io: await testIO(), backend: 'cpu', metricsEvery: 7 });
  await run.start();
  await run.finished;
  return run;
}

describe('a test split on the trainer', () => {
  it('holds samples out of training and plots their loss once per epoch beside the training loss', async () => {
    const before = tf.memory().numTensors;
    // 32 glyphs, a quarter held out: 24 train in batches of 8 (3 steps an epoch, not 4).
    const run = await trained({ limit: 32, batchSize: 8, epochs: 20, trainer: { testSplit: 0.25 } });
    const progress = await firstValueFrom(run.progress$.pipe(filter((p) => p !== null)));
    expect(progress!.stepsPerEpoch).to.equal(3);
    const h = run.history();
    expect(h.steps.length).to.equal(60);
    expect(h.test, 'test series').to.not.equal(undefined);
    expect(h.test!.epochs).to.deep.equal([...Array(20).keys()]);
    expect(h.test!.steps).to.deep.equal(h.test!.epochs.map((e) => e * 3 + 2));
    expect(h.test!.total.every(Number.isFinite)).to.equal(true);
    expect(h.test!.terms.recon).to.deep.equal(h.test!.total);
    // The held-out loss falls too (the glyphs share strokes), but it is not the training loss.
    expect(h.test!.total.at(-1)!).to.be.lessThan(h.test!.total[0]!);
    expect(h.test!.total.at(-1)).to.not.equal(h.total.at(-1));
    await run.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('tells the metrics which samples were held out: pixel errors split their summary, the outlier ranking marks them', async () => {
    const run = await trained({ limit: 32, epochs: 30, trainer: { testSplit: 0.25 } });
    const r = (await run.evaluate('errors')) as { perSample: number[]; heldOut: number[]; meanHeldOut: number; meanTrained: number; maxHeldOut: number };
    expect(r.heldOut).to.have.length(8);
    expect(r.heldOut).to.deep.equal([...r.heldOut].sort((a, b) => a - b));
    expect(r.heldOut.every((i) => Number.isInteger(i) && i >= 0 && i < 32)).to.equal(true);
    const held = r.heldOut.map((i) => r.perSample[i]!);
    const rest = r.perSample.filter((_, i) => !r.heldOut.includes(i));
    expect(r.meanHeldOut).to.be.closeTo(held.reduce((a, b) => a + b, 0) / 8, 1e-9);
    expect(r.meanTrained).to.be.closeTo(rest.reduce((a, b) => a + b, 0) / 24, 1e-9);
    expect(r.maxHeldOut).to.equal(Math.max(...held));
    // The same split every time it is asked, and none without a split.
    expect(((await run.evaluate('errors')) as { heldOut: number[] }).heldOut).to.deep.equal(r.heldOut);
    await run.dispose();
    const plain = await trained({ limit: 32, epochs: 5 });
    expect((await plain.evaluate('errors')) as object).to.not.have.property('heldOut');
    await plain.dispose();
  });

  it('marks held-out samples in an outlier ranking', async () => {
    const x = tf.tensor2d([[0, 0], [1, 1], [0.5, 0.5]]);
    const target = tf.tensor2d([[0, 0], [0, 0], [0, 0]]);
    const ranking = await rankOutliers(x, target, 3, ['a', 'b', 'c'], [1]);
    expect(ranking.items.map((it) => [it.label, it.heldOut ?? false])).to.deep.equal([['b', true], ['c', false], ['a', false]]);
    x.dispose();
    target.dispose();
  });

  it('measures every N epochs, reproducibly from the seed; another seed holds out other samples', async () => {
    const a = await trained({ limit: 32, epochs: 30, trainer: { testSplit: 0.2, testEvery: 10 } });
    const b = await trained({ limit: 32, epochs: 30, trainer: { testSplit: 0.2, testEvery: 10 } });
    const c = await trained({ limit: 32, epochs: 30, seed: 2, trainer: { testSplit: 0.2, testEvery: 10 } });
    expect(a.history().test!.epochs).to.deep.equal([9, 19, 29]);
    expect(b.history().test!.total).to.deep.equal(a.history().test!.total);
    expect(c.history().test!.total).to.not.deep.equal(a.history().test!.total);
    for (const r of [a, b, c]) await r.dispose();
  });

  it('measures the test loss on at most evalLimit held-out samples, and still trains on none of them', async () => {
    const run = createRun(planOf(tinyAutoencoder({ limit: 32, batchSize: 8, epochs: 4, trainer: { testSplit: 0.25 } })), { io: await testIO(), backend: 'cpu', evalLimit: 5 });
    await run.start();
    await run.finished;
    const progress = await firstValueFrom(run.progress$.pipe(filter((p) => p !== null)));
    expect(progress!.stepsPerEpoch).to.equal(3);
    expect(run.history().test!.total.every(Number.isFinite)).to.equal(true);
    await run.dispose();
  });

  it('without a split there is no test series', async () => {
    const run = await trained({ limit: 8, epochs: 5 });
    expect(run.history().test).to.equal(undefined);
    await run.dispose();
  });

  it('early stopping watches the test loss and says so', async () => {
    // minDelta 1 cannot be beaten by a BCE loss below 1: the second measurement stops the run.
    const run = await trained({ limit: 32, epochs: 50, trainer: { testSplit: 0.25, patience: 1, minDelta: 1 } });
    // The decision waits for the read-back (every 7 steps here), so a few more epochs may have run.
    expect(run.history().test!.epochs.slice(0, 2)).to.deep.equal([0, 1]);
    expect(run.history().test!.epochs.length).to.be.lessThan(10);
    const final = await run.finished;
    expect(final.state).to.equal('done');
    expect(final.reason).to.match(/stopped early at epoch 2: no improvement for 1 test measurements \(best test loss/);
    await run.dispose();
  });
});
