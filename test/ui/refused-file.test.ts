// A file that cannot be opened lists its problems, and an edit made just before does not wipe them:
// the edit's pending validation (debounced) is dropped when the refusal is shown.
import { expect } from '@esm-bundle/chai';
import { mountApp, unmountApp } from '../helpers/app';
import type { LfApp } from '../../src/ui';

describe('lf-app: a refused file right after an edit', () => {
  let app: LfApp;
  afterEach(async () => { if (app) await unmountApp(app); });

  it('keeps the refused file\'s problems listed', async () => {
    app = await mountApp();
    const enc = app.editor!.getDoc().nodes.find((n) => n.kind === 'encoder.dense')!;
    expect(app.editor!.setParam(enc.id, 'units', [12])).to.deep.equal([]);
    expect(await app.openText('{"format": "latentflow/graph", "version": 1, "nodes": 3}', 'broken.graph.json')).to.equal(false);
    const refused = app.problems.map((p) => p.message);
    expect(refused.length).to.be.greaterThan(0);
    // Longer than the edit's validation debounce: had it fired, it would have replaced the list.
    await new Promise((r) => setTimeout(r, 500));
    expect(app.problems.map((p) => p.message)).to.deep.equal(refused);
  });
});
