import { expect } from '@esm-bundle/chai';
import { firstValueFrom } from 'rxjs';
import { createEditor, type LatentEditor } from '../../src/editor';
import { registry } from '../../nodes';

const nextFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

/** The centre of a node's socket on screen (Rete's Lit node keeps its sockets in its shadow root). */
function socketCentre(ed: LatentEditor, nodeId: string, side: 'input' | 'output', key: string): [number, number] {
  const node = ed.area.nodeViews.get(nodeId)!.element.querySelector('rete-node')!;
  const ref = node.shadowRoot!.querySelector(`[data-testid="${side}-${key}"] rete-ref`)!;
  const r = ref.getBoundingClientRect();
  return [r.left + r.width / 2, r.top + r.height / 2];
}

const pointer = (type: string, target: EventTarget, [x, y]: [number, number]) =>
  target.dispatchEvent(new PointerEvent(type, { clientX: x, clientY: y, button: 0, buttons: type === 'pointerup' ? 0 : 1, pointerType: 'mouse', bubbles: true, composed: true }));

describe('editor: a refused connection drawn with the mouse', () => {
  let container: HTMLElement;
  let ed: LatentEditor;
  beforeEach(async () => {
    container = document.createElement('div');
    container.style.cssText = 'width: 780px; height: 560px; position: relative; overflow: hidden;';
    document.body.append(container);
    ed = await createEditor(container, registry, { minimap: false });
  });
  afterEach(() => {
    ed.destroy();
    container.remove();
  });

  it('dropping a decoder output onto an encoder input that is connected already keeps the old edge, says why and records no undo step', async () => {
    await ed.addNode('dataset.font-7x5', [0, 0], 'data');
    await ed.addNode('encoder.dense', [250, 0], 'enc');
    await ed.addNode('decoder.dense', [500, 0], 'dec');
    // Apart in time, so that undo history keeps the connection a step of its own.
    const apart = () => new Promise((r) => setTimeout(r, 600));
    await apart();
    expect(await ed.connect({ node: 'data', socket: 'x' }, { node: 'enc', socket: 'x' })).to.equal('e1');
    await ed.fitView();
    await nextFrame();
    await apart();
    const before = ed.getDoc().edges;
    const hint = firstValueFrom(ed.hints$);
    const from = socketCentre(ed, 'dec', 'output', 'x');
    const to = socketCentre(ed, 'enc', 'input', 'x');
    const start = ed.area.nodeViews.get('dec')!.element.querySelector('rete-node')!.shadowRoot!.querySelector('[data-testid="output-x"] rete-ref')!;
    pointer('pointerdown', start, from);
    pointer('pointermove', window, [(from[0] + to[0]) / 2, (from[1] + to[1]) / 2]);
    pointer('pointermove', window, to);
    pointer('pointerup', window, to);
    expect(await Promise.race([hint, new Promise((r) => setTimeout(() => r('no hint'), 2000))])).to.match(/Encoder \(dense\).s "x" input \[enc\.x\] takes one wire and has one: drag the old wire off that input first/);
    await new Promise((r) => setTimeout(r, 50));
    expect(ed.getDoc().edges).to.deep.equal(before);
    expect(ed.editor.getConnections().map((c) => `${c.source}.${c.sourceOutput}->${c.target}.${c.targetInput}`)).to.deep.equal(['data.x->enc.x']);
    // Nothing happened, so there is nothing to undo: undo takes back the connection made before.
    await ed.undo();
    expect(ed.getDoc().edges).to.deep.equal([]);
    expect(ed.getDoc().nodes.map((n) => n.id)).to.deep.equal(['data', 'enc', 'dec']);
    // A drop that is allowed still connects.
    const start2 = ed.area.nodeViews.get('data')!.element.querySelector('rete-node')!.shadowRoot!.querySelector('[data-testid="output-x"] rete-ref')!;
    const from2 = socketCentre(ed, 'data', 'output', 'x');
    pointer('pointerdown', start2, from2);
    pointer('pointermove', window, to);
    pointer('pointerup', window, to);
    await new Promise((r) => setTimeout(r, 50));
    expect(ed.getDoc().edges.map((e) => `${e.from.node}.${e.from.socket}->${e.to.node}.${e.to.socket}`)).to.deep.equal(['data.x->enc.x']);
  });
});
