import { expect } from '@esm-bundle/chai';
import { filter, firstValueFrom } from 'rxjs';
import type { Run } from '../../src/runtime/types';
import { createWorkerRun } from '../../src/ui/worker-run';
import { trainSeedsInWorker } from '../../src/ui/worker-seeds';
import type { LfSeedCompare, SeedRunFactory, SeedsTogether } from '../../src/ui';
import '../../src/ui';
import type { LfLossCurve } from '../../src/ui/loss-curve';
import type { LfResultView } from '../../src/ui/result-view';
import type { PointsResult } from '../../nodes/results';
import { mountApp, unmountApp, until } from '../helpers/app';

const wasmPath = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';

async function factory(epochs: number): Promise<SeedRunFactory> {
  const text = await (await fetch('/graphs/font-ae.json')).text();
  return async (seed) => {
    const r = await createWorkerRun(text, { seed, epochs, backend: 'wasm', wasmPath, dataBase: '/public/' });
    return r.ok ? r.run : r.problems.map((p) => p.message).join('; ');
  };
}

/** Seeds as one program in a Worker on wasm, the graph file trained for `epochs`. */
async function together(file: string, epochs: number): Promise<SeedsTogether> {
  const text = await (await fetch(file)).text();
  return async (seeds, o) => {
    const r = await trainSeedsInWorker(text, seeds, { ...o, epochs, backend: 'wasm', wasmPath, dataBase: '/public/' });
    return 'problems' in r ? r.problems.map((p) => p.message).join('; ') : r;
  };
}

describe('lf-seed-compare', () => {
  let el: LfSeedCompare;
  beforeEach(() => {
    el = document.createElement('lf-seed-compare');
    document.body.append(el);
  });
  afterEach(() => el.remove());

  it('trains one Worker run per seed and shows each run and mean ± std of the losses and metrics', async function () {
    this.timeout(120_000);
    el.startRun = await factory(150);
    el.metricNodes = ['errors'];
    el.firstSeed = 4;
    el.count = 3;
    const runs = await el.compare();
    expect(runs.map((r) => [r.seed, r.state, r.steps])).to.deep.equal([[4, 'done', 150], [5, 'done', 150], [6, 'done', 150]]);
    expect(el.summary['errors.exact']!.n).to.equal(3);
    expect(el.summary.loss!.std).to.be.greaterThan(0);
    await el.updateComplete;
    // Metrics as rows (human names), mean ± std and the range as columns; each run behind a toggle.
    el.names = { errors: 'Pixel errors' };
    await el.updateComplete;
    const rows = [...el.shadowRoot!.querySelectorAll('table.summary tr')].map((tr) => tr.textContent ?? '');
    expect(rows[0]).to.match(/over 3 runs\s*mean ± std/);
    expect(el.shadowRoot!.querySelector('[data-key="errors.exact"]')!.textContent).to.match(/Pixel errors: exact samples\s*\d+(\.\d+)? ± /);
    expect(el.shadowRoot!.querySelector('[data-key="errors.threshold"]')).to.equal(null);
    expect(el.shadowRoot!.querySelector('table.each')).to.equal(null);
    el.shadowRoot!.querySelector<HTMLButtonElement>('button.link')!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('table.each tr')).to.have.length(4);
    // The summary fits the side panel's width (no sideways scrolling).
    el.style.width = '300px';
    const table = el.shadowRoot!.querySelector<HTMLElement>('table.summary')!;
    expect(table.scrollWidth).to.be.at.most(300);
    // Another graph opens: the comparison is cleared.
    el.graphKey = 'another';
    await el.updateComplete;
    expect(el.runs).to.have.length(0);
    expect(el.shadowRoot!.querySelector('table')).to.equal(null);
  });

  it('stops the run in progress and trains no further seeds', async function () {
    this.timeout(60_000);
    const start = await factory(1_000_000);
    let started!: (run: Run) => void;
    const first = new Promise<Run>((resolve) => (started = resolve));
    el.startRun = async (seed) => {
      const run = await start(seed);
      if (typeof run !== 'string') started(run);
      return run;
    };
    el.count = 4;
    const done = el.compare();
    // Stop once the first seed's run is training (its first progress report).
    const run = await first;
    await firstValueFrom(run.progress$.pipe(filter((p) => !!p && p.step > 0)));
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLButtonElement>('button')!.click();
    const runs = await done;
    expect(runs).to.have.length(1);
    expect(runs[0]!.state).to.equal('stopped');
  });

  it('trains the seeds together in one Worker where the graph allows: each seed\'s numbers those of its own run', async function () {
    this.timeout(180_000);
    el.metricNodes = ['errors'];
    el.firstSeed = 4;
    el.count = 3;
    el.startRun = await factory(120);
    const inTurn = await el.compare();
    expect(el.how, 'without startSeeds').to.equal('');
    el.startSeeds = await together('/graphs/font-ae.json', 120);
    let lone = 0;
    const startRun = el.startRun;
    el.startRun = async (seed) => (lone++, startRun(seed));
    const batched = await el.compare();
    expect(lone, 'lone runs started').to.equal(0);
    expect(batched.map((r) => [r.seed, r.state, r.steps, r.loss, r.scalars])).to.deep.equal(inTurn.map((r) => [r.seed, r.state, r.steps, r.loss, r.scalars]));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.how')!.textContent).to.contain('Trained all 3 seeds at once');
  });

  it('trains the seeds one after another, saying why, where a node has no seed-batched form', async function () {
    this.timeout(120_000);
    el.metricNodes = [];
    el.count = 2;
    const text = await (await fetch('/test/fixtures/seeds/batch-norm-ae.json')).text();
    el.startRun = async (seed) => {
      const r = await createWorkerRun(text, { seed, epochs: 20, backend: 'wasm', wasmPath, dataBase: '/public/' });
      return r.ok ? r.run : r.problems.map((p) => p.message).join('; ');
    };
    el.startSeeds = await together('/test/fixtures/seeds/batch-norm-ae.json', 20);
    const runs = await el.compare();
    expect(runs.map((r) => [r.seed, r.state, r.steps])).to.deep.equal([[1, 'done', 20], [2, 'done', 20]]);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.how')!.textContent).to.equal('Trained one seed after another: batch norm is not batched yet (node "enc").');
  });

  it('stops seeds trained together: every seed comes back stopped, and the Worker ends', async function () {
    this.timeout(120_000);
    const start = await together('/graphs/font-ae.json', 1_000_000);
    let progressed!: () => void;
    const training = new Promise<void>((resolve) => (progressed = resolve));
    el.startSeeds = (seeds, o) => start(seeds, { ...o, onProgress: (p) => (o.onProgress(p), p && p.step > 0 && progressed()) });
    el.startRun = async () => 'no lone runs here';
    el.count = 3;
    const done = el.compare();
    await training;
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLButtonElement>('button')!.click();
    const runs = await done;
    expect(runs.map((r) => [r.seed, r.state])).to.deep.equal([[1, 'stopped'], [2, 'stopped'], [3, 'stopped']]);
  });

  it('says why when the graph cannot run', async () => {
    el.startRun = async () => 'node "enc": units must be positive';
    el.count = 2;
    await el.compare();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.error')!.textContent).to.contain('units must be positive');
  });
});

describe('Compare seeds in the app', () => {
  it('trains the open graph with each seed in the Worker, the main run making way, and reports every glyph exact or not', async function () {
    this.timeout(180_000);
    const app = await mountApp();
    try {
      // Fewer epochs, so three seeds fit in a test.
      const trainer = app.editor!.getDoc().nodes.find((n) => n.kind === 'train.optimizer')!;
      expect(app.editor!.setParam(trainer.id, 'epochs', 200)).to.deep.equal([]);
      const fold = [...app.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.fold')].find((b) => b.textContent!.includes('Compare seeds'))!;
      fold.click();
      await app.updateComplete;
      const compare = app.shadowRoot!.querySelector('lf-seed-compare')!;
      expect(compare.metricNodes).to.deep.equal(['errors']);
      compare.count = 2;
      const runs = await compare.compare();
      expect(runs.map((r) => [r.seed, r.state, r.steps])).to.deep.equal([[1, 'done', 200], [2, 'done', 200]]);
      expect(typeof runs[0]!.scalars['errors.exact']).to.equal('number');
      expect(app.run).to.equal(null);
    } finally {
      await unmountApp(app);
    }
  });
  it('shows the trained model in the main views again after the comparison, not blank views or the last seed\'s model', async function () {
    this.timeout(240_000);
    const app = await mountApp();
    try {
      const trainer = app.editor!.getDoc().nodes.find((n) => n.kind === 'train.optimizer')!;
      expect(app.editor!.setParam(trainer.id, 'epochs', 150)).to.deep.equal([]);
      const views = app.shadowRoot!.querySelector('lf-views')!;
      const resultView = (id: string) => views.shadowRoot!.querySelector<LfResultView>(`[data-view="${id}"] lf-result-view`);
      const curve = () => views.shadowRoot!.querySelector<LfLossCurve>('[data-view="curve"] lf-loss-curve');
      const scatterPoints = () => (resultView('scatter')?.current as PointsResult | null)?.points ?? null;
      /** Whether a view's canvas has anything drawn on it (a wiped view draws no canvas, or an empty one). */
      const drawn = (id: string) => {
        const c = resultView(id)?.shadowRoot?.querySelector<HTMLCanvasElement>('canvas.main');
        if (!c || !c.width || !c.height) return false;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i]) return true;
        return false;
      };
      /** What the views do not show of a model (nothing when they show one). */
      const missing = () => [
        ...(scatterPoints() ? [] : ['the scatter\'s points']),
        ...['scatter', 'histogram', 'traverse'].filter((id) => !drawn(id)).map((id) => `a drawing in ${id}`),
        ...((curve()?.pointCount ?? 0) > 0 ? [] : ['the loss curve']),
      ];
      const shown = async (when: string) => {
        await until(() => !missing().length, 30_000, when).catch((e: Error) => { throw new Error(`${e.message}: no ${missing().join(', no ')}`); });
      };

      // The main run trains to the end: its views show the trained model.
      await app.session.act('train');
      expect((await firstValueFrom(app.run!.status$.pipe(filter((st) => st.state !== 'running' && st.state !== 'loading' && st.state !== 'idle')))).state).to.equal('done');
      await app.saved;
      await shown('the views to show the trained model');
      // The trained model's codes (the AE draws nothing at random); the scatter shows them once its refresh at the end lands.
      const trained = ((await app.run!.evaluate('codes')) as PointsResult).points;
      const largestMove = (points: number[][]) => Math.max(...points.map((p, i) => Math.hypot(p[0]! - trained[i]![0]!, p[1]! - trained[i]![1]!)));
      await until(() => largestMove(scatterPoints()!) < 1e-4, 30_000, 'the scatter to show the trained model');
      const steps = curve()!.pointCount;
      const trainedWeights = await app.run!.getWeights();

      const fold = [...app.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.fold')].find((b) => b.textContent!.includes('Compare seeds'))!;
      fold.click();
      await app.updateComplete;
      const compare = app.shadowRoot!.querySelector('lf-seed-compare')!;
      compare.count = 2;
      compare.firstSeed = 7;
      const runs = await compare.compare();
      expect(runs.map((r) => r.state)).to.deep.equal(['done', 'done']);

      // Afterwards (once the app and its views have taken the end of the comparison in) the views come back
      // with the main run's model (its codes and its loss history), not wiped.
      await app.updateComplete;
      await views.updateComplete;
      for (const el of views.shadowRoot!.querySelectorAll<HTMLElement & { updateComplete: Promise<unknown> }>('lf-view-card, lf-result-view, lf-loss-curve')) await el.updateComplete;
      await shown('the views to show a model again after the comparison');
      // The run the views draw holds exactly the main run's trained weights (not the last seed's).
      expect(app.session.viewedRun).to.equal(app.run);
      const shownWeights = await app.run!.getWeights();
      expect(Object.keys(shownWeights).sort()).to.deep.equal(Object.keys(trainedWeights).sort());
      for (const [node, tensors] of Object.entries(trainedWeights)) {
        for (const [name, t] of Object.entries(tensors)) expect([...shownWeights[node]![name]!.values], `${node}.${name}`).to.deep.equal([...t.values]);
      }
      // And the scatter draws that model's codes, not another seed's (whose model puts the 32 glyphs elsewhere
      // on a plane some 20 units wide).
      const after = scatterPoints()!;
      expect(after).to.have.length(trained.length);
      expect(largestMove(after), 'largest move of a glyph\'s code').to.be.below(1e-4);
      expect(curve()!.pointCount).to.equal(steps);
    } finally {
      await unmountApp(app);
    }
  });
});
