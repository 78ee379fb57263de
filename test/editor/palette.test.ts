import { expect } from '@esm-bundle/chai';
import { createEditor, type LatentEditor } from '../../src/editor';
import { registry } from '../../nodes';
import { mountApp, unmountApp } from '../helpers/app';

const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30)));

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

  it('puts the node where the palette was opened; the search field has a placeholder', async () => {
    const at = { x: container.getBoundingClientRect().left + 300, y: container.getBoundingClientRect().top + 200 };
    const ev = (type: string, x: number, y: number) => new PointerEvent(type, { clientX: x, clientY: y, button: 2, bubbles: true, composed: true });
    container.dispatchEvent(ev('pointerdown', at.x, at.y));
    window.dispatchEvent(ev('pointerup', at.x, at.y));
    container.dispatchEvent(new MouseEvent('contextmenu', { clientX: at.x, clientY: at.y, button: 2, bubbles: true, composed: true, cancelable: true }));
    await frame();
    await frame();
    const menu = container.querySelector('rete-context-menu')!;
    expect(menu, 'the palette').to.exist;
    const input = menu.shadowRoot!.querySelector('rete-context-menu-search')!.shadowRoot!.querySelector('input')!;
    expect(input.placeholder).to.equal('Search nodes…');
    // The pointer moves onto the menu, then "Networks → Encoder (dense)" is picked.
    container.dispatchEvent(new PointerEvent('pointermove', { clientX: at.x + 150, clientY: at.y + 120, bubbles: true }));
    const list = (menu as unknown as { items: { label: string; subitems?: { label: string; handler(): void }[] }[] }).items;
    list.find((g) => g.label === 'Networks')!.subitems!.find((i) => i.label === 'Encoder (dense)')!.handler();
    await frame();
    const added = ed.getDoc().nodes.find((n) => n.kind === 'encoder.dense');
    expect(added, 'the node').to.exist;
    const { k, x, y } = ed.area.area.transform;
    const expected = [(at.x - container.getBoundingClientRect().left - x) / k, (at.y - container.getBoundingClientRect().top - y) / k];
    expect(added!.ui!.position![0]).to.be.closeTo(expected[0]!, 2);
    expect(added!.ui!.position![1]).to.be.closeTo(expected[1]!, 2);
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
