import { expect } from '@esm-bundle/chai';
import { loadGraph } from '../../src/graph';
import { registry } from '../../nodes';
import { createWorkerRun } from '../../src/ui/worker-run';
import type { LfSweep } from '../../src/ui';
import '../../src/ui';

const wasmPath = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';

describe('lf-sweep', () => {
  let el: LfSweep;
  beforeEach(async () => {
    el = document.createElement('lf-sweep');
    el.style.width = '400px';
    el.catalog = registry;
    el.doc = loadGraph(await (await fetch('/graphs/font-ae.json')).text(), registry).doc!;
    el.metricNodes = ['errors'];
    document.body.append(el);
  });
  afterEach(() => el.remove());

  it('trains each value × seed in the Worker, overlays the curves and marks the value with the lowest mean loss', async function () {
    this.timeout(180_000);
    const made: { units: unknown; seed: number }[] = [];
    el.startRun = async (text, seed) => {
      made.push({ units: loadGraph(text, registry).doc!.nodes.find((n) => n.id === 'enc')!.params.units, seed });
      const r = await createWorkerRun(text, { seed, epochs: 25, backend: 'wasm', wasmPath, dataBase: '/public/' });
      return r.ok ? r.run : r.problems.map((p) => p.message).join('; ');
    };
    el.spec = 'enc.units=[4],[64]';
    el.seeds = 2;
    el.firstSeed = 3;
    const groups = await el.sweep();
    expect(made).to.deep.equal([{ units: [4], seed: 3 }, { units: [4], seed: 4 }, { units: [64], seed: 3 }, { units: [64], seed: 4 }]);
    expect(groups.map((g) => [g.label, g.runs.length, g.curves.length])).to.deep.equal([['enc.units=[4]', 2, 2], ['enc.units=[64]', 2, 2]]);
    expect(groups[0]!.stats.loss!.n).to.equal(2);
    expect(groups[0]!.stats['errors.mean']).to.not.equal(undefined);
    await el.updateComplete;
    const rows = [...el.shadowRoot!.querySelectorAll('tr')].map((tr) => tr.textContent ?? '');
    expect(rows).to.have.length(3);
    const best = groups.reduce((b, g) => (g.stats.loss!.mean < b.stats.loss!.mean ? g : b));
    expect(rows.filter((r) => r.includes('★'))).to.have.length(1);
    expect(rows.find((r) => r.includes('★'))).to.contain(best.label);
    const canvas = el.shadowRoot!.querySelector('canvas')!;
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    expect(pixels.some((v, i) => i % 4 === 3 && v > 0)).to.equal(true);

    // As wide as the app's side panel: the table fits, one loss or metric at a time, chosen above it.
    el.style.width = '300px';
    await el.updateComplete;
    const table = el.shadowRoot!.querySelector('table')!;
    expect(table.getBoundingClientRect().right).to.be.at.most(el.getBoundingClientRect().right + 0.5);
    const select = el.shadowRoot!.querySelector('select')!;
    expect([...select.options].map((o) => o.value)).to.include.members(['loss', 'errors.mean', 'errors.exact']);
    // A metric's setting (its threshold) is no result; measurements are named as Compare seeds names them.
    expect([...select.options].map((o) => o.value)).not.to.include('errors.threshold');
    el.names = { errors: 'Pixel errors' };
    await el.updateComplete;
    expect([...select.options].find((o) => o.value === 'errors.exact')!.textContent).to.equal('Pixel errors: exact samples');
    expect(select.value).to.equal('loss');
    select.value = 'errors.exact';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    const cells = [...el.shadowRoot!.querySelectorAll('tr')].slice(1).map((tr) => tr.lastElementChild!.textContent);
    const g0 = groups[0]!.stats['errors.exact']!;
    expect(cells[0]).to.contain(String(g0.mean));
    // Another graph opens: the sweep of the last one is cleared (a new empty graph showed it).
    el.graphKey = 'first';
    await el.updateComplete;
    el.graphKey = 'another';
    await el.updateComplete;
    expect(el.groups).to.have.length(0);
    expect(el.shadowRoot!.querySelector('table')).to.equal(null);
  });

  it('draws its curves on axes with labelled ticks, as the loss chart does: steps along x, the loss (log) up y', async () => {
    const steps = Array.from({ length: 101 }, (_, i) => i);
    const curve = (scale: number) => ({ train: { steps, epochs: steps, total: steps.map((i) => scale * 10 / (1 + i)), terms: {} } });
    el.groups = [{ label: 'a', runs: [], curves: [curve(1)], stats: {} }, { label: 'b', runs: [], curves: [curve(0.1)], stats: {} }];
    await el.updateComplete;
    const canvas = el.shadowRoot!.querySelector('canvas')!;
    const g = canvas.getContext('2d')!;
    const labels: { text: string; x: number; y: number }[] = [];
    const fillText = g.fillText.bind(g);
    g.fillText = (text: string, x: number, y: number) => { labels.push({ text, x, y }); fillText(text, x, y); };
    el.requestUpdate();
    await el.updateComplete;
    const texts = labels.map((l) => l.text);
    expect(texts, 'step ticks').to.include.members(['0', '20', '40', '60', '80', '100']);
    expect(texts, 'loss ticks, a power of ten each').to.include.members(['10', '1', '0.1', '0.01']);
    // Step labels run along the bottom, loss labels down the left side.
    const bottom = labels.filter((l) => ['20', '40', '60'].includes(l.text)).map((l) => l.y);
    expect(new Set(bottom).size, 'step labels on one line').to.equal(1);
    const left = labels.filter((l) => ['10', '1', '0.1'].includes(l.text));
    expect(new Set(left.map((l) => l.x)).size, 'loss labels in one column').to.equal(1);
    expect(left[0]!.x).to.be.lessThan(labels.find((l) => l.text === '20')!.x);
  });

  it('says what is wrong with a sweep before training anything', async () => {
    let made = 0;
    el.startRun = async () => { made++; return 'unused'; };
    el.spec = 'enc.units=[0]';
    await el.sweep();
    await el.updateComplete;
    expect(made).to.equal(0);
    expect(el.shadowRoot!.querySelector('.error')!.textContent).to.contain('enc.units=[0]');
  });
});
