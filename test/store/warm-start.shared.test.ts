import { expect } from '@esm-bundle/chai';
import { openLibrary, saveGraphDoc, saveWeights, warmStartWeights } from '../../src/store';
import { loadGraph } from '../../src/graph';
import { registry } from '../../nodes';
import { readRepoFile } from '../helpers/read-fixture';
import { nextMillisecond } from '../helpers/clock';

describe('warm start from a saved graph', () => {
  it('finds the newest trained weights of a graph by id or by title, and says why when it cannot', async () => {
    const lib = await openLibrary({ name: `warm-${Math.random().toString(36).slice(2)}`, indexedDB: null });
    const doc = loadGraph(await readRepoFile('graphs/font-ae.json'), registry).doc!;
    const saved = await saveGraphDoc(lib, doc);
    if (!saved.ok) throw new Error(saved.problem.message);
    const id = saved.value.id;
    expect(await warmStartWeights(lib, 'AE — 7x5 font')).to.match(/has no trained weights yet/);
    const kernel = { shape: [2, 2], values: new Float32Array([1, 2, 3, 4]) };
    await saveWeights(lib, id, 'old-structure', { enc: { 'dense0/kernel': kernel } });
    await nextMillisecond();
    await saveWeights(lib, id, 'new-structure', { enc: { 'dense0/kernel': { shape: [2, 2], values: new Float32Array([5, 6, 7, 8]) } } });
    const byTitle = await warmStartWeights(lib, '  ae — 7X5 FONT ');
    const byId = await warmStartWeights(lib, id);
    for (const found of [byTitle, byId]) {
      if (typeof found === 'string') throw new Error(found);
      expect(found.graphId).to.equal(id);
      expect(Array.from(found.weights.enc!['dense0/kernel']!.values)).to.deep.equal([5, 6, 7, 8]);
    }
    expect(await warmStartWeights(lib, 'no such graph')).to.match(/no saved graph with the id or title "no such graph"/);
    lib.close();
  });
});
