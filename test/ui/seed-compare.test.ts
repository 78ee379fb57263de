import { expect } from '@esm-bundle/chai';
import { filter, firstValueFrom } from 'rxjs';
import type { Run } from '../../src/runtime/types';
import { createWorkerRun } from '../../src/ui/worker-run';
import type { LfSeedCompare, SeedRunFactory } from '../../src/ui';
import '../../src/ui';
import { mountApp, unmountApp } from '../helpers/app';

const wasmPath = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';

async function factory(epochs: number): Promise<SeedRunFactory> {
  const text = await (await fetch('/graphs/font-ae.json')).text();
  return async (seed) => {
    const r = await createWorkerRun(text, { seed, epochs, backend: 'wasm', wasmPath, dataBase: '/public/' });
    return r.ok ? r.run : r.problems.map((p) => p.message).join('; ');
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
});
