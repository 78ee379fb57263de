import { expect } from '@esm-bundle/chai';
import { createEditor, type LatentEditor } from '../../src/editor';
import { registry } from '../../nodes';
import { loadGraph } from '../../src/graph';
import { presetFiles } from '../helpers/presets';
import { readRepoFile } from '../helpers/read-fixture';

const settle = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30)));

describe('editor: a node shows its key params under its title, in words that fit, telling nodes apart', () => {
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
    expect(face('enc')).to.deep.equal({ title: 'Encoder (dense)', summary: '"tanh 64 → 32"' });
    expect(face('train').summary).to.equal('"Adam · lr 0.005 · 2000 ep"');
    expect(ed.setParam('enc', 'units', [40, 20, 10])).to.deep.equal([]);
    await settle();
    expect(face('enc').summary).to.equal('"tanh 40 → 20 → 10"');
    await ed.undo();
    await settle();
    expect(face('enc').summary).to.equal('"tanh 64 → 32"');
    // The summary line has room of its own: the last socket row stays inside the node.
    const node = ed.area.nodeViews.get('enc')!.element.querySelector('rete-node')!;
    const last = [...node.shadowRoot!.querySelectorAll('.input, .output')].at(-1)!.getBoundingClientRect();
    expect(last.bottom).to.be.at.most(node.getBoundingClientRect().bottom);
  });

  it('an image grid says what feeds it, following its wire', async () => {
    await ed.addNode('infer.sample', [0, 0], 'sample');
    await ed.addNode('infer.interpolate', [0, 200], 'inter');
    await ed.addNode('view.image-grid', [300, 0], 'grid');
    await settle();
    expect(face('grid').summary).to.equal('"up to ×3"');
    const edge = await ed.connect({ node: 'sample', socket: 'images' }, { node: 'grid', socket: 'images' });
    await settle();
    expect(face('grid')).to.deep.equal({ title: 'Image grid', summary: '"from Sample new"' });
    await ed.disconnect(edge!);
    await ed.connect({ node: 'inter', socket: 'images' }, { node: 'grid', socket: 'images' });
    await settle();
    expect(face('grid').summary).to.equal('"from Interpolate"');
  });

  const g = document.createElement('canvas').getContext('2d')!;
  /** A node's title and summary as drawn, and the summary's width against the room the title line has. */
  const measuredFace = (id: string) => {
    const title = ed.area.nodeViews.get(id)!.element.querySelector('rete-node')!.shadowRoot!.querySelector<HTMLElement>('.title')!;
    const after = getComputedStyle(title, '::after');
    const summary = after.content === 'none' ? '' : (JSON.parse(after.content) as string);
    g.font = `${after.fontSize} ${after.fontFamily}`;
    const box = getComputedStyle(title);
    return { title: title.textContent!.trim(), summary, width: g.measureText(summary).width, room: title.clientWidth - parseFloat(box.paddingLeft) - parseFloat(box.paddingRight) };
  };

  for (const file of presetFiles) {
    it(`${file}: summaries fit their nodes, and no two nodes have the same title`, async () => {
      const { doc } = loadGraph(await readRepoFile(`graphs/${file}`), registry);
      await ed.loadDoc(doc!);
      await settle();
      const faces = doc!.nodes.filter((n) => n.kind !== 'note.comment' && n.kind !== 'note.frame').map((n) => ({ id: n.id, kind: n.kind, ...measuredFace(n.id) }));
      for (const f of faces) expect(f.width, `${f.id}: "${f.summary}" (${Math.round(f.width)} px in ${f.room} px)`).to.be.at.most(f.room);
      // Image grids share their kind's title; their faces say what feeds them ("from Latent grid").
      const titles = faces.filter((f) => f.kind !== 'view.image-grid').map((f) => f.title);
      expect(titles.filter((t, i) => titles.indexOf(t) !== i), 'titles shown twice').to.deep.equal([]);
      const whole = faces.map((f) => `${f.title} · ${f.summary}`);
      expect(whole.filter((t, i) => whole.indexOf(t) !== i), 'faces shown twice').to.deep.equal([]);
    });
  }
});
