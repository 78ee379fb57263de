import { expect } from '@esm-bundle/chai';
import { BehaviorSubject, Subject } from 'rxjs';
import type { MetricsBatch, Run } from '../../src/runtime/types';
import type { LfLossCurve } from '../../src/ui';
import '../../src/ui';

/** Just what the chart reads from a run: its history and its metrics stream. */
function fakeRun(initial: MetricsBatch): { run: Run; metrics$: Subject<MetricsBatch> } {
  const metrics$ = new Subject<MetricsBatch>();
  const run = { history: () => initial, metrics$, status$: new BehaviorSubject({ state: 'running', step: 0, epoch: 0 }) } as unknown as Run;
  return { run, metrics$ };
}

const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

describe('lf-loss-curve', () => {
  let curve: LfLossCurve;
  beforeEach(async () => {
    curve = document.createElement('lf-loss-curve');
    curve.style.cssText = 'display: flex; width: 480px; height: 220px;';
    document.body.append(curve);
    await curve.updateComplete;
  });
  afterEach(() => curve.remove());

  it('draws the training loss and, once the run measures it, the test loss as its own line', async () => {
    const { run, metrics$ } = fakeRun({ steps: [0, 1], epochs: [0, 0], total: [1, 0.8], terms: { recon: [1, 0.8] } });
    curve.run = run;
    await curve.updateComplete;
    await frame();
    expect(curve.pointCount).to.equal(2);
    expect(curve.seriesNames).to.deep.equal(['loss']);
    // Two batches within one frame: neither may be dropped.
    metrics$.next({ steps: [2, 3], epochs: [1, 1], total: [0.6, 0.5], terms: { recon: [0.6, 0.5] }, test: { steps: [3], epochs: [1], total: [0.7], terms: { recon: [0.7] } } });
    metrics$.next({ steps: [4], epochs: [2], total: [0.4], terms: { recon: [0.4] } });
    await frame();
    await curve.updateComplete;
    expect(curve.pointCount).to.equal(5);
    expect(curve.seriesNames).to.deep.equal(['loss', 'test loss']);
    expect(curve.shadowRoot!.querySelector('.bar')!.textContent).to.contain('test 0.7000');
    const legend = [...curve.shadowRoot!.querySelectorAll('.u-legend th')].map((th) => th.textContent?.trim());
    expect(legend).to.include('test loss');
  });

  it('saves a PNG canvas with the chart and its legend, and one saying there is no data before training', async () => {
    const empty = curve.snapshot();
    expect(empty.width).to.be.greaterThan(100);
    const { run } = fakeRun({ steps: [0, 1, 2], epochs: [0, 1, 2], total: [1, 0.5, 0.25], terms: { a: [0.5, 0.3, 0.2], b: [0.5, 0.2, 0.05] } });
    curve.run = run;
    await curve.updateComplete;
    await frame();
    expect(curve.seriesNames).to.deep.equal(['total', 'a', 'b']);
    const png = curve.snapshot();
    const g = png.getContext('2d')!;
    // Something other than the background was drawn in the chart area.
    const pixels = g.getImageData(0, 0, png.width, png.height - 18).data;
    const bg = [pixels[0], pixels[1], pixels[2]];
    let differing = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i] !== bg[0] || pixels[i + 1] !== bg[1] || pixels[i + 2] !== bg[2]) differing++;
    expect(differing).to.be.greaterThan(200);
  });

  it('switches to a linear axis and back without losing points', async () => {
    const { run } = fakeRun({ steps: [0, 1, 2], epochs: [0, 1, 2], total: [1, 0.5, 0.25], terms: { a: [1, 0.5, 0.25] } });
    curve.run = run;
    await curve.updateComplete;
    const box = curve.shadowRoot!.querySelector<HTMLInputElement>('input[type=checkbox]')!;
    box.click();
    await curve.updateComplete;
    expect(curve.log).to.equal(false);
    expect(curve.pointCount).to.equal(3);
    expect(curve.seriesNames).to.deep.equal(['loss']);
  });
});
