// The minimap skips redraws while a document loads (DeferredMinimap) and must still show every node after it.
import { expect } from '@esm-bundle/chai';
import { loadGraph } from '../../src/graph';
import { createEditor } from '../../src/editor';
import { registry } from '../../nodes';
import { deepCount } from '../helpers/dom';

const settle = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 20)));

describe('editor minimap', () => {
  it('shows every node of a loaded document once loading is done, and follows later edits', async () => {
    const container = document.createElement('div');
    container.style.cssText = 'width: 1000px; height: 600px; position: relative; overflow: hidden;';
    document.body.append(container);
    const ed = await createEditor(container, registry);
    try {
      const { doc } = loadGraph(await (await fetch('/graphs/font-ae.json')).text(), registry);
      await ed.loadDoc(doc!);
      await settle();
      expect(deepCount(container, 'rete-mini-node')).to.equal(doc!.nodes.length);
      await ed.addNode('note.comment', [0, 900], 'later');
      await settle();
      expect(deepCount(container, 'rete-mini-node')).to.equal(doc!.nodes.length + 1);
      await ed.removeNode('later');
      await ed.removeNode(doc!.nodes[0]!.id);
      await settle();
      expect(deepCount(container, 'rete-mini-node')).to.equal(doc!.nodes.length - 1);
    } finally {
      ed.destroy();
      container.remove();
    }
  });
});
