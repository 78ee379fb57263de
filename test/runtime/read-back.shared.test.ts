// How soon a run shows progress: its first loss is read back after one step (a big model's first
// `metricsEvery` steps may take many seconds), then every `metricsEvery` steps.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { createRun } from '../../src/runtime';
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
});
