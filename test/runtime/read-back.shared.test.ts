// How soon a run shows progress: its first loss is read back after one step (a big model's first
// `metricsEvery` steps may take many seconds), then every `metricsEvery` steps.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { createRun } from '../../src/runtime';
import { EpochMeans } from '../../src/runtime/read-back';
import { planOf, tinyAutoencoder } from './tiny-graphs';
import { testIO } from './test-io';

describe('loss read-backs', () => {
  it('reads the first step at once, then batches of metricsEvery steps', async () => {
    const before = tf.memory().numTensors;
    const run = createRun(planOf(tinyAutoencoder({ epochs: 100_000 })), { io: await testIO(), backend: 'cpu', metricsEvery: 50 });
    const batches: number[][] = [];
    run.metrics$.subscribe((b) => batches.push(b.steps));
    await run.step(101);
    expect(batches[0], 'the first read-back').to.deep.equal([0]);
    // Then whole batches (a slow step may close one early: at most a second apart), ending with the pause's.
    expect(batches.flat()).to.deep.equal([...Array(101).keys()]);
    await run.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('closes each epoch once all its steps have read back, oldest first, with its mean', () => {
    const m = new EpochMeans();
    for (const [epoch, loss] of [[0, 1], [0, 3], [1, 4], [1, 6], [2, 5]] as const) m.add(epoch, loss);
    expect(m.close(2)).to.deep.equal([{ epoch: 0, loss: 2 }, { epoch: 1, loss: 5 }]);
    expect(m.close(2), 'each epoch is taken once; epoch 2 is still open').to.deep.equal([]);
    m.add(2, 7);
    // An epoch added out of order still waits behind the older open ones and sums with its own steps.
    m.add(4, 1);
    m.add(3, 2);
    m.add(3, 4);
    m.add(4, 3);
    expect(m.close(2)).to.deep.equal([{ epoch: 2, loss: 6 }, { epoch: 3, loss: 3 }, { epoch: 4, loss: 2 }]);
    const one = new EpochMeans();
    one.add(0, 1);
    one.add(1, 2);
    expect(one.close(2), 'an epoch short of its steps holds back the ones after it').to.deep.equal([]);
  });
});
