import { expect } from '@esm-bundle/chai';
import { createWorkerRun } from '../../src/runtime/worker-client';
import type { LfSeedCompare, SeedRunFactory } from '../../src/ui';
import '../../src/ui';

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
    const rows = [...el.shadowRoot!.querySelectorAll('tr')].map((tr) => tr.textContent ?? '');
    expect(rows).to.have.length(5);
    expect(rows[0]).to.contain('errors.exact');
    expect(rows[4]).to.match(/mean ± std\s*3 runs/);
  });

  it('stops the run in progress and trains no further seeds', async function () {
    this.timeout(60_000);
    el.startRun = await factory(1_000_000);
    el.count = 4;
    const done = el.compare();
    await new Promise((r) => setTimeout(r, 1500));
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
