// What the app calls things: presets by their titles everywhere, saved graphs of one title told apart, code in a message shown as code.
import { expect } from '@esm-bundle/chai';
import type { LfLibrary } from '../../src/ui';
import { mountApp, unmountApp, until } from '../helpers/app';

describe('names in the app', () => {
  it('the Presets… menu and the library list presets by the title the start screen shows; a message\'s `code` is code', async function () {
    this.timeout(30_000);
    const app = await mountApp();
    try {
      const root = app.shadowRoot!;
      const option = () => root.querySelector<HTMLOptionElement>('select[aria-label=Presets] option[value="font-ae"]')!;
      await until(() => option().textContent === 'AE — 7x5 font', 5000, `the preset's title in the menu (${option().textContent})`);
      app.libraryOpen = true;
      await app.updateComplete;
      const library = root.querySelector<LfLibrary>('lf-library')!;
      await library.updateComplete;
      expect(library.shadowRoot!.querySelector('[data-preset="font-ae"] .name')!.textContent).to.equal('AE — 7x5 font');
      app.showHint('Exported a PyTorch project: unzip it and run `python train.py --resume` (see its README)');
      await app.updateComplete;
      const hint = root.querySelector('.hint')!;
      expect(hint.textContent).to.not.contain('`');
      expect(hint.querySelector('code')!.textContent).to.equal('python train.py --resume');
    } finally {
      await unmountApp(app);
    }
  });

  it('the library tells saved graphs of one title apart by their time', async () => {
    const el = document.createElement('lf-library');
    document.body.append(el);
    try {
      await el.refresh();
      const at = (h: number, m: number) => new Date(2026, 11, 2, h, m).toISOString();
      el.graphs = [
        { id: 'a', title: 'AE — 7x5 font', updated: at(10, 5) },
        { id: 'b', title: 'AE — 7x5 font', updated: at(9, 40) },
        { id: 'c', title: 'Other', updated: at(9, 0) },
      ] as LfLibrary['graphs'];
      await el.updateComplete;
      const when = [...el.shadowRoot!.querySelectorAll('li[data-id] .when')].map((w) => w.textContent!.trim());
      expect(when[0]).to.not.equal(when[1]);
      expect(when[2]).to.equal(new Date(at(9, 0)).toLocaleDateString());
    } finally {
      el.remove();
    }
  });
});
