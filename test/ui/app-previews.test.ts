// The live views inside view nodes on the canvas, in the app: they draw what the docked panel draws
// and follow the current run (a new Train makes a new run).
import { expect } from '@esm-bundle/chai';
import { saveGraph } from '../../src/graph';
import type { LfApp, LfLossCurve, LfResultView } from '../../src/ui';
import { mountApp, unmountApp, until } from '../helpers/app';
import '../../src/ui';

const settle = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 20)));

describe('lf-app: live views inside view nodes', () => {
  let app: LfApp;
  beforeEach(async () => {
    app = await mountApp();
  });
  afterEach(() => unmountApp(app));

  const nodeEl = (id: string) => app.editor!.area.nodeViews.get(id)!.element.querySelector<HTMLElement>('rete-node')!;
  const control = (id: string) => nodeEl(id).shadowRoot!.querySelector('lf-preview-control');
  const toggle = (id: string) => control(id)!.shadowRoot!.querySelector<HTMLButtonElement>('[data-preview-toggle]')!;
  /** The drawing element inside the node's live view (light DOM of lf-view-card). */
  const inNode = <T extends Element>(id: string, sel: string) =>
    control(id)?.shadowRoot?.querySelector('[data-preview] lf-node-preview')?.shadowRoot?.querySelector<T>(`lf-view-card ${sel}`) ?? null;
  const expandedIn = (doc: { nodes: { id: string; ui?: Record<string, unknown> }[] }, id: string) => doc.nodes.find((n) => n.id === id)!.ui?.expanded;

  it('draws the latent scatter (32 labelled points) and the loss curve inside their nodes while training, following each new run', async function () {
    this.timeout(240_000);
    const ed = app.editor!;
    // The preset opens with its views closed (open, the graph would not fit 1280x720 readably); start from collapsed nodes.
    expect(ed.isExpanded('scatter') || ed.isExpanded('curve')).to.equal(false);
    await ed.setExpanded('scatter', false);
    await ed.setExpanded('curve', false);
    await settle();
    const curveHeight = nodeEl('curve').offsetHeight;
    expect(inNode('scatter', 'lf-result-view'), 'collapsed: nothing drawn').to.equal(null);
    toggle('scatter').click();
    toggle('curve').click();
    await settle();
    expect(ed.isExpanded('scatter') && ed.isExpanded('curve')).to.equal(true);
    expect(expandedIn(ed.getDoc(), 'scatter')).to.equal(true);
    expect(expandedIn(ed.getDoc(), 'curve')).to.equal(true);
    expect(nodeEl('curve').offsetHeight).to.be.greaterThan(curveHeight + 150);
    expect(inNode('scatter', 'lf-result-view'), 'expanded before training: the view waits').to.not.equal(null);

    const controls = app.shadowRoot!.querySelector('lf-run-controls')!;
    const train = () => [...controls.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Train')!;
    train().click();
    await until(() => app.run !== null, 60_000, 'the run to start');
    const first = app.run!;
    await until(() => {
      const r = inNode<LfResultView>('scatter', 'lf-result-view')?.current;
      const curve = inNode<LfLossCurve>('curve', 'lf-loss-curve');
      return !!r && r.kind === 'points' && r.points.length === 32 && (r.labels?.length ?? 0) === 32 && (curve?.pointCount ?? 0) >= 2;
    }, 200_000, 'scatter and curve inside their nodes');
    expect(inNode<LfLossCurve>('curve', 'lf-loss-curve')!.run).to.equal(first);
    // The panel below the editor draws the same views.
    const panel = app.shadowRoot!.querySelector('lf-views')!.shadowRoot!;
    expect(panel.querySelector<LfResultView>('[data-view=scatter] lf-result-view')?.current?.kind).to.equal('points');

    await first.stop();
    await until(() => !!train() && !train().disabled, 10_000, 'Train to be available again');
    train().click();
    await until(() => app.run !== null && app.run !== first, 60_000, 'a new run');
    await until(() => inNode<LfLossCurve>('curve', 'lf-loss-curve')?.run === app.run && inNode<LfResultView>('scatter', 'lf-result-view')?.run === app.run,
      5_000, 'the live views to follow the new run');
    await app.run!.stop();

    toggle('curve').click();
    await settle();
    expect(ed.isExpanded('curve')).to.equal(false);
    expect(nodeEl('curve').offsetHeight).to.equal(curveHeight);
    expect(inNode('curve', 'lf-loss-curve')).to.equal(null);
    expect(expandedIn(ed.getDoc(), 'curve')).to.equal(undefined);
    expect(expandedIn(ed.getDoc(), 'scatter')).to.equal(true);
  });

  it('opens a graph file with `ui.expanded: true` with that view expanded', async () => {
    const doc = app.editor!.getDoc();
    doc.nodes.find((n) => n.id === 'histogram')!.ui = { ...doc.nodes.find((n) => n.id === 'histogram')!.ui, expanded: true };
    expect(await app.openText(saveGraph(doc), 'expanded.graph.json')).to.equal(true);
    await settle();
    expect(app.editor!.isExpanded('histogram')).to.equal(true);
    expect(app.editor!.isExpanded('strip')).to.equal(false);
    await until(() => !!inNode('histogram', 'lf-result-view'), 3000, 'the histogram view inside its node');
    expect(expandedIn(app.editor!.getDoc(), 'histogram')).to.equal(true);
  });
});
