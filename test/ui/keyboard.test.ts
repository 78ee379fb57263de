// The app's keys after mouse clicks: Space is Train/Stop even on a clicked toolbar button; Escape closes the shortcuts list,
// a node's right-click menu and the canvas palette.
import { expect } from '@esm-bundle/chai';
import { sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import { mountApp, unmountApp } from '../helpers/app';

describe('keys after a mouse click', () => {
  it('Space trains instead of clicking the toolbar button clicked last; Enter still clicks a focused button; Escape closes the shortcuts', async function () {
    this.timeout(30_000);
    await setViewport({ width: 1300, height: 760 });
    const app = await mountApp();
    try {
      let toggles = 0;
      app.session.toggle = async () => void toggles++;
      const help = [...app.shadowRoot!.querySelectorAll<HTMLButtonElement>('header button')].find((b) => b.title.startsWith('Keyboard shortcuts'))!;
      const open = () => app.shadowRoot!.querySelector('.help') !== null;
      const r = help.getBoundingClientRect();
      await sendMouse({ type: 'click', position: [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)] });
      await app.updateComplete;
      expect(open(), 'the mouse opened the shortcuts').to.equal(true);
      await sendKeys({ press: 'Space' });
      await app.updateComplete;
      expect(open(), 'Space did not click "?" again').to.equal(true);
      expect(toggles, 'Space is Train/Stop').to.equal(1);
      await sendKeys({ press: 'Escape' });
      await app.updateComplete;
      expect(open(), 'Escape closed the shortcuts').to.equal(false);
      help.focus();
      await sendKeys({ press: 'Enter' });
      await app.updateComplete;
      expect(open(), 'Enter clicks the focused button').to.equal(true);
      expect(toggles).to.equal(1);
    } finally {
      await unmountApp(app);
    }
  });

  it('Escape closes a node\'s right-click menu, as it closes the canvas palette', async function () {
    this.timeout(30_000);
    await setViewport({ width: 1300, height: 760 });
    const app = await mountApp();
    try {
      const canvas = app.shadowRoot!.querySelector<HTMLElement>('.canvas')!;
      // Asserted as booleans: a failing chai assertion prints its actual value, and inspecting a live menu element
      // (editor, area, every node behind it) froze the page instead of failing the test.
      const menu = () => canvas.querySelector('lf-context-menu');
      const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30)));
      const rightClick = async (x: number, y: number) => {
        await sendMouse({ type: 'click', position: [Math.round(x), Math.round(y)], button: 'right' });
        await frame();
      };
      const node = [...app.editor!.area.nodeViews.values()][0]!.element.querySelector('rete-node')!.getBoundingClientRect();
      await rightClick(node.left + node.width / 2, node.top + 12);
      expect(menu() !== null, 'the node menu opened').to.equal(true);
      expect(menu()!.shadowRoot!.querySelector('input') === null, 'a node menu has no search field').to.equal(true);
      await sendKeys({ press: 'Escape' });
      await frame();
      expect(menu() === null, 'Escape closed the node menu').to.equal(true);
      // The canvas palette (its search field has the focus) still closes on Escape too.
      await app.document.openEmpty();
      await frame();
      const box = canvas.getBoundingClientRect();
      await rightClick(box.left + box.width / 2, box.top + box.height / 2);
      expect(!!menu()?.shadowRoot!.querySelector('input'), 'the palette opened').to.equal(true);
      await sendKeys({ press: 'Escape' });
      await frame();
      expect(menu() === null, 'Escape closed the palette').to.equal(true);
    } finally {
      await unmountApp(app);
    }
  });
});
