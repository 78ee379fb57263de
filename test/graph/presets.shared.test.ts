// Every preset in graphs/ is a clean, canonical graph file: it loads without problems and saving
// it gives back the very same bytes (so presets diff cleanly and never drift from the writer).
import { expect } from '@esm-bundle/chai';
import { formatProblem, kindLabel, loadGraph, saveGraph } from '../../src/graph';
import { registry } from '../../nodes';
import { presetFiles } from '../helpers/presets';
import { readRepoFile } from '../helpers/read-fixture';

describe('preset graphs (graphs/)', () => {
  for (const file of presetFiles) {
    describe(file, () => {
      it('loads with no errors and no warnings', async () => {
        const r = loadGraph(await readRepoFile(`graphs/${file}`), registry);
        expect(r.problems.map(formatProblem)).to.deep.equal([]);
        expect(r.doc).not.to.equal(null);
      });

      it('is byte-identical to saveGraph of the loaded document', async () => {
        const text = await readRepoFile(`graphs/${file}`);
        expect(saveGraph(loadGraph(text, registry).doc!)).to.equal(text);
      });

      it('has a title, one trainer and something to train', async () => {
        const r = loadGraph(await readRepoFile(`graphs/${file}`), registry);
        expect(r.doc!.meta.title?.trim()).to.be.a('string').and.not.equal('');
        expect(r.doc!.nodes.filter((n) => registry.get(n.kind)?.category === 'train')).to.have.length(1);
        expect(r.check!.totalParams).to.be.above(0);
      });

      it('shows its notes whole on the canvas (a comment\'s face is cut after a few lines)', async () => {
        const r = loadGraph(await readRepoFile(`graphs/${file}`), registry);
        for (const n of r.doc!.nodes.filter((x) => x.kind === 'note.comment')) {
          expect(kindLabel(registry.get(n.kind)!, n.params), n.id).to.equal(String(n.params.text).trim().replace(/\s+/g, ' '));
        }
      });
    });
  }
});
