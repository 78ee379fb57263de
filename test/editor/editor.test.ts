import { expect } from '@esm-bundle/chai';
import { firstValueFrom, take, toArray } from 'rxjs';
import { loadGraph } from '../../src/graph';
import { createEditor, type LatentEditor } from '../../src/editor';
import { registry } from '../../nodes';
import { contrast } from '../helpers/contrast';
import { deepCount } from '../helpers/dom';

function mount(): HTMLElement {
  const el = document.createElement('div');
  el.style.cssText = 'width: 1000px; height: 600px; position: relative; overflow: hidden;';
  document.body.append(el);
  return el;
}

/** All text inside the element and its open shadow roots. */
function deepText(root: Node): string {
  let out = '';
  const walk = (n: Node) => {
    if (n.nodeType === Node.TEXT_NODE) out += `${n.textContent} `;
    if (n instanceof Element && n.shadowRoot) walk(n.shadowRoot);
    n.childNodes.forEach(walk);
  };
  walk(root);
  return out.replace(/\s+/g, ' ');
}

const press = (target: EventTarget, key: string, mods: KeyboardEventInit = {}) =>
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true, ...mods }));

const nextFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

describe('editor', () => {
  let container: HTMLElement;
  let ed: LatentEditor;

  beforeEach(async () => {
    container = mount();
    ed = await createEditor(container, registry);
  });
  afterEach(() => {
    ed.destroy();
    container.remove();
  });

  it('shows a comment node\'s text as its title, follows edits and undo, and keeps it out of training', async () => {
    await ed.addNode('note.comment', [0, 0], 'note');
    ed.setParam('note', 'text', 'Encoder: 35 pixels down to a 2-D code');
    await new Promise((r) => setTimeout(r, 50));
    expect(deepText(container)).to.contain('Encoder: 35 pixels down to a 2-D code');
    expect(ed.getDoc().nodes.find((n) => n.id === 'note')!.params.text).to.equal('Encoder: 35 pixels down to a 2-D code');
    await ed.undo();
    await new Promise((r) => setTimeout(r, 50));
    expect(ed.getDoc().nodes.find((n) => n.id === 'note')!.params.text).to.equal('Note');
    expect(deepText(container)).not.to.contain('Encoder: 35 pixels');
  });

  it('builds the font AE by adding and connecting nodes', async () => {
    const changes: unknown[] = [];
    ed.docChanged$.subscribe((d) => changes.push(d));
    const ids = {
      data: await ed.addNode('dataset.font-7x5', [0, 200], 'data'),
      enc: await ed.addNode('encoder.dense', [260, 120], 'enc'),
      code: await ed.addNode('latent.deterministic', [520, 120], 'code'),
      dec: await ed.addNode('decoder.dense', [780, 120], 'dec'),
      recon: await ed.addNode('loss.reconstruction', [1040, 120], 'recon'),
      train: await ed.addNode('train.optimizer', [1300, 120], 'train'),
    };
    expect(Object.values(ids)).to.deep.equal(['data', 'enc', 'code', 'dec', 'recon', 'train']);
    const edges = [
      await ed.connect({ node: 'data', socket: 'x' }, { node: 'enc', socket: 'x' }),
      await ed.connect({ node: 'enc', socket: 'h' }, { node: 'code', socket: 'h' }),
      await ed.connect({ node: 'code', socket: 'z' }, { node: 'dec', socket: 'z' }),
      await ed.connect({ node: 'dec', socket: 'x' }, { node: 'recon', socket: 'x' }),
      await ed.connect({ node: 'data', socket: 'x' }, { node: 'recon', socket: 'target' }),
      await ed.connect({ node: 'recon', socket: 'loss' }, { node: 'train', socket: 'loss' }),
    ];
    expect(edges).to.deep.equal(['e1', 'e2', 'e3', 'e4', 'e5', 'e6']);
    const doc = ed.getDoc();
    expect(doc.nodes.map((n) => n.id)).to.deep.equal(['data', 'enc', 'code', 'dec', 'recon', 'train']);
    expect(doc.nodes.find((n) => n.id === 'enc')!.params.units).to.be.an('array');
    expect(doc.edges.map((e) => `${e.from.node}.${e.from.socket}->${e.to.node}.${e.to.socket}`)).to.include('recon.loss->train.loss');
    expect(changes.length).to.be.greaterThan(10);
    const check = loadGraph(JSON.stringify(doc), registry);
    expect(check.problems.filter((p) => p.severity === 'error'), JSON.stringify(check.problems)).to.deep.equal([]);
    await nextFrame();
    expect(deepText(container)).to.contain('Encoder (dense)').and.to.contain('Trainer');
  });

  it('refuses a connection the socket types forbid and says why', async () => {
    await ed.addNode('encoder.dense', [0, 0], 'enc');
    await ed.addNode('train.optimizer', [300, 0], 'train');
    const hint = firstValueFrom(ed.hints$);
    const id = await ed.connect({ node: 'enc', socket: 'h' }, { node: 'train', socket: 'loss' });
    expect(id).to.equal(null);
    expect(await hint).to.match(/Cannot connect Encoder \(dense\).s "features" output \[enc\.h\] to Trainer.s "loss terms" input \[train\.loss\]: it gives batch and a loss input needs a loss output/);
    expect(ed.getDoc().edges).to.deep.equal([]);
    expect(ed.editor.getConnections()).to.have.length(0);
  });

  it('a selected node stands out and its title stays readable (white on its fill at least 4.5:1)', async () => {
    await ed.addNode('encoder.dense', [0, 0], 'enc');
    await ed.select('enc');
    await nextFrame();
    const node = ed.area.nodeViews.get('enc')!.element.querySelector('rete-node')!;
    expect(node.classList.contains('selected')).to.equal(true);
    const look = getComputedStyle(node);
    const title = getComputedStyle(node.shadowRoot!.querySelector('.title')!).color;
    expect(contrast(title, look.backgroundColor), `${title} on ${look.backgroundColor}`).to.be.at.least(4.5);
    expect(look.borderTopColor).to.equal('rgb(255, 217, 44)');
  });

  it('undo restores a removed node and its connection (Ctrl+Z), redo removes them again', async () => {
    await ed.addNode('dataset.font-7x5', [0, 0], 'data');
    await ed.addNode('encoder.dense', [300, 0], 'enc');
    await ed.connect({ node: 'data', socket: 'x' }, { node: 'enc', socket: 'x' }, 'e1');
    await ed.select('enc');
    expect(ed.selectedIds()).to.deep.equal(['enc']);
    press(container, 'Delete');
    await ed.keysSettled();
    expect(ed.getDoc().nodes.map((n) => n.id)).to.deep.equal(['data']);
    expect(ed.getDoc().edges).to.deep.equal([]);
    press(container, 'z', { ctrlKey: true });
    await ed.keysSettled();
    const doc = ed.getDoc();
    expect(doc.nodes.map((n) => n.id).sort()).to.deep.equal(['data', 'enc']);
    expect(doc.edges.map((e) => e.id)).to.deep.equal(['e1']);
    expect(ed.editor.getConnection('e1')).to.not.equal(undefined);
    press(container, 'y', { ctrlKey: true });
    await ed.keysSettled();
    expect(ed.getDoc().nodes.map((n) => n.id)).to.deep.equal(['data']);
  });

  it('checks params: a valid value is written, an invalid one is refused; undo restores', async () => {
    await ed.addNode('encoder.dense', [0, 0], 'enc');
    expect(ed.setParam('enc', 'units', [60, 50, 30])).to.deep.equal([]);
    expect(ed.getDoc().nodes[0]!.params.units).to.deep.equal([60, 50, 30]);
    expect(ed.setParam('enc', 'units', [60, -1])).to.have.length.greaterThan(0);
    expect(ed.getDoc().nodes[0]!.params.units).to.deep.equal([60, 50, 30]);
    await ed.undo();
    expect(ed.getDoc().nodes[0]!.params.units).to.not.deep.equal([60, 50, 30]);
  });

  it('copies, pastes and duplicates selected nodes with fresh ids', async () => {
    await ed.addNode('dataset.font-7x5', [0, 0], 'data');
    await ed.addNode('encoder.dense', [300, 0], 'enc');
    await ed.connect({ node: 'data', socket: 'x' }, { node: 'enc', socket: 'x' });
    await ed.select('data');
    press(container, 'c', { ctrlKey: true });
    press(container, 'v', { ctrlKey: true });
    await ed.keysSettled();
    const doc = ed.getDoc();
    expect(doc.nodes.map((n) => n.id)).to.deep.equal(['data', 'enc', 'dataset']);
    expect(new Set(doc.nodes.map((n) => n.id)).size).to.equal(doc.nodes.length);
    press(container, 'd', { ctrlKey: true });
    await ed.keysSettled();
    expect(ed.getDoc().nodes.map((n) => n.id)).to.deep.equal(['data', 'enc', 'dataset', 'dataset2']);
  });

  it('selects the nodes inside a box drawn with Shift+drag, without panning; Ctrl+Shift+drag adds to the selection', async () => {
    await ed.addNode('dataset.font-7x5', [0, 0], 'a');
    await ed.addNode('encoder.dense', [300, 0], 'b');
    await ed.addNode('decoder.dense', [0, 400], 'c');
    await ed.fitView();
    await nextFrame();
    const rect = (id: string) => ed.area.nodeViews.get(id)!.element.getBoundingClientRect();
    const pointer = (type: string, target: EventTarget, x: number, y: number, mods: PointerEventInit = {}) =>
      target.dispatchEvent(new PointerEvent(type, { clientX: x, clientY: y, button: 0, buttons: 1, pointerType: 'mouse', bubbles: true, composed: true, ...mods }));
    const drag = (from: [number, number], to: [number, number], mods: PointerEventInit) => {
      pointer('pointerdown', container, ...from, mods);
      pointer('pointermove', window, (from[0] + to[0]) / 2, (from[1] + to[1]) / 2, mods);
      expect(container.querySelector('[data-box-select]'), 'the box is drawn while dragging').to.not.equal(null);
      pointer('pointermove', window, ...to, mods);
      pointer('pointerup', window, ...to, mods);
    };
    const settle = () => new Promise((r) => setTimeout(r, 30));
    const before = { ...ed.area.area.transform };
    // Around a and b (the top row), from empty canvas above-left of a to below-right of b's top edge.
    const a = rect('a'), b = rect('b'), c = rect('c');
    drag([a.left - 10, a.top - 10], [b.right + 5, a.top + 20], { shiftKey: true });
    await settle();
    expect(ed.selectedIds().sort()).to.deep.equal(['a', 'b']);
    expect(ed.area.area.transform).to.deep.equal(before);
    expect(container.querySelector('[data-box-select]')).to.equal(null);
    drag([c.left - 10, c.top - 10], [c.left + 20, c.top + 20], { shiftKey: true, ctrlKey: true });
    await settle();
    expect(ed.selectedIds().sort()).to.deep.equal(['a', 'b', 'c']);
    drag([c.left - 10, c.top - 10], [c.left + 20, c.top + 20], { shiftKey: true });
    await settle();
    expect(ed.selectedIds()).to.deep.equal(['c']);
  });

  it('emits save and run-toggle for Ctrl+S and Space', async () => {
    const commands = firstValueFrom(ed.commands$.pipe(take(2), toArray()));
    press(container, 's', { ctrlKey: true });
    press(container, ' ');
    expect(await commands).to.deep.equal(['save', 'run-toggle']);
  });

  it('loads graphs/font-ae.json with the same node and edge ids', async () => {
    const text = await (await fetch('/graphs/font-ae.json')).text();
    const { doc } = loadGraph(text, registry);
    expect(doc).to.not.equal(null);
    await ed.loadDoc(doc!);
    expect(ed.editor.getNodes().map((n) => n.id)).to.deep.equal(doc!.nodes.map((n) => n.id));
    expect(ed.editor.getConnections().map((c) => c.id)).to.deep.equal(doc!.edges.map((e) => e.id));
    await nextFrame();
    expect(container.querySelectorAll('rete-node').length + deepCount(container, 'rete-node')).to.be.greaterThanOrEqual(doc!.nodes.length);
    expect(deepCount(container, 'rete-connection')).to.equal(doc!.edges.length);
    expect(ed.getDoc()).to.deep.equal(doc);
    const pos = ed.area.nodeViews.get('enc')!.position;
    expect([pos.x, pos.y]).to.deep.equal(doc!.nodes.find((n) => n.id === 'enc')!.ui!.position);
  });

  it('arranges the nodes automatically (L) and writes the new positions into the GraphDoc', async () => {
    const { doc } = loadGraph(await (await fetch('/graphs/font-ae.json')).text(), registry);
    await ed.loadDoc(doc!);
    let unavailable = '';
    ed.hints$.subscribe((h) => { if (/not available/.test(h)) unavailable = h; });
    press(container, 'l');
    await ed.keysSettled();
    // If elkjs cannot load (it is pre-bundled for the test server, see web-test-runner.config.mjs), the
    // editor says so: a broken elkjs bundle is a failure, not a skip.
    expect(unavailable).to.equal('');
    expect(ed.getDoc().nodes.map((n) => n.ui?.position)).to.not.deep.equal(doc!.nodes.map((n) => n.ui?.position));
    const after = ed.getDoc();
    const pos = ed.area.nodeViews.get('dec')!.position;
    expect(after.nodes.find((n) => n.id === 'dec')!.ui!.position).to.deep.equal([Math.round(pos.x), Math.round(pos.y)]);
    expect(after.edges).to.deep.equal(doc!.edges);
  });
});

