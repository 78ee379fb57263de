// Live views inside view nodes: a "▸ view" toggle on every view node expands a box the app fills
// (the editor itself knows no runs); the state is kept in the graph file as `ui.expanded: true`.
import { expect } from '@esm-bundle/chai';
import { html } from 'lit';
import { loadGraph, saveGraph, type GraphDoc } from '../../src/graph';
import { createEditor, type LatentEditor } from '../../src/editor';
import { registry } from '../../nodes';

function mount(): HTMLElement {
  const el = document.createElement('div');
  el.style.cssText = 'width: 1000px; height: 600px; position: relative; overflow: hidden;';
  document.body.append(el);
  return el;
}

const settle = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 20)));
/** Lets the history's 200 ms grouping window pass, so the next change is its own undo step. */
const pause = () => new Promise((r) => setTimeout(r, 250));

describe('editor: live views inside view nodes', () => {
  let container: HTMLElement;
  let ed: LatentEditor;
  let rendered: string[];

  beforeEach(async () => {
    container = mount();
    rendered = [];
    ed = await createEditor(container, registry, {
      renderPreview: (id) => {
        rendered.push(id);
        return html`<div class="probe" style="width: 100%; height: 100%">live ${id}</div>`;
      },
    });
    await ed.addNode('metric.pixel-error', [0, 0], 'errors');
    await ed.addNode('view.pixel-error-histogram', [300, 0], 'hist');
    await ed.addNode('encoder.dense', [0, 300], 'enc');
    await ed.connect({ node: 'errors', socket: 'metrics' }, { node: 'hist', socket: 'metrics' }, 'e1');
    await settle();
    await pause();
  });
  afterEach(() => {
    ed.destroy();
    container.remove();
  });

  const nodeEl = (id: string) => ed.area.nodeViews.get(id)!.element.querySelector<HTMLElement>('rete-node')!;
  const control = (id: string) => nodeEl(id).shadowRoot!.querySelector('lf-preview-control');
  const toggle = (id: string) => control(id)?.shadowRoot?.querySelector<HTMLButtonElement>('[data-preview-toggle]') ?? null;
  const box = (id: string) => control(id)?.shadowRoot?.querySelector<HTMLElement>('[data-preview]') ?? null;
  const uiOf = (doc: GraphDoc, id: string) => doc.nodes.find((n) => n.id === id)!.ui ?? {};

  it('gives view nodes a toggle and other nodes none', () => {
    expect(toggle('hist')?.textContent).to.contain('view');
    expect(toggle('hist')!.getAttribute('aria-expanded')).to.equal('false');
    expect(toggle('enc')).to.equal(null);
    expect(box('hist')).to.equal(null);
    expect(rendered, 'a collapsed node renders no live view').to.deep.equal([]);
  });

  it('expands on a click: the node grows around the live view, `ui.expanded` is written; a second click shrinks it back', async () => {
    const before = { width: nodeEl('hist').offsetWidth, height: nodeEl('hist').offsetHeight };
    const socketBefore = nodeEl('hist').shadowRoot!.querySelector('[data-testid=input-socket]')!.getBoundingClientRect();
    toggle('hist')!.click();
    await settle();
    expect(ed.isExpanded('hist')).to.equal(true);
    expect(rendered).to.include('hist');
    expect(box('hist')!.textContent).to.contain('live hist');
    expect(toggle('hist')!.getAttribute('aria-expanded')).to.equal('true');
    const grown = nodeEl('hist');
    expect(grown.offsetHeight).to.be.greaterThan(before.height + 150);
    expect(grown.offsetWidth).to.be.at.least(before.width);
    expect(grown.offsetHeight).to.equal(ed.editor.getNode('hist')!.height);
    // The box fits inside the node, and the input socket (so its connection) did not move.
    const nodeRect = grown.getBoundingClientRect(), boxRect = box('hist')!.getBoundingClientRect();
    expect(boxRect.bottom).to.be.at.most(nodeRect.bottom);
    expect(boxRect.right).to.be.at.most(nodeRect.right);
    expect(boxRect.height).to.be.greaterThan(150);
    expect(grown.shadowRoot!.querySelector('[data-testid=input-socket]')!.getBoundingClientRect().top).to.equal(socketBefore.top);
    expect(uiOf(ed.getDoc(), 'hist').expanded).to.equal(true);
    expect(saveGraph(ed.getDoc())).to.match(/"expanded": true/);

    await pause();
    toggle('hist')!.click();
    await settle();
    expect(ed.isExpanded('hist')).to.equal(false);
    expect(box('hist')).to.equal(null);
    expect(nodeEl('hist').offsetHeight).to.equal(before.height);
    expect(nodeEl('hist').offsetWidth).to.equal(before.width);
    expect(uiOf(ed.getDoc(), 'hist')).to.not.have.property('expanded');
  });

  it('undoes and redoes an expand', async () => {
    const height = ed.editor.getNode('hist')!.height;
    expect(await ed.setExpanded('hist', true)).to.equal(true);
    await settle();
    expect(ed.editor.getNode('hist')!.height).to.be.greaterThan(height);
    await ed.undo();
    await settle();
    expect(ed.isExpanded('hist')).to.equal(false);
    expect(ed.editor.getNode('hist')!.height).to.equal(height);
    expect(uiOf(ed.getDoc(), 'hist')).to.not.have.property('expanded');
    await ed.redo();
    await settle();
    expect(ed.isExpanded('hist')).to.equal(true);
    expect(box('hist')!.textContent).to.contain('live hist');
    expect(uiOf(ed.getDoc(), 'hist').expanded).to.equal(true);
  });

  it('V shows the live views of the selected view nodes, and hides them when all are shown', async () => {
    await ed.addNode('view.loss-curve', [600, 0], 'curve');
    await ed.select('hist');
    await ed.select('curve', { add: true });
    await ed.select('enc', { add: true });
    const press = () => container.dispatchEvent(new KeyboardEvent('keydown', { key: 'v', bubbles: true, composed: true, cancelable: true }));
    press();
    await settle();
    expect([ed.isExpanded('hist'), ed.isExpanded('curve')]).to.deep.equal([true, true]);
    await ed.setExpanded('curve', false);
    press();
    await settle();
    expect([ed.isExpanded('hist'), ed.isExpanded('curve')], 'a mixed selection opens all').to.deep.equal([true, true]);
    press();
    await settle();
    expect([ed.isExpanded('hist'), ed.isExpanded('curve')]).to.deep.equal([false, false]);
  });

  it('a wheel over a scrollable list inside a live view scrolls it; over the rest it zooms the canvas', async () => {
    const own = mount();
    const ed2 = await createEditor(own, registry, {
      renderPreview: () => html`<div class="list" style="height: 100%; overflow: auto"><div style="height: 1000px">long ranking</div></div>`,
    });
    try {
      await ed2.addNode('view.outliers', [0, 0], 'rank');
      await ed2.setExpanded('rank', true);
      await settle();
      const el = ed2.area.nodeViews.get('rank')!.element.querySelector('rete-node')!.shadowRoot!.querySelector('lf-preview-control')!.shadowRoot!;
      const list = el.querySelector<HTMLElement>('.list')!;
      const wheel = (target: Element) => target.dispatchEvent(new WheelEvent('wheel', { deltaY: 100, bubbles: true, composed: true, cancelable: true, clientX: 50, clientY: 50 }));
      const zoom = () => ed2.area.area.transform.k;
      const k = zoom();
      wheel(list.firstElementChild!);
      await settle();
      expect(zoom(), 'the list can scroll down: no zoom').to.equal(k);
      wheel(el.querySelector('[data-preview-toggle]')!);
      await settle();
      expect(zoom()).to.not.equal(k);
    } finally {
      ed2.destroy();
      own.remove();
    }
  });

  it('refuses nodes that are not views', async () => {
    expect(await ed.setExpanded('enc', true)).to.equal(false);
    expect(await ed.setExpanded('nothing', true)).to.equal(false);
    expect(uiOf(ed.getDoc(), 'enc')).to.not.have.property('expanded');
  });

  it('loads a document with `ui.expanded: true` expanded, and writes it back unchanged', async () => {
    const doc = ed.getDoc();
    uiOf(doc, 'hist').expanded = true;
    const text = saveGraph(doc);
    const loaded = loadGraph(text, registry).doc!;
    await ed.loadDoc(loaded);
    await settle();
    expect(ed.isExpanded('hist')).to.equal(true);
    expect(box('hist')!.textContent).to.contain('live hist');
    expect(nodeEl('hist').offsetHeight).to.be.greaterThan(200);
    expect(saveGraph(ed.getDoc())).to.equal(text);
  });

  it('refits the frame around an expanded member, and again when it collapses', async () => {
    const frame = (await ed.frame(['hist']))!;
    await settle();
    const height = () => ed.editor.getNode(frame)!.height;
    const collapsed = height();
    await ed.setExpanded('hist', true);
    await settle();
    // The frame's padding (56 above for its title, 24 below) around its one member.
    expect(height()).to.equal(ed.editor.getNode('hist')!.height + 80);
    expect(height()).to.be.greaterThan(collapsed + 150);
    await ed.setExpanded('hist', false);
    await settle();
    expect(height()).to.equal(collapsed);
  });

  it('keeps a pointerdown inside the live view from dragging the node (the title still drags it)', async () => {
    await ed.setExpanded('hist', true);
    await settle();
    const at = () => ({ ...ed.area.nodeViews.get('hist')!.position });
    const drag = async (target: Element) => {
      const r = target.getBoundingClientRect();
      const x = r.left + 5, y = r.top + 5;
      const init = { bubbles: true, composed: true, pointerId: 1, isPrimary: true, button: 0, buttons: 1, pointerType: 'mouse' };
      target.dispatchEvent(new PointerEvent('pointerdown', { ...init, clientX: x, clientY: y }));
      window.dispatchEvent(new PointerEvent('pointermove', { ...init, clientX: x + 60, clientY: y + 40 }));
      window.dispatchEvent(new PointerEvent('pointerup', { ...init, clientX: x + 60, clientY: y + 40 }));
      await settle();
    };
    const start = at();
    await drag(box('hist')!.querySelector('.probe')!);
    expect(at()).to.deep.equal(start);
    await drag(nodeEl('hist').shadowRoot!.querySelector('.title')!);
    expect(at()).to.not.deep.equal(start);
  });
});
