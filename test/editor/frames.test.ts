// Frames (note.frame): grouping nodes on the canvas, kept in the graph file as `ui.parent` on members.
import { expect } from '@esm-bundle/chai';
import { loadGraph, saveGraph, type GraphDoc, type GraphNode } from '../../src/graph';
import { createEditor, shortcutList, type LatentEditor } from '../../src/editor';
import { registry } from '../../nodes';

function mount(): HTMLElement {
  const el = document.createElement('div');
  el.style.cssText = 'width: 1000px; height: 600px; position: relative; overflow: hidden;';
  document.body.append(el);
  return el;
}

const press = (target: EventTarget, key: string, mods: KeyboardEventInit = {}) =>
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true, ...mods }));
const settle = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 20)));
/** Lets the history's 200 ms grouping window pass, so the next change is its own undo step. */
const pause = () => new Promise((r) => setTimeout(r, 250));

const node = (doc: GraphDoc, id: string): GraphNode => {
  const n = doc.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id} in ${doc.nodes.map((x) => x.id).join(', ')}`);
  return n;
};
const frames = (doc: GraphDoc) => doc.nodes.filter((n) => n.kind === 'note.frame');

describe('editor frames', () => {
  let container: HTMLElement;
  let ed: LatentEditor;
  let hints: string[];

  beforeEach(async () => {
    container = mount();
    ed = await createEditor(container, registry);
    hints = [];
    ed.hints$.subscribe((h) => hints.push(h));
    await ed.addNode('dataset.font-7x5', [0, 0], 'data');
    await ed.addNode('encoder.dense', [300, 40], 'enc');
    await ed.addNode('decoder.dense', [900, 300], 'dec');
    await ed.connect({ node: 'data', socket: 'x' }, { node: 'enc', socket: 'x' }, 'e1');
    await pause();
  });
  afterEach(() => {
    ed.destroy();
    container.remove();
  });

  /** Selects data and enc and frames them with Ctrl+G; returns the frame's id. */
  async function frameDataAndEnc(): Promise<string> {
    await ed.select('data');
    await ed.select('enc', { add: true });
    expect(ed.selectedIds().sort()).to.deep.equal(['data', 'enc']);
    press(container, 'g', { ctrlKey: true });
    await settle();
    const made = frames(ed.getDoc());
    expect(made, 'one frame').to.have.length(1);
    return made[0]!.id;
  }

  const pos = (id: string) => {
    const p = ed.area.nodeViews.get(id)!.position;
    return [p.x, p.y];
  };

  it('lists Ctrl+G and Ctrl+Shift+G in the shortcuts the help panel shows', () => {
    expect(shortcutList.map((s) => `${s.keys} ${s.command}`)).to.include.members(['Ctrl+G frame-selection', 'Ctrl+Shift+G unframe']);
  });

  it('frames the selection (Ctrl+G): a note.frame around the nodes, drawn behind them, members marked in the document', async () => {
    const frameId = await frameDataAndEnc();
    const doc = ed.getDoc();
    expect(node(doc, 'data').ui!.parent).to.equal(frameId);
    expect(node(doc, 'enc').ui!.parent).to.equal(frameId);
    expect(node(doc, 'dec').ui).to.not.have.property('parent');
    // The file checks clean as far as the frame goes (the unconnected decoder is reported, as before).
    expect(loadGraph(JSON.stringify(doc), registry).problems.filter((p) => p.nodeId === frameId || /\.ui\b/.test(p.path ?? ''))).to.deep.equal([]);

    const frame = ed.editor.getNode(frameId)!;
    const [fx, fy] = pos(frameId);
    for (const id of ['data', 'enc']) {
      const member = ed.editor.getNode(id)!;
      const [x, y] = pos(id);
      expect(x, `${id} left`).to.be.greaterThan(fx!);
      expect(y, `${id} top`).to.be.greaterThan(fy!);
      expect(x + member.width, `${id} right`).to.be.lessThan(fx! + frame.width);
      expect(y + member.height, `${id} bottom`).to.be.lessThan(fy! + frame.height);
    }
    const [dx] = pos('dec');
    expect(dx).to.be.greaterThan(fx! + frame.width);
    // The frame's element comes first in the canvas, so nodes and connections are painted over it.
    const holder = ed.area.area.content.holder;
    const order = [...holder.children];
    const frameEl = ed.area.nodeViews.get(frameId)!.element;
    expect(order.indexOf(frameEl)).to.equal(0);
    // It is drawn at its size, as a tinted dashed box (the frame look is applied over the classic node's).
    const reteNode = frameEl.querySelector('rete-node') as HTMLElement;
    const box = reteNode.getBoundingClientRect();
    const k = ed.area.area.transform.k;
    expect(Math.round(box.width / k)).to.equal(frame.width);
    expect(Math.round(box.height / k)).to.equal(frame.height);
    expect(getComputedStyle(reteNode).borderTopStyle).to.equal('dashed');
  });

  it('moves the members with the frame by the same delta; moving a member refits the frame', async () => {
    const frameId = await frameDataAndEnc();
    await ed.select(null);
    const before = { data: pos('data'), enc: pos('enc'), dec: pos('dec') };
    const [fx, fy] = pos(frameId);
    await ed.area.translate(frameId, { x: fx! + 150, y: fy! - 70 });
    expect(pos('data')).to.deep.equal([before.data[0]! + 150, before.data[1]! - 70]);
    expect(pos('enc')).to.deep.equal([before.enc[0]! + 150, before.enc[1]! - 70]);
    expect(pos('dec'), 'a node outside the frame stays').to.deep.equal(before.dec);
    const doc = ed.getDoc();
    expect(node(doc, 'enc').ui!.position).to.deep.equal([before.enc[0]! + 150, before.enc[1]! - 70]);
    expect(node(doc, frameId).ui!.position).to.deep.equal([fx! + 150, fy! - 70]);

    const width = ed.editor.getNode(frameId)!.width;
    await ed.area.translate('enc', { x: pos('enc')[0]! + 200, y: pos('enc')[1]! });
    expect(ed.editor.getNode(frameId)!.width, 'grows to keep the moved member inside').to.equal(width + 200);
    expect(pos('data'), 'moving a member moves nothing else').to.deep.equal([before.data[0]! + 150, before.data[1]! - 70]);
  });

  it('keeps membership and ids through save and load, byte-stable', async () => {
    const frameId = await frameDataAndEnc();
    ed.setParam(frameId, 'title', 'Encoder side');
    const text = saveGraph(ed.getDoc());
    const geometry = { at: pos(frameId), width: ed.editor.getNode(frameId)!.width, height: ed.editor.getNode(frameId)!.height };

    const { doc, problems } = loadGraph(text, registry);
    expect(problems.filter((p) => p.nodeId === frameId || /\.ui\b/.test(p.path ?? ''))).to.deep.equal([]);
    const again = await createEditor(mount(), registry);
    try {
      await again.loadDoc(doc!);
      expect(again.editor.getNodes().map((n) => n.id)).to.deep.equal(doc!.nodes.map((n) => n.id));
      expect(saveGraph(again.getDoc())).to.equal(text);
      expect(node(again.getDoc(), 'enc').ui!.parent).to.equal(frameId);
      const f = again.editor.getNode(frameId)!;
      const at = again.area.nodeViews.get(frameId)!.position;
      expect({ at: [at.x, at.y], width: f.width, height: f.height }).to.deep.equal(geometry);
      // Membership works after loading: the frame carries its members.
      await again.area.translate(frameId, { x: at.x + 10, y: at.y + 10 });
      const enc = again.area.nodeViews.get('enc')!.position;
      expect([enc.x, enc.y]).to.deep.equal([pos('enc')[0]! + 10, pos('enc')[1]! + 10]);
    } finally {
      again.destroy();
    }
  });

  it('deleting a frame keeps its members and clears their ui.parent; undo brings both back', async () => {
    const frameId = await frameDataAndEnc();
    await pause();
    const before = { data: pos('data'), enc: pos('enc') };
    await ed.select(frameId);
    press(container, 'Delete');
    await settle();
    let doc = ed.getDoc();
    expect(frames(doc)).to.deep.equal([]);
    expect(doc.nodes.map((n) => n.id).sort()).to.deep.equal(['data', 'dec', 'enc']);
    expect(node(doc, 'data').ui).to.not.have.property('parent');
    expect(node(doc, 'enc').ui).to.not.have.property('parent');
    expect(doc.edges.map((e) => e.id)).to.deep.equal(['e1']);
    expect({ data: pos('data'), enc: pos('enc') }).to.deep.equal(before);

    press(container, 'z', { ctrlKey: true });
    await settle();
    doc = ed.getDoc();
    expect(frames(doc).map((f) => f.id)).to.deep.equal([frameId]);
    expect(node(doc, 'enc').ui!.parent).to.equal(frameId);
    expect(node(doc, 'data').ui!.parent).to.equal(frameId);
  });

  it('undo of framing removes the frame and the membership; redo puts them back', async () => {
    const frameId = await frameDataAndEnc();
    await pause();
    const before = { data: pos('data'), enc: pos('enc') };
    await ed.undo();
    await settle();
    let doc = ed.getDoc();
    expect(frames(doc)).to.deep.equal([]);
    expect(node(doc, 'data').ui).to.not.have.property('parent');
    expect(node(doc, 'enc').ui).to.not.have.property('parent');
    expect({ data: pos('data'), enc: pos('enc') }, 'nodes stay where they were').to.deep.equal(before);
    await ed.redo();
    await settle();
    doc = ed.getDoc();
    expect(frames(doc).map((f) => f.id)).to.deep.equal([frameId]);
    expect(node(doc, 'enc').ui!.parent).to.equal(frameId);
  });

  it('undo of a frame move puts frame and members back once (not twice)', async () => {
    const frameId = await frameDataAndEnc();
    await ed.select(null);
    await pause();
    const before = { frame: pos(frameId), data: pos('data'), enc: pos('enc') };
    await ed.area.translate(frameId, { x: before.frame[0]! + 100, y: before.frame[1]! + 100 });
    await pause();
    await ed.undo();
    await settle();
    expect({ frame: pos(frameId), data: pos('data'), enc: pos('enc') }).to.deep.equal(before);
    await ed.redo();
    await settle();
    const moved = (p: number[]) => [p[0]! + 100, p[1]! + 100];
    expect({ frame: pos(frameId), data: pos('data'), enc: pos('enc') }).to.deep.equal({ frame: moved(before.frame), data: moved(before.data), enc: moved(before.enc) });
  });

  it('takes nodes out of their frame (Ctrl+Shift+G); the frame shrinks around the rest', async () => {
    const frameId = await frameDataAndEnc();
    const width = ed.editor.getNode(frameId)!.width;
    await ed.select('enc');
    press(container, 'G', { ctrlKey: true, shiftKey: true });
    await settle();
    const doc = ed.getDoc();
    expect(node(doc, 'enc').ui).to.not.have.property('parent');
    expect(node(doc, 'data').ui!.parent).to.equal(frameId);
    expect(ed.editor.getNode(frameId)!.width).to.be.lessThan(width);
  });

  it('pastes a copied frame with its members (new ids, membership remapped); a duplicated member stays in its frame', async () => {
    const frameId = await frameDataAndEnc();
    await ed.select(frameId, { add: true });
    press(container, 'c', { ctrlKey: true });
    press(container, 'v', { ctrlKey: true });
    await settle();
    let doc = ed.getDoc();
    const copies = frames(doc).filter((f) => f.id !== frameId);
    expect(copies, 'a second frame').to.have.length(1);
    const copy = copies[0]!.id;
    const inCopy = doc.nodes.filter((n) => n.ui?.parent === copy).map((n) => n.kind).sort();
    expect(inCopy).to.deep.equal(['dataset.font-7x5', 'encoder.dense']);
    expect(doc.nodes.filter((n) => n.ui?.parent === frameId).map((n) => n.id).sort()).to.deep.equal(['data', 'enc']);

    await ed.select('enc');
    press(container, 'd', { ctrlKey: true });
    await settle();
    doc = ed.getDoc();
    expect(doc.nodes.filter((n) => n.ui?.parent === frameId).length).to.equal(3);
  });

  it('ignores a ui.parent that names a missing node or a non-frame, with a hint, and keeps the field', async () => {
    const { doc } = loadGraph({
      format: 'latentflow/graph', version: 1, meta: { title: 'dangling' },
      nodes: [
        { id: 'data', kind: 'dataset.font-7x5', kindVersion: 1, params: {}, ui: { position: [0, 0], parent: 'ghost' } },
        { id: 'enc', kind: 'encoder.dense', kindVersion: 1, params: {}, ui: { position: [300, 0], parent: 'data' } },
        { id: 'odd', kind: 'note.comment', kindVersion: 1, params: {}, ui: { position: [0, 300], parent: 42 } },
      ],
      edges: [],
    }, registry);
    await ed.loadDoc(doc!);
    expect(ed.editor.getNodes().map((n) => n.id)).to.deep.equal(['data', 'enc', 'odd']);
    expect(hints.some((h) => /Ignored the frame of 3 nodes/.test(h)), hints.join(' | ')).to.equal(true);
    await ed.area.translate('data', { x: 50, y: 50 });
    expect(pos('enc'), 'a non-frame does not carry nodes').to.deep.equal([300, 0]);
    expect(node(ed.getDoc(), 'data').ui!.parent).to.equal('ghost');
  });

  it('a frame from the palette has room for nodes and its colour param redraws it', async () => {
    const id = (await ed.addNode('note.frame', [0, 500]))!;
    await settle();
    const frame = ed.editor.getNode(id)!;
    expect([frame.width, frame.height]).to.deep.equal([320, 160]);
    const el = ed.area.nodeViews.get(id)!.element.querySelector('rete-node') as HTMLElement;
    const blue = getComputedStyle(el).borderTopColor;
    expect(ed.setParam(id, 'color', 'orange')).to.deep.equal([]);
    await settle();
    expect(getComputedStyle(el).borderTopColor).to.not.equal(blue);
    expect(getComputedStyle(el).borderTopColor).to.equal('rgb(242, 142, 43)');
  });
});
