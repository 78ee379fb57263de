// A comment's sweep button: the MNIST AE report's note sweeps the hidden size in one click.
import { expect } from '@esm-bundle/chai';
import { fetchedPresets, type LfApp, type LfSweep } from '../../src/ui';
import type { GraphNodeView } from '../../src/editor';
import { mountApp, unmountApp, until } from '../helpers/app';
import { deepFindAll } from '../helpers/dom';

const sweepButtons = (app: LfApp) => deepFindAll(app.shadowRoot!, 'lf-note-sweep')
  .map((el) => el.shadowRoot?.querySelector('button')).filter((b): b is HTMLButtonElement => !!b);

describe('a comment\'s sweep button', () => {
  let app: LfApp;
  afterEach(async () => { if (app) await unmountApp(app); });

  it('runs the note\'s sweep in the Sweep panel in one click (the MNIST AE: hidden size 64, 128, 256, 512)', async function () {
    this.timeout(120_000);
    app = await mountApp();
    app.presets = fetchedPresets(['mnist-ae']);
    await app.openPreset('mnist-ae');
    await until(() => sweepButtons(app).length === 1, 10_000, 'the note\'s sweep button');
    const button = sweepButtons(app)[0]!;
    expect(button.textContent).to.contain('Sweep enc.units = 64, 128, 256, 512');
    expect(app.shadowRoot!.querySelector('lf-sweep') === null, 'no sweep panel before the click').to.equal(true);
    button.click();
    await until(() => /run 1 of 8/.test(app.shadowRoot!.querySelector('lf-sweep')?.shadowRoot?.textContent ?? ''), 60_000, 'the sweep\'s first run');
    const panel = app.shadowRoot!.querySelector('lf-sweep') as LfSweep;
    expect(panel.spec).to.equal('enc.units=[64],[128],[256],[512]');
    // Stopped: training MNIST 8 times is not what this checks.
    const stop = [...panel.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent === 'Stop')!;
    const done = new Promise((r) => app.addEventListener('lf-sweep-done', r, { once: true }));
    stop.click();
    await done;
  });

  it('appears when a comment is given a sweep and goes when it is cleared; the note grows to hold it', async function () {
    this.timeout(120_000);
    app = await mountApp();
    const note = app.editor!.getDoc().nodes.find((n) => n.kind === 'note.comment')!;
    expect(sweepButtons(app)).to.have.length(0);
    const view = app.editor!.editor.getNode(note.id) as GraphNodeView;
    const plain = view.height;
    expect(app.editor!.setParam(note.id, 'sweep', 'enc.units=[16,8],[64,32]; train.lr=0.001,0.01')).to.deep.equal([]);
    await until(() => sweepButtons(app).length === 1, 5_000, 'the sweep button');
    expect(sweepButtons(app)[0]!.textContent).to.contain('Sweep enc.units = [16,8], [64,32] × train.lr = 0.001, 0.01');
    expect(view.height).to.be.greaterThan(plain);
    // The button sits inside the note's box.
    const node = deepFindAll(app.shadowRoot!, 'rete-node').find((el) => (el as unknown as { data: GraphNodeView }).data === view)!;
    const [box, btn] = [node.getBoundingClientRect(), sweepButtons(app)[0]!.getBoundingClientRect()];
    expect(btn.bottom).to.be.at.most(box.bottom + 0.5);
    expect(btn.right).to.be.at.most(box.right + 0.5);
    // The note's one-line field separates two params with ';': the panel gets one a line.
    sweepButtons(app)[0]!.click();
    await until(() => /run 1 of 8/.test(app.shadowRoot!.querySelector('lf-sweep')?.shadowRoot?.textContent ?? ''), 60_000, 'the sweep\'s first run');
    const panel = app.shadowRoot!.querySelector('lf-sweep') as LfSweep;
    expect(panel.spec).to.equal('enc.units=[16,8],[64,32]\ntrain.lr=0.001,0.01');
    const done = new Promise((r) => app.addEventListener('lf-sweep-done', r, { once: true }));
    [...panel.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent === 'Stop')!.click();
    await done;
    expect(app.editor!.setParam(note.id, 'sweep', '')).to.deep.equal([]);
    await until(() => sweepButtons(app).length === 0, 5_000, 'the button gone');
    expect(view.height).to.equal(plain);
  });
});
