// The font DAE's reconstructions view (issue 12, bug 1): originals, noisy inputs and reconstructions
// in rows with each sample's wrong pixels, in the docked card and inside the node.
import { expect } from '@esm-bundle/chai';
import type { ReconstructionsResult } from '../../nodes/results';
import { fetchedPresets, type LfApp, type LfResultView } from '../../src/ui';
import { mountApp, unmountApp, until } from '../helpers/app';
import '../../src/ui';

/** Non-background pixels of a canvas in a horizontal band (y0..y1). */
function inked(c: HTMLCanvasElement, y0: number, y1: number): number {
  const d = c.getContext('2d')!.getImageData(0, y0, c.width, y1 - y0).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 0 && d[i]! + d[i + 1]! + d[i + 2]! > 60) n++;
  return n;
}

describe('lf-app: the reconstructions view', () => {
  let app: LfApp;
  beforeEach(async () => {
    app = await mountApp({ initial: '' });
    app.presets = fetchedPresets(['font-dae']);
    await app.openPreset('font-dae');
  });
  afterEach(() => unmountApp(app));

  it('draws originals, noisy inputs and reconstructions of the same samples with their wrong pixels, docked and in the node', async function () {
    this.timeout(180_000);
    await app.editor!.setExpanded('side', true);
    await app.session.act('step');
    const views = app.shadowRoot!.querySelector('lf-views')!;
    const docked = () => views.shadowRoot!.querySelector<LfResultView>('[data-view=side] lf-result-view');
    const inNode = () => app.editor!.area.nodeViews.get('side')!.element.querySelector('rete-node')!.shadowRoot!
      .querySelector('lf-preview-control')?.shadowRoot?.querySelector('[data-preview] lf-node-preview')?.shadowRoot
      ?.querySelector<LfResultView>('lf-view-card lf-result-view') ?? null;
    const drawn = (v: LfResultView | null) => v?.current?.kind === 'reconstructions';
    await until(() => drawn(docked()) && drawn(inNode()), 120_000, 'both reconstruction views');
    for (const view of [docked()!, inNode()!]) {
      const r = view.current as ReconstructionsResult;
      expect(r.image).to.deep.equal([7, 5, 1]);
      expect(r.originals).to.have.length(32);
      expect(r.noisy).to.have.length(32);
      expect(r.reconstructions).to.have.length(32);
      expect(r.labels).to.have.length(32);
      // The wrong pixels are counted against the originals.
      r.wrong.forEach((count, i) => {
        const expected = r.reconstructions[i]!.filter((v, p) => Math.abs(v - r.originals[i]![p]!) > r.threshold).length;
        expect(count, `sample ${i}`).to.equal(expected);
      });
      // The noisy row is the clean glyph with some pixels flipped (salt and pepper, p = 0.1).
      const flipped = r.noisy!.flat().filter((v, p) => v !== r.originals.flat()[p]).length;
      expect(flipped).to.be.greaterThan(0).and.below(32 * 35 * 0.3);
      await view.updateComplete;
      await new Promise((res) => requestAnimationFrame(() => setTimeout(res, 20)));
      const canvas = view.shadowRoot!.querySelector<HTMLCanvasElement>('canvas.main')!;
      expect(inked(canvas, 14, canvas.height), 'the canvas draws the samples').to.be.greaterThan(200);
    }
  });
});
