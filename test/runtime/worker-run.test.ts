// Browser test: the font AE trains in the dedicated Worker (src/ui/worker-run.ts ↔ src/runtime/worker.ts) and the
// main thread stays free. This page imports no tfjs: all training math happens in the Worker.
import { expect } from '@esm-bundle/chai';
import { filter, firstValueFrom, take } from 'rxjs';
import type { Json } from '../../src/graph';
import type { MetricsBatch, Progress, RunStatus } from '../../src/runtime/types';
import { createWorkerRun, type WorkerRun, type WorkerRunOptions } from '../../src/ui/worker-run';

const wasmPath = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';
const base: WorkerRunOptions = { backend: 'wasm', wasmPath, dataBase: '/public/' };

let fontAe = '';
const runs: WorkerRun[] = [];

async function open(graph: string, options: WorkerRunOptions = {}): Promise<WorkerRun> {
  const res = await createWorkerRun(graph, { ...base, ...options });
  if (!res.ok) throw new Error(`refused: ${res.problems.map((p) => p.message).join('; ')}`);
  runs.push(res.run);
  return res.run;
}

/** Resolves at the first status in `states`; rejects (with the reason) if the run fails first. */
const untilState = (run: WorkerRun, ...states: RunStatus['state'][]) =>
  firstValueFrom(run.status$.pipe(filter((s) => states.includes(s.state) || s.state === 'failed'))).then((s) => {
    if (s.state === 'failed' && !states.includes('failed')) throw new Error(`the run failed: ${s.reason}`);
    return s;
  });

/** Progress is reported with each metrics read-back (every `metricsEvery` steps); rejects if the run ends first. */
const untilStep = async (run: WorkerRun, step: number): Promise<Progress> => {
  const first = await Promise.race([
    firstValueFrom(run.progress$.pipe(filter((p): p is Progress => !!p && p.step >= step))),
    run.finished,
  ]);
  if ('state' in first) throw new Error(`the run ended (${first.state}: ${first.reason}) before step ${step}`);
  return first;
};

/** The latest status (status$ replays it synchronously). */
function current(run: WorkerRun): RunStatus {
  let status: RunStatus | undefined;
  run.status$.subscribe((s) => (status = s)).unsubscribe();
  return status!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('training in a Worker (worker-run)', function () {
  this.timeout(180_000);

  before(async () => {
    const res = await fetch('/graphs/font-ae.json');
    fontAe = await res.text();
  });

  afterEach(async () => {
    for (const r of runs.splice(0)) await r.dispose();
  });

  it('brings the test loss of a held-out split across, in the batches and in history()', async () => {
    const doc = JSON.parse(fontAe) as { nodes: { kind: string; params: Record<string, unknown> }[] };
    Object.assign(doc.nodes.find((n) => n.kind === 'train.optimizer')!.params, { testSplit: 0.25, testEvery: 10 });
    const run = await open(JSON.stringify(doc), { epochs: 50 });
    const batches: MetricsBatch[] = [];
    run.metrics$.subscribe((b) => batches.push(b));
    await run.start();
    await untilState(run, 'done');
    const test = run.history().test!;
    expect(test.epochs).to.deep.equal([9, 19, 29, 39, 49]);
    expect(test.total.every(Number.isFinite)).to.equal(true);
    expect(batches.flatMap((b) => b.test?.epochs ?? [])).to.deep.equal(test.epochs);
    const errors = (await run.evaluate('errors')) as { heldOut?: number[] };
    expect(errors.heldOut).to.have.length(8);
  });

  it('trains the font AE on wasm for 300 steps without long tasks on the main thread', async () => {
    const run = await open(fontAe, { epochs: 300, metricsEvery: 20 });
    const batches: MetricsBatch[] = [];
    const progress: Progress[] = [];
    run.metrics$.subscribe((b) => batches.push(b));
    run.progress$.subscribe((p) => p && progress.push(p));

    const longTasks: { start: number; duration: number }[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
    });
    await run.start();
    await untilState(run, 'running');
    // Observe from the moment the Worker trains: page setup and module loading are not training.
    observer.observe({ type: 'longtask', buffered: false });
    const t0 = performance.now();
    const status = await run.finished;
    const seconds = (performance.now() - t0) / 1000;
    await sleep(100); // let the observer deliver the last entries
    observer.disconnect();

    expect(status.state, status.reason).to.equal('done');
    expect(status.step).to.equal(300);
    expect(run.backend).to.equal('wasm');
    expect(batches.length, 'metrics arrive in batches').to.be.greaterThan(5);
    expect(batches.every((b) => b.steps.length <= 20)).to.equal(true);
    const h = run.history();
    expect(h.steps.length).to.equal(300);
    expect(h.steps[0]).to.equal(0);
    expect(h.total.every(Number.isFinite)).to.equal(true);
    const first = h.total[0]!;
    const last = h.total.at(-1)!;
    expect(last, `loss ${first} → ${last}`).to.be.lessThan(first * 0.5);
    expect(h.terms.recon).to.have.length(300);
    const p = progress.at(-1)!;
    expect(p.samplesPerSec).to.be.greaterThan(0);
    expect(p.stepsPerSec).to.be.greaterThan(0);
    expect(p.totalSteps).to.equal(300);

    const errors = (await run.evaluate('errors')) as { kind: string; perSample: number[]; mean: number; max: number };
    expect(errors.kind).to.equal('pixel-errors');
    expect(errors.perSample).to.have.length(32);

    const max = longTasks.reduce((m, t) => Math.max(m, t.duration), 0);
    console.log(`worker/wasm: 300 steps in ${seconds.toFixed(2)} s = ${(300 / seconds).toFixed(0)} steps/s ` +
      `(progress$ ${p.stepsPerSec.toFixed(0)} steps/s, ${p.samplesPerSec.toFixed(0)} samples/s); loss ${first.toFixed(4)} → ${last.toFixed(4)}; ` +
      `pixel errors mean ${errors.mean.toFixed(2)} max ${errors.max}; main-thread long tasks: ${longTasks.length}, max ${max.toFixed(0)} ms`);
    expect(longTasks.filter((t) => t.duration > 50), JSON.stringify(longTasks)).to.deep.equal([]);
  });

  it('pauses, steps, resumes and stops', async () => {
    const run = await open(fontAe, { epochs: 100_000 });
    await run.start();
    await untilStep(run, 40);
    await run.pause();
    const paused = await untilState(run, 'paused');
    await sleep(300);
    expect(current(run).state).to.equal('paused');
    expect(current(run).step, 'no steps while paused').to.equal(paused.step);
    expect(run.history().steps.at(-1), 'metrics flushed on pause').to.equal(paused.step - 1);

    await run.step(5);
    expect(current(run).state).to.equal('paused');
    expect(current(run).step).to.equal(paused.step + 5);

    run.resume();
    await untilStep(run, paused.step + 40);
    expect(current(run).state).to.equal('running');

    await run.stop();
    const status = await run.finished;
    expect(status.state).to.equal('stopped');
    const stoppedAt = status.step;
    await sleep(200);
    expect(current(run).step).to.equal(stoppedAt);
    // Trained weights stay usable until dispose.
    const errors = (await run.evaluate('errors')) as { perSample: number[] };
    expect(errors.perSample).to.have.length(32);
  });

  it('forwards live params, output$ subscriptions and weights', async () => {
    const run = await open(fontAe, { epochs: 100_000, outputThrottleMs: 50 });
    expect(run.params('train')?.lr).to.equal(0.005);
    expect(run.setParam('train', 'lr', -1)?.message).to.match(/params\.lr/);
    expect(run.setParam('enc', 'units', [4])?.message).to.match(/structure/);
    expect(run.setParam('nope', 'lr', 1)?.message).to.match(/no param/);
    const paramEvent = firstValueFrom(run.events$.pipe(filter((e) => e.type === 'param')));
    expect(run.setParam('train', 'lr', 0)).to.equal(null);
    expect(run.params('train')?.lr).to.equal(0);
    expect(await paramEvent).to.deep.include({ nodeId: 'train', name: 'lr', value: 0 });

    const values: Json[] = [];
    const sub = run.output$('errors').subscribe((v) => values.push(v));
    await run.step(30);
    const before = await run.getWeights();
    await run.step(30);
    const after = await run.getWeights();
    expect(Object.keys(before)).to.include.members(['enc', 'code', 'dec']);
    for (const [id, vars] of Object.entries(before)) {
      for (const [name, w] of Object.entries(vars)) {
        expect(w.values).to.be.instanceOf(Float32Array);
        expect(w.values.length).to.equal(w.shape.reduce((a, b) => a * b, 1));
        expect(Array.from(after[id]![name]!.values), `${id}/${name} with lr 0`).to.deep.equal(Array.from(w.values));
      }
    }
    await sleep(100);
    expect(values.length, 'output$ delivered values').to.be.greaterThan(0);
    expect((values.at(-1) as { kind: string }).kind).to.equal('pixel-errors');
    sub.unsubscribe();

    // setWeights round trip: zeroed weights go in, and come back.
    const zero = Object.fromEntries(Object.entries(before).map(([id, vars]) => [id,
      Object.fromEntries(Object.entries(vars).map(([n, w]) => [n, { shape: w.shape, values: new Float32Array(w.values.length) }]))]));
    const result = await run.setWeights(zero);
    expect(result.skipped).to.deep.equal([]);
    expect(result.loaded.length).to.equal(Object.values(before).reduce((n, v) => n + Object.keys(v).length, 0));
    const back = await run.getWeights();
    expect(Object.values(back).every((vars) => Object.values(vars).every((w) => w.values.every((x) => x === 0)))).to.equal(true);
  });

  it('refuses a graph that does not load, with problems', async () => {
    const res = await createWorkerRun('{"format": "something else"}', base);
    expect(res.ok).to.equal(false);
    if (!res.ok) expect(res.problems[0]!.message).to.match(/not a latentflow graph/);
  });

  it('reports an error inside the Worker as a failed status', async () => {
    const run = await open(fontAe, { dataBase: '/no-such-dir/' });
    await run.start();
    const status = await run.finished;
    expect(status.state).to.equal('failed');
    expect(status.reason).to.match(/could not load datasets\/font-7x5\.json: HTTP 404/);
  });

  it('dispose terminates the Worker and completes the streams', async () => {
    const run = await open(fontAe, { epochs: 100_000 });
    await run.start();
    await untilStep(run, 10);
    let completed = false;
    run.metrics$.subscribe({ complete: () => (completed = true) });
    runs.splice(runs.indexOf(run), 1);
    await run.dispose();
    expect(completed).to.equal(true);
    expect((await run.finished).state).to.equal('stopped');
    let error: unknown;
    await run.getWeights().catch((e: unknown) => (error = e));
    expect(String(error)).to.match(/disposed/);
    // The AbortSignal path disposes as well.
    const ac = new AbortController();
    const res = await createWorkerRun(fontAe, { ...base, epochs: 100_000, signal: ac.signal });
    if (!res.ok) throw new Error('refused');
    await res.run.start();
    await firstValueFrom(res.run.metrics$.pipe(take(1)));
    ac.abort();
    expect((await res.run.finished).state).to.equal('stopped');
  });
});
