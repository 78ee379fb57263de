import { expect } from '@esm-bundle/chai';
import type { LfApp, LfInspector, LfLossCurve, LfProblems, LfResultView } from '../../src/ui';
import { mountApp, unmountApp, until } from '../helpers/app';

const $ = <T extends Element>(root: Element | ShadowRoot | null | undefined, sel: string) => root?.querySelector<T>(sel) ?? null;

describe('lf-app', () => {
  let app: LfApp;
  beforeEach(async () => {
    app = await mountApp();
  });
  afterEach(() => unmountApp(app));

  it('opens the font AE preset with the same node and edge ids', async () => {
    const text = await (await fetch('/graphs/font-ae.json')).text();
    const file = JSON.parse(text) as { nodes: { id: string }[]; edges: { id: string }[] };
    expect(app.editor!.editor.getNodes().map((n) => n.id)).to.deep.equal(file.nodes.map((n) => n.id));
    expect(app.editor!.editor.getConnections().map((c) => c.id)).to.deep.equal(file.edges.map((e) => e.id));
    expect(app.shadowRoot!.textContent).to.contain('AE — 7x5 font');
  });

  it('edits units in the inspector: a valid list updates the GraphDoc, an invalid one is shown and not written', async () => {
    await app.editor!.select('enc');
    await app.updateComplete;
    const inspector = $<LfInspector>(app.shadowRoot, 'lf-inspector')!;
    await inspector.updateComplete;
    const input = $<HTMLInputElement>(inspector.shadowRoot, '[data-param=units] input')!;
    expect(input.value).to.equal('64, 32');
    input.value = '60, 50, 30';
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    expect(app.editor!.getDoc().nodes.find((n) => n.id === 'enc')!.params.units).to.deep.equal([60, 50, 30]);

    input.value = '60, -5';
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    await inspector.updateComplete;
    expect($(inspector.shadowRoot, '[data-param=units] [role=alert]')?.textContent).to.match(/item 2 must be an integer/);
    expect(app.editor!.getDoc().nodes.find((n) => n.id === 'enc')!.params.units).to.deep.equal([60, 50, 30]);
  });

  it('lists problems; clicking one selects its node', async () => {
    await app.editor!.disconnect('e6'); // the trainer loses its loss
    await until(() => app.problems.some((p) => p.nodeId === 'train'), 3000, 'a problem on the trainer');
    await app.updateComplete;
    const list = $<LfProblems>(app.shadowRoot, 'lf-problems')!;
    await list.updateComplete;
    const item = $<HTMLElement>(list.shadowRoot, 'li[data-node=train]')!;
    item.click();
    await until(() => app.selectedId === 'train', 3000, 'selection');
    expect(app.editor!.selectedIds()).to.deep.equal(['train']);
  });

  it('trains the AE preset in the worker on wasm: latent scatter with 32 labelled points, loss curve with >= 2 points', async function () {
    this.timeout(240_000);
    const controls = $(app.shadowRoot, 'lf-run-controls')!;
    const train = [...controls.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Train')!;
    train.click();
    await until(() => app.run !== null, 60_000, 'the run to start');
    const views = $(app.shadowRoot, 'lf-views')!;
    await until(() => {
      const scatter = $<LfResultView>(views.shadowRoot, '[data-view=scatter] lf-result-view');
      const curve = $<LfLossCurve>(views.shadowRoot, '[data-view=curve] lf-loss-curve');
      const r = scatter?.current;
      return !!r && r.kind === 'points' && r.points.length === 32 && (r.labels?.length ?? 0) === 32 && (curve?.pointCount ?? 0) >= 2;
    }, 200_000, 'scatter and curve');
    // Train started a run that trains: it is running (or already done), and the app shows that state.
    const status = await new Promise<string>((res) => app.run!.status$.subscribe((s) => res(s.state)).unsubscribe());
    expect(status).to.be.oneOf(['running', 'done']);
    expect(app.session.state).to.equal(status);
    expect(app.run!.history().steps.length).to.be.at.least(2);
    await app.run!.stop();
    expect(controls.shadowRoot!.textContent).to.contain('wasm');
  });
});
