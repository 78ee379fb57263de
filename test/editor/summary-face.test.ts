import { expect } from '@esm-bundle/chai';
import { createEditor, type LatentEditor } from '../../src/editor';
import { registry } from '../../nodes';

const settle = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30)));

describe('editor: a node shows its key params under its title', () => {
  let container: HTMLElement;
  let ed: LatentEditor;
  beforeEach(async () => {
    container = document.createElement('div');
    container.style.cssText = 'width: 800px; height: 500px; position: relative; overflow: hidden;';
    document.body.append(container);
    ed = await createEditor(container, registry, { minimap: false });
  });
  afterEach(() => {
    ed.destroy();
    container.remove();
  });

  const face = (id: string) => {
    const title = ed.area.nodeViews.get(id)!.element.querySelector('rete-node')!.shadowRoot!.querySelector('.title')!;
    return { title: title.textContent!.trim(), summary: getComputedStyle(title, '::after').content };
  };

  it('draws the summary on the face, follows param edits and undo', async () => {
    await ed.addNode('encoder.dense', [0, 0], 'enc');
    await ed.addNode('train.optimizer', [300, 0], 'train');
    await settle();
    expect(face('enc')).to.deep.equal({ title: 'Encoder (dense)', summary: '"tanh · 64 → 32"' });
    expect(face('train').summary).to.equal('"Adam · lr 0.005 · 2000 ep"');
    expect(ed.setParam('enc', 'units', [40, 20, 10])).to.deep.equal([]);
    await settle();
    expect(face('enc').summary).to.equal('"tanh · 40 → 20 → 10"');
    await ed.undo();
    await settle();
    expect(face('enc').summary).to.equal('"tanh · 64 → 32"');
    // The summary line has room of its own: the last socket row stays inside the node.
    const node = ed.area.nodeViews.get('enc')!.element.querySelector('rete-node')!;
    const last = [...node.shadowRoot!.querySelectorAll('.input, .output')].at(-1)!.getBoundingClientRect();
    expect(last.bottom).to.be.at.most(node.getBoundingClientRect().bottom);
  });
});
