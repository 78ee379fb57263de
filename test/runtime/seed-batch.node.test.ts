import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { loadGraph, type GraphDoc, type Json } from '../../src/graph';
import { registry } from '../../nodes';
import { createRun, type Plan } from '../../src/runtime';
import { nodeIO } from '../../src/runtime/io-node';
import { seedBatchRefusal, trainSeedBatch } from '../../src/runtime/seed-batch';
import { planOf } from './tiny-graphs';

const io = nodeIO();

/** A lone run of one seed, as compareSeeds and `latentflow train` make it: its history and metric results. */
async function lone(plan: Plan, seed: number, epochs: number, metricNodes: string[]) {
  const run = createRun(plan, { io, backend: 'wasm', seed, epochs });
  await run.start();
  const status = await run.finished;
  const metrics: Record<string, Json> = {};
  for (const id of metricNodes) metrics[id] = await run.evaluate(id);
  const history = run.history();
  await run.dispose();
  return { status, history, metrics };
}

const preset = (name: string): GraphDoc => loadGraph(readFileSync(`graphs/${name}.json`, 'utf8'), registry).doc!;

/** Every random thing a run draws: a test split, shuffled batches, noise drawn per epoch, dropout, a sampled latent, two loss terms. */
function noisyVae(trainer: Record<string, unknown> = {}, enc: Record<string, unknown> = {}): GraphDoc {
  const doc = {
    format: 'latentflow/graph', version: 1, meta: { title: 'noisy VAE' },
    nodes: [
      { id: 'data', kind: 'dataset.font-7x5', kindVersion: 1, params: { limit: 32 } },
      { id: 'noise', kind: 'noise.salt-pepper', kindVersion: 1, params: { mode: 'random-per-epoch', pMin: 0.05, pMax: 0.2 } },
      { id: 'enc', kind: 'encoder.dense', kindVersion: 1, params: { units: [24], activation: 'relu', dropout: 0.1, ...enc } },
      { id: 'code', kind: 'latent.gaussian', kindVersion: 1, params: { dim: 2 } },
      { id: 'dec', kind: 'decoder.dense', kindVersion: 1, params: { units: [24], activation: 'tanh' } },
      { id: 'recon', kind: 'loss.reconstruction', kindVersion: 1, params: { loss: 'bce', reduce: 'sum' } },
      { id: 'kl', kind: 'loss.kl', kindVersion: 1, params: { beta: 0.5, warmupEpochs: 3 } },
      { id: 'sparse', kind: 'loss.sparsity', kindVersion: 1, params: { lambda: 0.01 } },
      { id: 'train', kind: 'train.optimizer', kindVersion: 2, params: { lr: 0.01, epochs: 6, batchSize: 8, testSplit: 0.25, ...trainer } },
      { id: 'errors', kind: 'metric.pixel-error', kindVersion: 1, params: {} },
    ],
    edges: [
      ['data', 'x', 'noise', 'x'], ['noise', 'x', 'enc', 'x'], ['enc', 'h', 'code', 'h'], ['code', 'z', 'dec', 'z'], ['dec', 'x', 'recon', 'x'],
      ['data', 'x', 'recon', 'target'], ['code', 'z', 'kl', 'z'], ['enc', 'h', 'sparse', 'h'], ['recon', 'loss', 'train', 'loss'], ['kl', 'loss', 'train', 'loss'],
      ['sparse', 'loss', 'train', 'loss'], ['dec', 'x', 'errors', 'x'], ['data', 'x', 'errors', 'target'],
    ].map(([a, as, b, bs], i) => ({ id: `e${i}`, from: { node: a, socket: as }, to: { node: b, socket: bs } })),
  };
  const { doc: loaded, problems } = loadGraph(doc, registry);
  if (!loaded) throw new Error(problems.map((p) => p.message).join('\n'));
  return loaded;
}

describe('seeds in one program', () => {
  it('trains 10 seeds of the font AE together, each with its lone run\'s wrong pixels and loss, and frees every tensor', async () => {
    const plan = planOf(preset('font-ae'));
    const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
    const epochs = 200;
    const before = tf.memory().numTensors;
    const batch = await trainSeedBatch(plan, seeds, { io, backend: 'wasm', epochs, metricNodes: ['errors'] });
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(batch.rerunAlone, []);
    for (const [i, seed] of seeds.entries()) {
      const b = batch.runs[i]!;
      const l = await lone(plan, seed, epochs, ['errors']);
      assert.equal(b.seed, seed);
      assert.equal(b.state, l.status.state);
      assert.equal(b.steps, l.status.step);
      assert.equal(b.reason, l.status.reason);
      // After 200 epochs the glyphs are not all exact yet: their wrong-pixel counts tell seeds apart.
      assert.deepEqual((b.metrics.errors as { perSample: number[] }).perSample, (l.metrics.errors as { perSample: number[] }).perSample, `seed ${seed}`);
      const want = l.history.total.at(-1)!;
      assert.ok(Math.abs(b.loss! - want) <= 1e-3 * want, `seed ${seed}: ${b.loss} vs ${want}`);
      assert.deepEqual(b.history.steps, l.history.steps);
    }
    const lossesDiffer = new Set(batch.runs.map((r) => r.loss)).size;
    assert.equal(lossesDiffer, 10, 'every seed trains its own weights');
  });

  it('gives each seed its lone run\'s test split, shuffles, noise, dropout and latent samples', async () => {
    const plan = planOf(noisyVae());
    const seeds = [3, 4, 5];
    const batch = await trainSeedBatch(plan, seeds, { io, backend: 'wasm', metricNodes: ['errors'] });
    for (const [i, seed] of seeds.entries()) {
      const b = batch.runs[i]!;
      const l = await lone(plan, seed, 6, ['errors']);
      assert.equal(b.steps, 18, '24 training glyphs in batches of 8, 6 epochs');
      for (const [got, want] of [[b.history, l.history], [b.history.test!, l.history.test!]] as const) {
        assert.deepEqual(got.steps, want.steps);
        got.total.forEach((v, k) => assert.ok(Math.abs(v - want.total[k]!) <= 1e-5 * Math.abs(want.total[k]!), `seed ${seed} step ${got.steps[k]}: ${v} vs ${want.total[k]}`));
        for (const term of ['recon', 'kl', 'sparse']) assert.ok(Math.abs(got.terms[term]!.at(-1)! - want.terms[term]!.at(-1)!) <= 1e-5 * Math.abs(want.terms[term]!.at(-1)!), term);
      }
      assert.deepEqual(b.metrics.errors, l.metrics.errors);
    }
  });

  it('says why a graph cannot train its seeds as one program', () => {
    assert.equal(seedBatchRefusal(planOf(noisyVae())), null);
    assert.equal(seedBatchRefusal(planOf(noisyVae({}, { batchNorm: true }))), 'batch norm is not batched yet (node "enc")');
    assert.match(seedBatchRefusal(planOf(noisyVae({ patience: 5 })))!, /^early stopping ends each seed at its own epoch/);
    assert.match(seedBatchRefusal(planOf(noisyVae({ schedule: 'adaptive' })))!, /^the adaptive learning rate follows each seed's own loss/);
  });

  it('counts every seed\'s activations: 200 MNIST AE seeds in one program are refused with the numbers (issue 13, family 6)', async () => {
    // They once went on to 3.1 GB and were still in their first epoch after 180 s.
    const plan = planOf(preset('mnist-ae'));
    assert.equal(seedBatchRefusal(plan, 20), null);
    const why = seedBatchRefusal(plan, 200)!;
    assert.match(why, /^200 seeds in one program would keep about 3\.9 GB of activations \(200 × 20 MB\); the limit is 2\.0 GB$/);
    await assert.rejects(trainSeedBatch(plan, Array.from({ length: 200 }, (_, i) => i + 1), { io: nodeIO(), backend: 'cpu', metricNodes: [] }), { message: `these seeds cannot train as one program: ${why}` });
  });

  it('stops every seed when aborted, reports each as stopped and frees every tensor', async () => {
    const plan = planOf(preset('font-ae'));
    const before = tf.memory().numTensors;
    const stop = new AbortController();
    let progressed = 0;
    const batch = await trainSeedBatch(plan, [1, 2, 3], {
      io, backend: 'wasm', epochs: 1_000_000, metricNodes: ['errors'], signal: stop.signal, metricsEvery: 5,
      onProgress: (p) => { if (++progressed === 2) stop.abort(); assert.equal(p.epochs, 1_000_000); },
    });
    assert.deepEqual(batch.runs.map((r) => r.state), ['stopped', 'stopped', 'stopped']);
    const steps = batch.runs[0]!.steps;
    assert.ok(steps > 0 && steps < 1000, `stopped at step ${steps}`);
    assert.match(batch.runs[0]!.reason!, new RegExp(`^stopped at step ${steps}$`));
    assert.equal(typeof batch.runs[0]!.scalars['errors.max'], 'number');
    assert.equal(tf.memory().numTensors, before);
  });
});
