import { expect } from '@esm-bundle/chai';
import { registry } from '../../nodes';
import { saveGraph } from '../../src/graph';
import { deleteLibrary, listGraphs, listWeights, readDroppedFile } from '../../src/store';
import type { LfApp, LfLibrary, LfViews } from '../../src/ui';
import { mountApp as mountTestApp, until } from '../helpers/app';

const mounted: LfApp[] = [];
const dbNames = new Set<string>();

async function mountApp(dbName: string, initial = 'font-ae'): Promise<LfApp> {
  const app = await mountTestApp({ dbName, initial, autosaveDelay: 50 });
  mounted.push(app);
  dbNames.add(dbName);
  return app;
}

/** Closes an app as a page reload would: flushes, removes, closes its library connection. */
async function closeApp(app: LfApp): Promise<void> {
  app.remove();
  await app.document.closed;
  app.library?.close();
}

const freshName = () => `lf-persist-${Math.random().toString(36).slice(2)}`;

describe('persistence in the app', () => {
  afterEach(async () => {
    for (const app of mounted.splice(0)) { app.remove(); app.library?.close(); }
    for (const n of dbNames) await deleteLibrary(n);
    dbNames.clear();
    history.replaceState(null, '', location.pathname + location.search);
  });

  it('autosaves an edit within a second; a reload restores the graph and its trained weights bit for bit', async function () {
    this.timeout(180_000);
    const db = freshName();
    const app = await mountApp(db);
    expect(app.editor!.setParam('enc', 'units', [40, 20])).to.deep.equal([]);
    const t0 = performance.now();
    await until(() => app.graphId !== null, 1000, 'the autosave');
    expect(performance.now() - t0).to.be.below(1000);

    // train, then stop: the run's weights go to the library
    await app.session.act('train');
    await until(() => (app.run?.history().steps.length ?? 0) > 0, 60_000, 'some training');
    await app.run!.stop();
    await until(async () => (await listWeights(app.library!, app.graphId!)).length > 0, 30_000, 'saved weights');
    const trained = await app.run!.getWeights();
    const stoppedAt = (await app.run!.finished).epoch;
    const id = app.graphId;
    await closeApp(app);

    const again = await mountApp(db);
    expect(again.graphId).to.equal(id);
    expect(again.editor!.getDoc().nodes.find((n) => n.id === 'enc')!.params.units).to.deep.equal([40, 20]);
    const restored = again.trainedWeights!;
    expect(Object.keys(restored).sort()).to.deep.equal(Object.keys(trained).sort());
    for (const [node, vars] of Object.entries(trained)) {
      for (const [name, w] of Object.entries(vars)) {
        const r = restored[node]![name]!;
        expect(r.shape).to.deep.equal(w.shape);
        expect(new Uint32Array(r.values.buffer, r.values.byteOffset, r.values.length)).to.deep.equal(new Uint32Array(w.values.buffer, w.values.byteOffset, w.values.length));
      }
    }
    // The checkpoint written on Stop is offered for a resume, at the epoch the run stopped in.
    expect(again.resumable?.epoch).to.equal(stoppedAt);
  });

  it('after a reload, Resume continues the run: its step count, loss history and optimizer state come back', async function () {
    this.timeout(180_000);
    const db = freshName();
    const app = await mountApp(db);
    await app.session.act('train');
    await until(() => (app.run?.history().steps.length ?? 0) >= 40, 60_000, 'some training');
    await app.run!.stop();
    const stoppedAt = app.run!.history().steps.length;
    await until(() => (app.resumable?.step ?? 0) >= stoppedAt, 30_000, 'the checkpoint at stop');
    expect(app.resumable!.optimizer?.optimizer).to.equal('adam');
    await closeApp(app);

    const again = await mountApp(db);
    await until(() => again.resumable !== null, 10_000, 'the resume offer');
    const offer = again.shadowRoot!.querySelector<HTMLButtonElement>('.resume-offer')!;
    expect(offer.textContent).to.match(/Resume from epoch \d+/);
    offer.click();
    await until(() => (again.run?.history().steps.length ?? 0) > stoppedAt + 20, 60_000, 'training after the resume');
    const h = again.run!.history();
    expect(h.steps[0]).to.equal(0);
    expect(h.steps[stoppedAt]).to.equal(stoppedAt);
    await again.run!.stop();
    // Adam's step count went on from the checkpoint's: its state was restored, not restarted.
    const total = again.run!.history().steps.length;
    await until(() => (again.resumable?.step ?? 0) >= total, 30_000, 'the checkpoint of the resumed run');
    expect(again.resumable!.optimizer!.iterations).to.equal(again.resumable!.step);
  });

  it('after a structural edit, Train carries the trained weights over where shapes still fit (an AE becomes a warm-started DAE), unless turned off', async function () {
    this.timeout(180_000);
    const app = await mountApp(freshName());
    const ed = app.editor!;
    expect(ed.setParam('train', 'epochs', 60)).to.deep.equal([]);
    const hint = () => app.shadowRoot!.querySelector('.hint')?.textContent ?? '';
    const train = async () => {
      await app.session.act('train');
      await app.run!.finished;
      await app.saved;
    };
    await train();
    expect(hint()).to.not.contain('carried over');

    // Noise in front of the encoder: a DAE with the same encoder, code and decoder shapes.
    await ed.addNode('noise.gaussian', [100, 300], 'noise');
    await ed.disconnect('e1');
    await ed.connect({ node: 'data', socket: 'x' }, { node: 'noise', socket: 'x' });
    await ed.connect({ node: 'noise', socket: 'x' }, { node: 'enc', socket: 'x' });
    await app.session.act('train');
    await until(() => /\d+ trained weights carried over/.test(hint()), 30_000, 'the carried-over hint');
    const trainedVars = Object.values(await app.run!.getWeights()).reduce((n, vars) => n + Object.keys(vars).length, 0);
    expect(Number(/(\d+) trained weights carried over/.exec(hint())![1])).to.equal(trainedVars);
    expect(hint()).to.not.contain('changed shape');
    await app.run!.finished;
    await app.saved;

    // Turned off: after the next structural edit every weight starts afresh.
    const controls = app.shadowRoot!.querySelector('lf-run-controls')!;
    controls.shadowRoot!.querySelector<HTMLInputElement>('label.reuse input')!.click();
    await app.updateComplete;
    expect(app.reuseWeights).to.equal(false);
    await ed.removeNode('noise');
    await ed.connect({ node: 'data', socket: 'x' }, { node: 'enc', socket: 'x' });
    await until(() => hint() === '', 6000, 'the last hint to clear');
    await train();
    expect(hint()).to.not.contain('carried over');
  });

  it('"Copy link" makes a link that opens the same graph', async () => {
    const app = await mountApp(freshName());
    await app.share('link');
    expect(app.lastLink).to.match(/#g=[A-Za-z0-9_-]+$/);
    const text = saveGraph(app.editor!.getDoc());
    await closeApp(app);
    history.replaceState(null, '', app.lastLink.slice(app.lastLink.indexOf('#')));
    const opened = await mountApp(freshName(), '');
    expect(saveGraph(opened.editor!.getDoc())).to.equal(text);
    expect(location.hash).to.equal('');
  });

  it('a PNG saved from a view reopens as the graph', async () => {
    const app = await mountApp(freshName());
    const text = saveGraph(app.editor!.getDoc());
    const views = app.shadowRoot!.querySelector<LfViews>('lf-views')!;
    await views.updateComplete;
    const png = await views.pngOf('curve');
    expect(png).to.be.instanceOf(Uint8Array);
    expect((await readDroppedFile('curve.png', png!, registry)).kind).to.equal('graph');
    await app.document.openEmpty();
    expect(app.editor!.getDoc().nodes).to.have.length(0);
    expect(await app.openBytes('curve.png', png!)).to.equal(true);
    expect(saveGraph(app.editor!.getDoc())).to.equal(text);
  });

  it('the library drawer renames, deletes and undoes a delete', async () => {
    const app = await mountApp(freshName());
    const id = (await app.saveNow())!;
    app.libraryOpen = true;
    await app.updateComplete;
    const drawer = app.shadowRoot!.querySelector<LfLibrary>('lf-library')!;
    await drawer.refresh();
    await drawer.updateComplete;
    expect(drawer.shadowRoot!.querySelector(`li[data-id="${id}"]`)).to.not.equal(null);

    await drawer.rename(id, 'My font AE');
    expect((await listGraphs(app.library!)).map((g) => g.title)).to.deep.equal(['My font AE']);
    await until(() => app.editor!.getDoc().meta?.title === 'My font AE', 2000, 'the open graph renamed');

    await drawer.deleteItem({ id, title: 'My font AE', created: '', updated: '' });
    expect(await listGraphs(app.library!)).to.deep.equal([]);
    expect(app.graphId).to.equal(null);
    await drawer.updateComplete;
    drawer.shadowRoot!.querySelector<HTMLButtonElement>('[data-action=undo]')!.click();
    await until(async () => (await listGraphs(app.library!)).length === 1, 2000, 'undo');
    expect((await listGraphs(app.library!))[0]!.id).to.equal(id);
  });
});
