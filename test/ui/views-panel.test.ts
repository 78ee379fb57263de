// The views panel: resized by its divider and kept across a reload, human titles, a view popped out large, 2× PNGs;
// its tiles fit the strip whole at 1280 and 1920 wide, more scroll sideways.
import { expect } from '@esm-bundle/chai';
import { getSetting } from '../../src/store';
import { viewsHeightSetting, type LfViews } from '../../src/ui/views-panel';
import { fetchedPresets } from '../../src/ui';
import { mountApp, unmountApp, until } from '../helpers/app';

const viewsOf = (app: HTMLElement) => app.shadowRoot!.querySelector<LfViews>('lf-views')!;

function drag(el: Element, fromY: number, toY: number): void {
  const at = (type: string, y: number) => el.dispatchEvent(new PointerEvent(type, { clientX: 300, clientY: y, button: 0, pointerId: 1, bubbles: true, composed: true }));
  at('pointerdown', fromY);
  at('pointermove', (fromY + toY) / 2);
  at('pointermove', toY);
  at('pointerup', toY);
}

describe('lf-views panel', () => {
  it('dragging the divider resizes the panel, and the size is kept across a reload', async function () {
    this.timeout(60_000);
    const dbName = `lf-views-${Math.random().toString(36).slice(2)}`;
    const app = await mountApp({ dbName });
    const views = viewsOf(app);
    await views.updateComplete;
    const before = views.getBoundingClientRect().height;
    const divider = views.shadowRoot!.querySelector('.divider')!;
    const top = divider.getBoundingClientRect().top;
    drag(divider, top + 3, top + 3 - 130);
    await views.updateComplete;
    const after = views.getBoundingClientRect().height;
    expect(after).to.be.closeTo(before + 130, 2);
    await until(async () => (await getSetting(app.library!, viewsHeightSetting, 0)) === views.height, 5000, 'the height saved');
    app.remove();
    app.library?.close();

    const again = await mountApp({ dbName });
    const views2 = viewsOf(again);
    await until(() => Math.abs(views2.getBoundingClientRect().height - after) < 2, 5000, 'the kept height');
    await unmountApp(again);
  });

  it('shows whole tiles, none cut off at the strip\'s right edge (a VAE\'s five views at 1280 and 1920 wide); more scroll sideways', async function () {
    this.timeout(60_000);
    const app = await mountApp({ initial: '' });
    try {
      app.presets = fetchedPresets(['mnist-vae', 'font-ae']);
      for (const [width, height, preset] of [[1280, 720, 'mnist-vae'], [1920, 1080, 'mnist-vae'], [1280, 720, 'font-ae']] as const) {
        app.style.width = `${width}px`;
        app.style.height = `${height}px`;
        await app.openPreset(preset);
        const views = viewsOf(app);
        await views.updateComplete;
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        await views.updateComplete;
        const strip = views.shadowRoot!.querySelector<HTMLElement>('.strip')!;
        const box = strip.getBoundingClientRect();
        const tiles = [...strip.querySelectorAll<HTMLElement>('.view')];
        // Tiles that start inside the strip's content box (a sliver of the next shows in its padding: there is more).
        const shown = tiles.filter((t) => t.getBoundingClientRect().left < box.right - parseFloat(getComputedStyle(strip).paddingRight));
        const at = `${preset} at ${width}x${height}`;
        expect(shown.length, `${at}: tiles in view`).to.be.at.least(Math.min(tiles.length, width === 1920 ? 5 : 3));
        expect(shown[0]!.getBoundingClientRect().left, `${at}: the first tile not scrolled under the strip's edge`).to.be.at.least(box.left + 1);
        for (const t of shown) {
          const r = t.getBoundingClientRect();
          expect(r.right, `${at}: ${t.dataset.view} whole in the strip`).to.be.at.most(box.right + 0.5);
          expect(r.width, `${at}: ${t.dataset.view} wide enough for its chart`).to.be.at.least(280);
          const png = [...t.querySelectorAll('button')].at(-1)!.getBoundingClientRect();
          expect(png.right, `${at}: ${t.dataset.view}'s PNG button whole`).to.be.at.most(r.right);
        }
        if (tiles.length > shown.length) expect(strip.scrollWidth, `${at}: the rest scrolls`).to.be.greaterThan(strip.clientWidth);
      }
    } finally {
      await unmountApp(app);
    }
  });

  it('names each view as people would (not its node id), pops one out large and saves PNGs at 2× on an opaque background', async function () {
    this.timeout(60_000);
    const app = await mountApp();
    const views = viewsOf(app);
    await views.updateComplete;
    // The panel stays in its column: its tiles scroll sideways instead of widening the page under the side panel.
    const aside = app.shadowRoot!.querySelector('aside')!;
    expect(views.getBoundingClientRect().right).to.be.at.most(aside.getBoundingClientRect().left + 1);
    const titles = [...views.shadowRoot!.querySelectorAll('.view .name .text')].map((t) => t.textContent!.trim());
    expect(titles).to.include.members(['Latent scatter', 'Loss curves', 'Pixel-error histogram', 'Interpolate', 'Latent grid']);
    for (const id of ['scatter', 'curve', 'histogram', 'strip', 'traverse']) expect(titles).to.not.include(id);

    const tile = views.shadowRoot!.querySelector<HTMLElement>('[data-view=curve]')!;
    tile.querySelector<HTMLButtonElement>('[data-action=pop-out]')!.click();
    await views.updateComplete;
    const dialog = views.shadowRoot!.querySelector('dialog')!;
    expect(dialog.open).to.equal(true);
    const big = dialog.querySelector('lf-view-card')!;
    await until(() => big.getBoundingClientRect().width > 0, 2000, 'the dialog laid out');
    expect(big.getBoundingClientRect().width).to.be.greaterThan(tile.getBoundingClientRect().width * 1.5);
    expect(big.getBoundingClientRect().height).to.be.greaterThan(tile.getBoundingClientRect().height * 1.5);
    dialog.close();
    await views.updateComplete;
    await until(() => !views.shadowRoot!.querySelector('dialog lf-view-card'), 2000, 'the dialog emptied');
    expect(views.popped).to.equal(null);


    const png = (await views.pngOf('curve'))!;
    const bitmap = await createImageBitmap(new Blob([png as BlobPart], { type: 'image/png' }));
    const plot = tile.querySelector('lf-loss-curve')!.shadowRoot!.querySelector<HTMLElement>('.plot')!;
    expect(bitmap.width).to.equal(2 * Math.max(200, plot.clientWidth));
    const c = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
    c.drawImage(bitmap, 0, 0);
    const px = c.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let transparent = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i] !== 255) transparent++;
    expect(transparent, 'transparent pixels').to.equal(0);
    await unmountApp(app);
  });
});
