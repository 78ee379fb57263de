// Issue 12, bugs 3 and 4: a reopened graph shows its kept run history (loss curve, bundle metrics)
// without claiming a warm start; no ETA once stopped; a graph without a trainer is a Problem.
import { expect } from '@esm-bundle/chai';
import { BehaviorSubject, NEVER, of } from 'rxjs';
import { registry } from '../../nodes';
import { nothingToTrain, type GraphDoc } from '../../src/graph';
import type { Progress, Run, RunStatus } from '../../src/runtime/types';
import { deleteLibrary, listWeights, readBundle } from '../../src/store';
import { fetchedPresets, type LfApp, type LfLossCurve } from '../../src/ui';
import { mountApp, until, wasmStartRun } from '../helpers/app';
import '../../src/ui';

const hint = (app: LfApp) => app.shadowRoot!.querySelector('.hint')?.textContent ?? '';

describe('lf-app: what a reopened graph and a finished run show', () => {
  const dbs: string[] = [];
  const apps: LfApp[] = [];
  const mount = async (db: string) => {
    const app = await mountApp({ dbName: db, autosaveDelay: 50 });
    apps.push(app);
    if (!dbs.includes(db)) dbs.push(db);
    return app;
  };
  /** Opens the app on `db`, trains at least `steps` steps, stops, waits until the weights are kept, closes it; the steps trained. */
  const trainAndClose = async (db: string, steps: number) => {
    const app = await mount(db);
    await app.session.act('train');
    await until(() => (app.run?.history().steps.length ?? 0) >= steps, 60_000, 'some training');
    await app.run!.stop();
    await app.run!.finished;
    await app.saved;
    await until(async () => (await listWeights(app.library!, app.graphId!)).length > 0, 30_000, 'saved weights');
    const trained = app.run!.history().steps.length;
    app.remove();
    await app.document.closed;
    app.library?.close();
    return trained;
  };
  afterEach(async () => {
    for (const app of apps.splice(0)) { app.remove(); app.library?.close(); }
    for (const db of dbs.splice(0)) await deleteLibrary(db);
  });

  it('after a reload the loss curve shows the kept run history, an exported bundle carries it, and no warm start is announced', async function () {
    this.timeout(180_000);
    const db = `lf-reopen-${Math.random().toString(36).slice(2)}`;
    const trainedSteps = await trainAndClose(db, 20);

    const again = await mount(db);
    const views = again.shadowRoot!.querySelector('lf-views')!;
    const curve = () => views.shadowRoot!.querySelector<LfLossCurve>('[data-view=curve] lf-loss-curve');
    await until(() => (curve()?.pointCount ?? 0) >= trainedSteps, 30_000, 'the kept loss history on the curve');
    expect(hint(again)).to.not.match(/warm start/i);

    // The bundle written now (no training since the reload) carries the history as metrics.json.
    const blobs: Blob[] = [];
    const original = URL.createObjectURL;
    URL.createObjectURL = (b: Blob | MediaSource) => { blobs.push(b as Blob); return original.call(URL, b); };
    try {
      await again.share('bundle');
    } finally {
      URL.createObjectURL = original;
    }
    expect(blobs).to.have.length(1);
    const read = await readBundle(new Uint8Array(await blobs[0]!.arrayBuffer()), registry);
    expect(read.ok).to.equal(true);
    const metrics = (read as { metrics: { steps: number[] } }).metrics;
    expect(metrics.steps.length).to.be.at.least(trainedSteps);
  });

  it('Train pressed while a reopened graph is still loading its trained model: the training run wins and the preview run is freed', async function () {
    this.timeout(180_000);
    const db = `lf-race-${Math.random().toString(36).slice(2)}`;
    await trainAndClose(db, 5);

    // Reopened: the preview run (the trained model for the views) takes its time to start, as on a busy machine.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const runs: Run[] = [];
    let calls = 0;
    const again = document.createElement('lf-app');
    again.catalog = registry;
    again.presets = fetchedPresets(['font-ae']);
    again.dbName = db;
    again.startRun = async (text, options) => {
      if (calls++ === 0) await held;
      const r = await wasmStartRun(text, options);
      if ('status$' in r) runs.push(r);
      return r;
    };
    again.style.cssText = 'display: grid; width: 1280px; height: 720px;';
    document.body.append(again);
    apps.push(again);
    await until(() => calls === 1, 30_000, 'the preview run asked for');
    const train = again.session.act('train');
    release();
    await train;
    await again.ready;
    await until(() => (again.run?.history().steps.length ?? 0) > 0, 60_000, 'the training run training');
    expect(runs).to.have.length(2);
    expect(again.run).to.equal(runs[1]);
    expect(again.session.state).to.equal('running');
    // The preview run came back after Train was asked for: it was freed, never shown.
    await until(async () => !!(await runs[0]!.getWeights().then(() => false, () => true)), 15_000, 'the preview run disposed');
    await again.run!.stop();
  });

  it('Train on a graph that cannot run keeps the last run and its views (they went blank, and stayed blank after undo)', async function () {
    this.timeout(120_000);
    const app = await mount(`lf-refused-${Math.random().toString(36).slice(2)}`);
    await app.session.act('train');
    await until(() => (app.run?.history().steps.length ?? 0) >= 5, 60_000, 'some training');
    await app.run!.stop();
    await app.run!.finished;
    const trained = app.run;
    const edge = app.editor!.getDoc().edges.find((e) => e.to.node === 'train')!;
    await app.editor!.disconnect(edge.id);
    await app.session.act('train');
    await app.updateComplete;
    expect(hint(app)).to.equal('The graph cannot run yet: see Problems');
    expect(app.run, 'the trained run is still the one shown').to.equal(trained);
    expect(app.problems.some((p) => p.severity === 'error')).to.equal(true);
  });

  it('a graph without a trainer is a Problem, and Train says there is nothing to train', async () => {
    const app = await mount(`lf-notrain-${Math.random().toString(36).slice(2)}`);
    const doc = app.editor!.getDoc();
    const noTrainer = { ...doc, nodes: doc.nodes.filter((n) => n.kind !== 'train.optimizer'), edges: doc.edges.filter((e) => e.to.node !== 'train') } as GraphDoc;
    await app.openText(JSON.stringify(noTrainer));
    await until(() => app.problems.some((p) => p.message === nothingToTrain), 5000, 'the problem');
    await app.updateComplete;
    expect(app.shadowRoot!.querySelector('lf-problems')!.shadowRoot!.textContent).to.contain('nothing to train');
    await app.session.act('train');
    await app.updateComplete;
    expect(hint(app)).to.match(/^Nothing to train: add a trainer/);
    expect(app.run).to.equal(null);
  });
});

describe('lf-run-controls after Stop', () => {
  it('shows no ETA once the run stopped (it does while running)', async () => {
    const status$ = new BehaviorSubject<RunStatus>({ state: 'running' } as RunStatus);
    const progress: Progress = { epoch: 3, epochs: 10, step: 30, stepsPerEpoch: 10, totalSteps: 100, stepsPerSec: 10, samplesPerSec: 320, etaSeconds: 54, lr: 0.01 };
    const run = { status$, progress$: of(progress), events$: NEVER, backend: 'wasm' } as unknown as Run;
    const controls = document.createElement('lf-run-controls');
    controls.run = run;
    document.body.append(controls);
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 20)));
    await frame();
    await controls.updateComplete;
    expect(controls.shadowRoot!.textContent).to.contain('ETA 54 s');
    // The backend badge says where training runs in words, not 'tfjs backend'.
    expect(controls.shadowRoot!.querySelector('.badge')!.getAttribute('title')).to.equal('Training runs on the CPU, as WebAssembly.');
    status$.next({ state: 'stopped', reason: 'stopped by the user' } as RunStatus);
    await frame();
    await controls.updateComplete;
    expect(controls.shadowRoot!.textContent).to.contain('stopped');
    expect(controls.shadowRoot!.textContent).to.not.contain('ETA');
    controls.remove();
  });
});
