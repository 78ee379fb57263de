// The start screen on a first visit, reachable again from the library; the chosen theme kept, with readable contrast.
import { expect } from '@esm-bundle/chai';
import { registry } from '../../nodes';
import { deleteLibrary } from '../../src/store';
import { fetchedPresets, type LfApp } from '../../src/ui';
import { until, wasmStartRun } from '../helpers/app';
import { contrast } from '../helpers/contrast';

async function mount(dbName: string): Promise<LfApp> {
  const app = document.createElement('lf-app');
  app.catalog = registry;
  app.presets = fetchedPresets(['font-ae', 'font-dae', 'mnist-vae']);
  app.startRun = wasmStartRun;
  app.dbName = dbName;
  app.welcome = true;
  app.style.cssText = 'display: grid; width: 1280px; height: 720px;';
  document.body.append(app);
  await app.ready;
  await app.updateComplete;
  return app;
}

async function close(app: LfApp): Promise<void> {
  await app.saveNow();
  app.remove();
  app.library?.close();
}

describe('start screen and theme', () => {
  const dbName = `lf-start-${Math.random().toString(36).slice(2)}`;
  after(() => deleteLibrary(dbName));

  it('a first visit shows the presets as cards with a thumbnail and a line, opens one, and shows again from the library', async function () {
    this.timeout(60_000);
    const app = await mount(dbName);
    expect(app.startOpen).to.equal(true);
    const start = app.shadowRoot!.querySelector('lf-start-screen')!;
    await until(() => start.shadowRoot!.querySelectorAll('.card[data-preset]').length === 3, 5000, 'the preset cards');
    await start.updateComplete;
    for (const card of start.shadowRoot!.querySelectorAll('.card[data-preset]')) {
      expect(card.querySelectorAll('svg.thumb rect').length, card.textContent!).to.be.greaterThan(4);
      expect(card.querySelector('span')!.textContent!.length).to.be.greaterThan(20);
    }
    expect(start.shadowRoot!.querySelector('[data-action=new]')).to.not.equal(null);
    expect(start.shadowRoot!.querySelector('[data-action=open]')).to.not.equal(null);
    start.shadowRoot!.querySelector<HTMLElement>('.card[data-preset=font-dae]')!.click();
    await until(() => app.doc.meta?.title?.startsWith('DAE') === true, 10_000, 'the DAE preset opened');
    expect(app.startOpen).to.equal(false);

    app.libraryOpen = true;
    await app.updateComplete;
    const drawer = app.shadowRoot!.querySelector('lf-library')!;
    await drawer.updateComplete;
    drawer.shadowRoot!.querySelector<HTMLElement>('[data-action=start]')!.click();
    await app.updateComplete;
    expect(app.startOpen).to.equal(true);
    expect(app.shadowRoot!.querySelector('lf-start-screen')).to.not.equal(null);
    await close(app);

    // A later visit (the library holds a graph now) opens on the graph, not the start screen.
    const again = await mount(dbName);
    expect(again.startOpen).to.equal(false);
    await close(again);
  });

  it('the chosen theme is kept across a reload, and the light theme\'s text colours have real contrast', async function () {
    this.timeout(60_000);
    const app = await mount(dbName);
    expect(app.theme).to.equal('dark');
    const toggle = [...app.shadowRoot!.querySelectorAll<HTMLButtonElement>('header button')].find((b) => b.title.startsWith('Dark / light'))!;
    expect(toggle.querySelector('svg'), 'an SVG icon, not a font glyph').to.not.equal(null);
    toggle.click();
    await app.updateComplete;
    expect(app.theme).to.equal('light');
    const s = getComputedStyle(app);
    const v = (name: string) => s.getPropertyValue(name).trim();
    for (const bg of ['--lf-bg', '--lf-panel', '--lf-panel-2']) {
      for (const fg of ['--lf-fg', '--lf-muted', '--lf-accent', '--lf-error']) {
        expect(contrast(v(fg), v(bg)), `${fg} on ${bg}`).to.be.at.least(4.5);
      }
    }
    // (close() saves the graph: a later write in the same database, so the theme's is done too.)
    await close(app);
    const again = await mount(dbName);
    expect(again.theme).to.equal('light');
    await close(again);
  });
});
