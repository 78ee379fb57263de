import * as tf from '@tensorflow/tfjs';
import { expect } from '@esm-bundle/chai';
import { firstValueFrom, filter } from 'rxjs';
import { compile, createRun, type Checkpoint, type MetricsBatch } from '../../src/runtime';
import { registry } from '../../nodes';
import { planOf, tinyAutoencoder } from './tiny-graphs';
import { readRepoFile } from '../helpers/read-fixture';
import { loadGraph, type Json } from '../../src/graph';
import { portableBackends, testIO, wasmPath } from './test-io';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const maxRelDiff = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i]!) / Math.abs(b[i]!)));

describe('a training run', () => {
  for (const backend of portableBackends) {
    it(`trains a tiny AE on ${backend}: the loss falls by at least half in 300 steps, and nothing leaks`, async () => {
      const before = tf.memory().numTensors;
      const run = createRun(planOf(tinyAutoencoder({ epochs: 300 })), { io: await testIO(), backend, wasmPath });
      const batches: MetricsBatch[] = [];
      run.metrics$.subscribe((b) => batches.push(b));
      await run.start();
      const status = await run.finished;
      expect(status.state).to.equal('done');
      expect(run.backend).to.equal(backend);
      const h = run.history();
      expect(h.steps.length).to.equal(300);
      expect(batches.length).to.be.greaterThan(1);
      const first = mean(h.total.slice(0, 10));
      const last = mean(h.total.slice(-10));
      expect(last).to.be.lessThan(first * 0.5);
      expect(h.terms.recon!.length).to.equal(300);
      await run.dispose();
      expect(tf.memory().numTensors).to.equal(before);
    });
  }

  it('pauses, steps, resumes and stops on command, reporting each state', async () => {
    const before = tf.memory().numTensors;
    const run = createRun(planOf(tinyAutoencoder({ epochs: 100_000 })), { io: await testIO(), backend: 'cpu', metricsEvery: 5 });
    const states: string[] = [];
    run.status$.subscribe((s) => states.push(s.state));
    await run.step(7);
    expect(run.history().steps.length).to.equal(7);
    await run.step(3);
    expect(run.history().steps.length).to.equal(10);
    await run.start();
    await firstValueFrom(run.metrics$.pipe(filter((b) => b.steps.at(-1)! >= 40)));
    await run.pause();
    await firstValueFrom(run.status$.pipe(filter((s) => s.state === 'paused')));
    const pausedAt = run.history().steps.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(run.history().steps.length).to.equal(pausedAt);
    run.resume();
    await firstValueFrom(run.metrics$.pipe(filter((b) => b.steps.at(-1)! >= pausedAt + 10)));
    await run.stop();
    expect((await run.finished).state).to.equal('stopped');
    expect(states).to.include.members(['loading', 'running', 'paused', 'stopped']);
    await run.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('frees every tensor when stopped mid-run, 50 times over', async () => {
    const io = await testIO();
    const plan = planOf(tinyAutoencoder({ epochs: 100_000 }));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) {
      const run = createRun(plan, { io, backend: 'cpu', metricsEvery: 3 });
      await run.start();
      await firstValueFrom(run.metrics$);
      if (i % 2) await run.stop();
      await run.dispose();
    }
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('cancels through an AbortSignal', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const run = createRun(planOf(tinyAutoencoder({ epochs: 100_000 })), { io: await testIO(), backend: 'cpu', signal: controller.signal });
    await run.start();
    await firstValueFrom(run.metrics$);
    controller.abort();
    const status = await run.finished;
    expect(status.state).to.equal('stopped');
    await run.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('applies a live learning rate at the next step: lr 0 freezes the weights', async () => {
    const run = createRun(planOf(tinyAutoencoder({ epochs: 100_000 })), { io: await testIO(), backend: 'cpu', metricsEvery: 2 });
    await run.step(5);
    expect(run.setParam('train', 'lr', 0)).to.equal(null);
    await run.step(1); // the rate is applied before this step
    const a = await run.getWeights();
    await run.step(5);
    const b = await run.getWeights();
    expect(Array.from(b.enc!['dense0/kernel']!.values)).to.deep.equal(Array.from(a.enc!['dense0/kernel']!.values));
    expect(run.setParam('train', 'lr', 0.01)).to.equal(null);
    await run.step(2);
    const c = await run.getWeights();
    expect(Array.from(c.enc!['dense0/kernel']!.values)).not.to.deep.equal(Array.from(b.enc!['dense0/kernel']!.values));
    await run.dispose();
  });

  it('refuses a structural param as live, and an out-of-range value, with a message', async () => {
    const run = createRun(planOf(tinyAutoencoder()), { io: await testIO(), backend: 'cpu' });
    expect(run.setParam('enc', 'units', [4])?.message).to.match(/structure/);
    expect(run.setParam('train', 'lr', -1)?.message).to.match(/params\.lr must be a number from 0 to 10, got -1/);
    await run.dispose();
  });

  it('gives identical metrics for the same seed and different ones for another seed', async () => {
    const io = await testIO();
    const losses = async (seed: number) => {
      const run = createRun(planOf(tinyAutoencoder({ epochs: 40, seed, batchSize: 4 })), { io, backend: 'cpu' });
      await run.start();
      await run.finished;
      const h = run.history().total;
      await run.dispose();
      return h;
    };
    const a = await losses(7);
    const b = await losses(7);
    const c = await losses(8);
    expect(a.length).to.equal(80);
    expect(a).to.deep.equal(b);
    expect(a).not.to.deep.equal(c);
  });

  it('stops with a message naming the step and loss term when the loss turns NaN, restoring good weights', async () => {
    const before = tf.memory().numTensors;
    const run = createRun(planOf(tinyAutoencoder({ epochs: 100_000 })), { io: await testIO(), backend: 'cpu', metricsEvery: 5 });
    await run.step(150);
    const good = await run.getWeights();
    const kernel = good.enc!['dense0/kernel']!;
    await run.setWeights({ enc: { 'dense0/kernel': { shape: kernel.shape, values: new Float32Array(kernel.values.length).fill(NaN) } } });
    await run.start();
    const status = await run.finished;
    expect(status.state).to.equal('failed');
    expect(status.reason).to.match(/loss became NaN at step 151 in term "recon" \(loss\.reconstruction\)/);
    expect(status.reason).to.match(/weights restored from step \d+/);
    const restored = await run.getWeights();
    expect(restored.enc!['dense0/kernel']!.values.every(Number.isFinite)).to.equal(true);
    await run.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('warm-starts from another run where shapes match and says what it skipped', async () => {
    const io = await testIO();
    const a = createRun(planOf(tinyAutoencoder({ epochs: 50 })), { io, backend: 'cpu' });
    await a.start();
    await a.finished;
    const weights = await a.getWeights();
    await a.dispose();
    const b = createRun(planOf(tinyAutoencoder({ epochs: 50, units: [12] })), { io, backend: 'cpu', initialWeights: weights });
    const events: string[] = [];
    b.events$.subscribe((e) => { if (e.type === 'warm-start') events.push(`${e.loaded.length} loaded, ${e.skipped.length} skipped`); });
    const c = createRun(planOf(tinyAutoencoder({ epochs: 50 })), { io, backend: 'cpu', initialWeights: weights });
    const loadedC = await c.getWeights();
    expect(Array.from(loadedC.enc!['dense0/kernel']!.values)).to.deep.equal(Array.from(weights.enc!['dense0/kernel']!.values));
    await b.getWeights();
    expect(events).to.have.length(1);
    expect(events[0]).to.match(/^2 loaded, 6 skipped$/); // the latent head changed its input size too
    await b.dispose();
    await c.dispose();
  });

  it('evaluates metric nodes on demand and streams them to subscribers', async () => {
    const run = createRun(planOf(tinyAutoencoder({ epochs: 20 })), { io: await testIO(), backend: 'cpu', outputThrottleMs: 0 });
    const seen: unknown[] = [];
    const sub = run.output$('errors').subscribe((v) => seen.push(v));
    await run.start();
    await run.finished;
    await new Promise((r) => setTimeout(r, 20));
    sub.unsubscribe();
    expect(seen.length).to.be.greaterThan(0);
    const result = (await run.evaluate('errors')) as { perSample: number[]; labels: string[] };
    expect(result.perSample).to.have.length(8);
    expect(result.labels.slice(0, 3)).to.deep.equal(['`', 'a', 'b']);
    await run.dispose();
  });
});

describe('views of a training run', () => {
  it('recompute an output only when what it reads changed: the dataset once, the model\'s errors as it trains', async () => {
    const run = createRun(planOf(tinyAutoencoder({ epochs: 100 })), { io: await testIO(), backend: 'cpu', outputThrottleMs: 0, metricsEvery: 10 });
    const data: unknown[] = [];
    const errors: unknown[] = [];
    const subs = [run.output$('data', 'x').subscribe((v) => data.push(v)), run.output$('errors').subscribe((v) => errors.push(v))];
    await run.start();
    await run.finished;
    await new Promise((r) => setTimeout(r, 50));
    expect(data).to.have.length(1);
    expect(errors.length).to.be.greaterThan(3);
    // A late subscriber gets the current value at once, without a new evaluation.
    const late: unknown[] = [];
    subs.push(run.output$('data', 'x').subscribe((v) => late.push(v)));
    expect(late).to.deep.equal(data);
    for (const s of subs) s.unsubscribe();
    await run.dispose();
  });

  it('a live param recomputes the outputs downstream of it, also while paused, and no others', async () => {
    const doc = loadGraph(await readRepoFile('graphs/font-dae.json'), registry).doc!;
    const run = createRun(planOf(doc), { io: await testIO(), backend: 'cpu', outputThrottleMs: 0 });
    const noisy: unknown[] = [];
    const clean: unknown[] = [];
    const subs = [run.output$('noise', 'x').subscribe((v) => noisy.push(v)), run.output$('data', 'x').subscribe((v) => clean.push(v))];
    await run.step(3);
    await new Promise((r) => setTimeout(r, 50));
    expect([noisy.length, clean.length]).to.deep.equal([1, 1]);
    expect(run.setParam('noise', 'p', 0.4)).to.equal(null);
    await new Promise((r) => setTimeout(r, 100));
    expect([noisy.length, clean.length]).to.deep.equal([2, 1]);
    for (const s of subs) s.unsubscribe();
    await run.dispose();
  });
});

describe('views of one model', () => {
  it("share their noise: a DAE's histogram and its reconstructions count the same wrong pixels", async () => {
    const doc = loadGraph(await readRepoFile('graphs/font-dae.json'), registry).doc!;
    const run = createRun(planOf(doc), { io: await testIO(), backend: 'cpu', outputThrottleMs: 0 });
    // Trained a little: some glyphs still have wrong pixels, so the counts depend on the noise drawn.
    await run.step(60);
    const first = <T>(node: string) => firstValueFrom(run.output$(node).pipe(filter((v): v is T & Json => v !== null)));
    const [metric, view] = await Promise.all([
      first<{ perSample: number[] }>('errors'),
      first<{ wrong: number[]; noisy: number[][] }>('side'),
    ]);
    expect(view.wrong.reduce((a, b) => a + b, 0), 'some wrong pixels to compare').to.be.greaterThan(0);
    expect(view.wrong).to.deep.equal(metric.perSample.slice(0, view.wrong.length));
    // An evaluation of its own (a metric read at the end) draws noise of its own.
    const own = (await run.evaluate('errors')) as { perSample: number[] };
    expect(own.perSample).to.not.deep.equal(metric.perSample);
    await run.dispose();
  });
});

describe('views of a run that trains', () => {
  const reconstructions = (v: unknown) => JSON.stringify((v as { rows: number[][] }).rows);

  it('wait for its first step: the first progress comes before the model is drawn, which is then no longer the untrained one', async () => {
    const plan = planOf(tinyAutoencoder({ epochs: 50 }));
    // The untrained model, as an idle run (not training) draws it at once.
    const idle = createRun(plan, { io: await testIO(), backend: 'cpu', outputThrottleMs: 0 });
    const untrained = reconstructions(await firstValueFrom(idle.output$('dec', 'x')));
    expect((await firstValueFrom(idle.status$)).state).to.equal('idle');
    await idle.dispose();

    const run = createRun(plan, { io: await testIO(), backend: 'cpu', outputThrottleMs: 0, metricsEvery: 5 });
    let progressStep = 0;
    run.progress$.subscribe((p) => (progressStep = p?.step ?? progressStep));
    const drawn: { value: string; afterStep: number }[] = [];
    const sub = run.output$('dec', 'x').subscribe((v) => drawn.push({ value: reconstructions(v), afterStep: progressStep }));
    await run.start();
    await run.finished;
    await firstValueFrom(run.output$('dec', 'x'));
    sub.unsubscribe();
    expect(drawn.length).to.be.greaterThan(0);
    expect(drawn[0]!.afterStep).to.be.greaterThan(0);
    expect(drawn[0]!.value === untrained, 'the first drawing is the untrained model').to.equal(false);
    await run.dispose();
  });

  it('are drawn when it pauses before its first step', async () => {
    const run = createRun(planOf(tinyAutoencoder({ epochs: 50 })), { io: await testIO(), backend: 'cpu', outputThrottleMs: 0 });
    const drawn: unknown[] = [];
    const sub = run.output$('dec', 'x').subscribe((v) => drawn.push(v));
    await run.start();
    await run.pause();
    await firstValueFrom(run.status$.pipe(filter((s) => s.state === 'paused')));
    await firstValueFrom(run.output$('dec', 'x'));
    expect(run.history().steps).to.have.length(0);
    expect(drawn).to.have.length(1);
    sub.unsubscribe();
    await run.dispose();
  });
});

describe('evaluating a node that reads only a model', () => {
  it('runs what is upstream of it on one sample, whatever the number of samples', async () => {
    // Bytes the evaluation's kernels allocate: what it computed, freed or not.
    const bytesFor = async (limit: number) => {
      const doc = tinyAutoencoder({ limit });
      doc.nodes.push({ id: 'grid', kind: 'infer.grid', kindVersion: 1, params: { n: 3, extent: [-1, 1, -1, 1], dims: [0, 1] } } as (typeof doc.nodes)[number]);
      doc.edges.push({ id: 'eg', from: { node: 'dec', socket: 'model' }, to: { node: 'grid', socket: 'decoder' } });
      const run = createRun(planOf(doc), { io: await testIO(), backend: 'cpu' });
      await run.evaluate('grid'); // builds the run, loads the samples
      const profile = await tf.profile(() => run.evaluate('grid').then(() => []));
      await run.dispose();
      return profile.kernels.reduce((a, k) => a + k.bytesAdded, 0);
    };
    expect(await bytesFor(32)).to.equal(await bytesFor(4));
  });
});

describe('compiling a graph', () => {
  it('refuses a decoder whose output size differs from the input, with a problem on the decoder', () => {
    const result = compile(tinyAutoencoder({ outputSize: 30 }), registry);
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    const p = result.problems.find((q) => q.severity === 'error')!;
    expect(p.nodeId).to.equal('dec');
    expect(p.message).to.match(/gives 30 values per sample, but the target has 35/);
  });

  it('gives the same structure hash for live edits and a new one for structural edits', () => {
    const a = planOf(tinyAutoencoder({ lr: 0.01 })).structureHash;
    expect(planOf(tinyAutoencoder({ lr: 0.5 })).structureHash).to.equal(a);
    expect(planOf(tinyAutoencoder({ units: [12] })).structureHash).not.to.equal(a);
  });

  it('keeps the structure hash when a comment or a frame is added (saved weights still fit)', () => {
    const doc = tinyAutoencoder();
    const a = planOf(doc).structureHash;
    doc.nodes.push(
      { id: 'why', kind: 'note.comment', kindVersion: 1, params: { text: 'a note', sweep: '' } },
      { id: 'box', kind: 'note.frame', kindVersion: 1, params: { title: 'Encoder side', color: 'green' } },
    );
    doc.nodes.find((n) => n.id === 'enc')!.ui = { position: [0, 0], parent: 'box' };
    expect(planOf(doc).structureHash).to.equal(a);
  });
});

describe('a paused run writing a checkpoint', () => {
  it('stops when told to while the checkpoint is still being written', async () => {
    let release!: () => void;
    const written = new Promise<void>((r) => (release = r));
    let checkpoints = 0;
    const run = createRun(planOf(tinyAutoencoder({ epochs: 100_000 })), {
      io: await testIO(), backend: 'cpu',
      onCheckpoint: async () => {
        checkpoints++;
        if (checkpoints === 1) await written; // a slow storage write
      },
    });
    await run.step(1);
    const stopped = run.stop();
    release();
    await stopped;
    expect((await run.finished).state).to.equal('stopped');
    await run.dispose();
  });
});

describe('resuming from a checkpoint', () => {
  it('continues the step and epoch count from where the checkpoint was taken', async () => {
    const io = await testIO();
    const saved: Checkpoint[] = [];
    const first = createRun(planOf(tinyAutoencoder({ epochs: 40 })), { io, backend: 'cpu', checkpointEvery: 20, onCheckpoint: (c) => void saved.push(c) });
    await first.step(25);
    await first.stop();
    await first.dispose();
    const last = saved.at(-1)!;
    expect(last.step).to.equal(25);
    const resumed = createRun(planOf(tinyAutoencoder({ epochs: 40 })), { io, backend: 'cpu', initialWeights: last.weights, startStep: last.step });
    await resumed.start();
    const status = await resumed.finished;
    expect(status.state).to.equal('done');
    const h = resumed.history();
    expect(h.steps[0]).to.equal(25);
    expect(h.steps.at(-1)).to.equal(39);
    await resumed.dispose();
  });
});

describe('resuming with the optimizer state', () => {
  it('continues as if never interrupted (to float rounding): Adam\'s moments, the step count and the loss history carry over', async () => {
    const io = await testIO();
    const before = tf.memory().numTensors;
    const straight = createRun(planOf(tinyAutoencoder({ epochs: 40 })), { io, backend: 'cpu' });
    await straight.start();
    await straight.finished;
    const expected = straight.history();
    await straight.dispose();

    const saved: Checkpoint[] = [];
    const first = createRun(planOf(tinyAutoencoder({ epochs: 40 })), { io, backend: 'cpu', onCheckpoint: (c) => void saved.push(c) });
    await first.step(25);
    await first.stop();
    await first.dispose();
    const cp = saved.at(-1)!;
    expect(cp.optimizer?.optimizer).to.equal('adam');
    expect(cp.optimizer?.iterations).to.equal(25);

    const events: string[] = [];
    const resumed = createRun(planOf(tinyAutoencoder({ epochs: 40 })), { io, backend: 'cpu', initialWeights: cp.weights, startStep: cp.step, optimizerState: cp.optimizer, history: cp.history });
    resumed.events$.subscribe((e) => e.type === 'optimizer-state' && events.push(String(e.restored)));
    await resumed.start();
    await resumed.finished;
    const h = resumed.history();
    expect(events).to.deep.equal(['true']);
    expect(h.steps).to.deep.equal(expected.steps);
    // Equal up to float rounding (tfjs recomputes Adam's beta powers from the step count).
    expect(maxRelDiff(h.total, expected.total)).to.be.lessThan(1e-5);
    await resumed.dispose();

    // Without the state the moments restart, and the losses after the resume differ far more.
    const fresh = createRun(planOf(tinyAutoencoder({ epochs: 40 })), { io, backend: 'cpu', initialWeights: cp.weights, startStep: cp.step });
    await fresh.start();
    await fresh.finished;
    expect(maxRelDiff(fresh.history().total, expected.total.slice(25))).to.be.greaterThan(1e-3);
    await fresh.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('starts the optimizer afresh, and says why, when the state does not fit', async () => {
    const io = await testIO();
    const saved: Checkpoint[] = [];
    const first = createRun(planOf(tinyAutoencoder({ epochs: 40 })), { io, backend: 'cpu', onCheckpoint: (c) => void saved.push(c) });
    await first.step(5);
    await first.stop();
    await first.dispose();
    const state = saved.at(-1)!.optimizer!;
    const reasons: string[] = [];
    for (const [doc, st] of [
      [tinyAutoencoder({ epochs: 10, trainer: { optimizer: 'sgd' } }), state],
      [tinyAutoencoder({ epochs: 10 }), { ...state, slots: state.slots.slice(1) }],
    ] as const) {
      const run = createRun(planOf(doc), { io, backend: 'cpu', optimizerState: st });
      run.events$.subscribe((e) => e.type === 'optimizer-state' && !e.restored && reasons.push(e.reason!));
      await run.step(2);
      expect(run.history().total.every(Number.isFinite)).to.equal(true);
      await run.dispose();
    }
    expect(reasons[0]).to.match(/saved by adam, and the trainer now uses sgd/);
    expect(reasons[1]).to.match(/slots for \d+ weights/);
  });
});

describe('decoding chosen codes', () => {
  it('turns latent points into images with the decoder\'s current weights, and refuses points of the wrong size', async () => {
    const before = tf.memory().numTensors;
    const run = createRun(planOf(tinyAutoencoder({ epochs: 10 })), { io: await testIO(), backend: 'cpu' });
    await run.step(5);
    const images = (await run.decode('dec', [[0, 0], [1.5, -0.5]])) as { kind: string; image: number[]; count: number; pixels: number[][] };
    expect(images.kind).to.equal('images');
    expect(images.image).to.deep.equal([7, 5, 1]);
    expect(images.count).to.equal(2);
    expect(images.pixels[1]).to.have.length(35);
    expect(images.pixels.flat().every((v) => v >= 0 && v <= 1)).to.equal(true);
    let refused = '';
    await run.decode('dec', [[1, 2, 3]]).catch((e: Error) => (refused = e.message));
    expect(refused).to.match(/points of 2 finite numbers/);
    await run.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });
});
