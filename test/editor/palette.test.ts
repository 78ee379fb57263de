import { expect } from '@esm-bundle/chai';
import { createEditor, type LatentEditor } from '../../src/editor';
import { registry } from '../../nodes';
import { mountApp, unmountApp } from '../helpers/app';
import { contrast } from '../helpers/contrast';

const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30)));

/** Right-clicks `container` at (x, y) from its top-left corner and returns the palette once drawn. */
async function openPalette(container: HTMLElement, x: number, y: number): Promise<HTMLElement & { updateComplete: Promise<boolean> }> {
  const box = container.getBoundingClientRect();
  const at = { x: box.left + x, y: box.top + y };
  const ev = (type: string) => new PointerEvent(type, { clientX: at.x, clientY: at.y, button: 2, bubbles: true, composed: true });
  container.dispatchEvent(ev('pointerdown'));
  window.dispatchEvent(ev('pointerup'));
  await frame(); // the canvas has handled the press (which closes an open menu) before the menu opens
  container.dispatchEvent(new MouseEvent('contextmenu', { clientX: at.x, clientY: at.y, button: 2, bubbles: true, composed: true, cancelable: true }));
  await frame();
  const menu = container.querySelector('lf-context-menu');
  expect(menu !== null, 'the palette').to.equal(true);
  await menu!.updateComplete;
  return menu!;
}

const searchField = (menu: HTMLElement) => menu.shadowRoot!.querySelector('input')!;
const rows = (menu: HTMLElement) => [...menu.shadowRoot!.querySelectorAll<HTMLButtonElement>('.menu > .row, .menu > div > .row, .hits > .row')];
const labels = (menu: HTMLElement) => rows(menu).map((r) => r.querySelector('span')!.textContent!.trim());

async function search(menu: HTMLElement & { updateComplete: Promise<boolean> }, text: string): Promise<string[]> {
  const input = searchField(menu);
  input.value = text;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await menu.updateComplete;
  return labels(menu);
}

const inside = (r: DOMRect, b: DOMRect) => r.left >= b.left - 0.5 && r.top >= b.top - 0.5 && r.right <= b.right + 0.5 && r.bottom <= b.bottom + 0.5;

describe('adding nodes from the palette', () => {
  let container: HTMLElement;
  let ed: LatentEditor;
  beforeEach(async () => {
    container = document.createElement('div');
    container.style.cssText = 'width: 760px; height: 520px; position: relative; overflow: hidden;';
    document.body.append(container);
    ed = await createEditor(container, registry, { minimap: false });
  });
  afterEach(() => {
    ed.destroy();
    container.remove();
  });

  it('puts the node where the palette was opened; the search field has a placeholder and the focus', async () => {
    const menu = await openPalette(container, 300, 200);
    const input = searchField(menu);
    expect(input.placeholder).to.equal('Search nodes…');
    expect(menu.shadowRoot!.activeElement === input, 'typing right away goes to the search').to.equal(true);
    // "Networks → Encoder (dense)" is picked.
    const networks = rows(menu).find((r) => r.textContent!.includes('Networks'))!;
    networks.parentElement!.dispatchEvent(new PointerEvent('pointerenter'));
    await menu.updateComplete;
    [...menu.shadowRoot!.querySelectorAll<HTMLButtonElement>('.flyout .row')].find((r) => r.textContent!.includes('Encoder (dense)'))!.click();
    await frame();
    const added = ed.getDoc().nodes.find((n) => n.kind === 'encoder.dense');
    expect(added !== undefined, 'the node').to.equal(true);
    const { k, x, y } = ed.area.area.transform;
    expect(added!.ui!.position![0]).to.be.closeTo((300 - x) / k, 2);
    expect(added!.ui!.position![1]).to.be.closeTo((200 - y) / k, 2);
  });

  it('a search lists the matching nodes themselves, by title, kind id or category, in any case; Enter adds the first', async () => {
    const menu = await openPalette(container, 300, 200);
    expect(await search(menu, 'Salt')).to.deep.equal(['Salt & pepper noise']);
    expect(await search(menu, 'gauss')).to.include.members(['Gaussian noise', 'Gaussian latent (VAE)']);
    expect(await search(menu, 'GAUSSIAN')).to.include('Gaussian noise');
    expect(await search(menu, 'dense')).to.include.members(['Encoder (dense)', 'Decoder (dense)']);
    expect(await search(menu, 'scatter')).to.deep.equal(['Latent scatter']);
    expect(await search(menu, 'noise')).to.include.members(['Gaussian noise', 'Salt & pepper noise', 'Masking noise']);
    expect(await search(menu, 'noise')).to.not.include('Noise');
    expect(await search(menu, 'latent-scatter'), 'the kind id').to.deep.equal(['Latent scatter']);
    expect(await search(menu, 'zz(')).to.deep.equal([]);
    expect(menu.shadowRoot!.querySelector('.empty')!.textContent).to.contain('No node matches');
    await search(menu, 'salt');
    searchField(menu).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    await frame();
    expect(ed.getDoc().nodes.map((n) => n.kind)).to.deep.equal(['noise.salt-pepper']);
  });

  it('stays on the canvas when opened near its bottom-right corner, its fly-outs too', async () => {
    const menu = await openPalette(container, 740, 505);
    const box = container.getBoundingClientRect();
    expect(inside(menu.shadowRoot!.querySelector('.menu')!.getBoundingClientRect(), box), 'the menu').to.equal(true);
    const notes = rows(menu).at(-1)!;
    notes.parentElement!.dispatchEvent(new PointerEvent('pointerenter'));
    await menu.updateComplete;
    expect(inside(menu.shadowRoot!.querySelector('.flyout')!.getBoundingClientRect(), box), 'the fly-out').to.equal(true);
    await search(menu, 'e');
    expect(inside(menu.shadowRoot!.querySelector('.menu')!.getBoundingClientRect(), box), 'the search results').to.equal(true);
  });
});

describe('the palette in the app', () => {
  it('has the app\'s font and readable text in both themes', async function () {
    this.timeout(30_000);
    const app = await mountApp();
    try {
      const canvas = app.shadowRoot!.querySelector<HTMLElement>('.canvas')!;
      for (const theme of ['dark', 'light'] as const) {
        app.theme = theme;
        await app.updateComplete;
        const menu = await openPalette(canvas, 200, 200);
        const panel = getComputedStyle(menu.shadowRoot!.querySelector('.menu')!);
        const row = getComputedStyle(rows(menu)[0]!);
        expect(contrast(row.color, panel.backgroundColor), `${theme}: ${row.color} on ${panel.backgroundColor}`).to.be.at.least(4.5);
        const input = getComputedStyle(searchField(menu));
        expect(input.fontFamily, 'the app\'s font').to.equal(getComputedStyle(app).fontFamily);
        expect(contrast(getComputedStyle(searchField(menu), '::placeholder').color, input.backgroundColor), `${theme}: placeholder`).to.be.at.least(4.5);
        searchField(menu).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
        await frame();
      }
    } finally {
      await unmountApp(app);
    }
  });
});

describe('an empty canvas', () => {
  it('says how to start', async () => {
    const app = await mountApp({ initial: '' });
    try {
      await app.updateComplete;
      expect(app.shadowRoot!.querySelector('.start-hint')!.textContent).to.match(/Right-click the canvas to add a node[\s\S]*preset/);
      await app.openPreset('font-ae');
      await app.updateComplete;
      expect(app.shadowRoot!.querySelector('.start-hint')).to.equal(null);
    } finally {
      await unmountApp(app);
    }
  });
});
