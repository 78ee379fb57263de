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

  it('shows the total when a term makes up nearly all of it (a VAE: total and reconstruction coincide), on screen and in the PNG', async () => {
    const steps = Array.from({ length: 40 }, (_, i) => i);
    const recon = steps.map((i) => 200 / (1 + i));
    const kl = steps.map(() => 0.01);
    const { run } = fakeRun({ steps, epochs: steps, total: recon.map((r, i) => r + kl[i]!), terms: { recon, kl } });
    curve.termNames = { recon: 'reconstruction', kl: 'KL' };
    curve.run = run;
    await curve.updateComplete;
    await frame();
    expect(curve.seriesNames).to.deep.equal(['total', 'reconstruction', 'KL']);
    /** Pixels of a canvas near each line's colour (the palette's first two: the total's blue, the reconstruction's red). */
    const count = (canvas: HTMLCanvasElement, height = canvas.height) => {
      const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, height).data;
      let blue = 0, red = 0;
      for (let i = 0; i < px.length; i += 4) {
        const [r, g, b, a] = [px[i]!, px[i + 1]!, px[i + 2]!, px[i + 3]!];
        if (a < 40) continue;
        if (b > r + 40 && b > g + 10) blue++;
        if (r > b + 60 && r > g + 60) red++;
      }
      return { blue, red };
    };
    const screen = count(curve.shadowRoot!.querySelector<HTMLCanvasElement>('.uplot canvas')!);
    expect(screen.red, 'reconstruction on screen (px)').to.be.greaterThan(150);
    expect(screen.blue, 'total on screen (px), around the reconstruction').to.be.greaterThan(screen.red);
    // The legend's markers: the total's thicker than the others.
    const markers = [...curve.shadowRoot!.querySelectorAll<HTMLElement>('.u-legend .u-marker')].map((m) => parseFloat(getComputedStyle(m).borderTopWidth));
    expect(markers[1]!, 'total marker thicker').to.be.greaterThan(markers[2]!);
    // The PNG, without its legend (it has the same colours).
    const png = curve.snapshot(1);
    const image = count(png, png.height - 40);
    expect(image.red, 'reconstruction in the PNG (px)').to.be.greaterThan(150);
    expect(image.blue, 'total in the PNG (px)').to.be.greaterThan(image.red);
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
