// Issue 12: every preset opens readable (every text in a node >= 11 px on screen, nothing overlapping,
// nothing under the minimap): whole at 1920x1080, from its top-left corner at 1280x720 where it is too
// big to show whole at that size; the minimap is small, toggled (M or Map), remembered, and never an
// empty grey box.
import { expect } from '@esm-bundle/chai';
import { deleteLibrary } from '../../src/store';
import { fetchedPresets, type LfApp } from '../../src/ui';
import { minReadableScale } from '../../src/editor/fit';
import { mountApp, until } from '../helpers/app';
import { deepFindAll } from '../helpers/dom';
import { presetFiles } from '../helpers/presets';
import '../../src/ui';

const settle = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30)));
const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
const names = presetFiles.map((f) => f.replace(/\.json$/, ''));

/** The wires' paths (inside the connection views and their shadow roots). */
function wirePaths(app: LfApp): SVGPathElement[] {
  const deep = (root: Element | ShadowRoot): SVGPathElement[] =>
    [...root.querySelectorAll('*')].flatMap((el) => [...(el instanceof SVGPathElement ? [el] : []), ...(el.shadowRoot ? deep(el.shadowRoot) : [])]);
  return [...app.editor!.area.connectionViews.values()].flatMap((v) => deep(v.element));
}

/** The on-screen size (px) of the smallest text in a node at zoom `k`: its title, summary, socket names and
 * controls (inside their shadow roots too). */
function smallestText(node: Element, k: number): number {
  let smallest = Infinity;
  const walk = (el: Element) => {
    const own = [...el.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && c.textContent!.trim());
    if (own && el.getClientRects().length) smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize));
    const after = getComputedStyle(el, '::after');
    if (after.content && after.content !== 'none' && after.content !== 'normal') smallest = Math.min(smallest, parseFloat(after.fontSize));
    if (el.shadowRoot) [...el.shadowRoot.children].forEach(walk);
    [...el.children].forEach(walk);
  };
  walk(node);
  return smallest * k;
}

/** The minimap's box, when drawn and shown. */
function minimapBox(app: LfApp): DOMRect | null {
  const map = app.shadowRoot!.querySelector('.canvas rete-minimap');
  const holder = map?.parentElement;
  if (!map || !holder || getComputedStyle(holder).display === 'none') return null;
  const r = map.shadowRoot?.querySelector('.minimap')?.getBoundingClientRect();
  return r && r.width > 0 ? r : null;
}

describe('lf-app: readable at a glance', () => {
  const apps: LfApp[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) {
      app.remove();
      app.library?.close();
      await deleteLibrary(app.dbName);
    }
  });

  for (const [width, height] of [[1280, 720], [1920, 1080]] as const) it(`opens every preset at ${width}x${height} with every text in its nodes of at least 11 px on screen, no node over another, the minimap or the views panel`, async function () {
    this.timeout(120_000);
    const app = await mountApp({ initial: '' });
    apps.push(app);
    app.style.width = `${width}px`;
    app.style.height = `${height}px`;
    app.presets = fetchedPresets(names);
    const canvas = app.shadowRoot!.querySelector('.canvas')!.getBoundingClientRect();
    const views = app.shadowRoot!.querySelector('lf-views')!.getBoundingClientRect();
    for (const name of names) {
      await app.openPreset(name);
      await settle();
      const k = app.editor!.area.area.transform.k;
      // The minimap is off until turned on (it would cover the graph's bottom-right corner at this size).
      const map = minimapBox(app);
      const all = [...app.editor!.area.nodeViews.entries()].map(([id, v]) => {
        const el = v.element.querySelector('rete-node')!;
        return { id, r: el.getBoundingClientRect(), text: smallestText(el, k) };
      });
      expect(all.length, name).to.be.greaterThan(5);
      const isInside = (r: DOMRect) => r.left >= canvas.left && r.right <= canvas.right && r.top >= canvas.top && r.bottom <= canvas.bottom;
      const nodes = all.filter((a) => isInside(a.r));
      // The whole graph, or (too big for that at a readable zoom) its top-left corner: the node nearest it is in view.
      if (width === 1920) expect(nodes.length, `${name}: every node inside the canvas`).to.equal(all.length);
      else if (nodes.length < all.length) {
        expect(k, `${name}: zoom when not all in view`).to.be.closeTo(minReadableScale, 1e-6);
        const corner = all.reduce((a, b) => (a.r.left + a.r.top <= b.r.left + b.r.top ? a : b));
        expect(isInside(corner.r), `${name}: the top-left node ${corner.id} in view`).to.equal(true);
      }
      expect(nodes.length, `${name}: nodes in view`).to.be.greaterThan(5);
      all.forEach((a) => expect(a.text, `${name}: ${a.id}'s smallest text on screen (px)`).to.be.at.least(11 - 1e-6));
      all.forEach((a, i) => {
        if (nodes.includes(a)) expect(overlap(a.r, views), `${name}: ${a.id} over the views panel`).to.equal(false);
        if (map && nodes.includes(a)) expect(overlap(a.r, map), `${name}: ${a.id} under the minimap`).to.equal(false);
        for (const b of all.slice(i + 1)) expect(overlap(a.r, b.r), `${name}: ${a.id} overlaps ${b.id}`).to.equal(false);
      });
      // Wires that go back run left of their input: they stay inside the canvas's left and top edges too.
      const paths = wirePaths(app);
      expect(paths.length, `${name}: wires drawn`).to.be.greaterThan(3);
      for (const path of paths) {
        const r = path.getBoundingClientRect();
        expect(r.left, `${name}: a wire left of the canvas`).to.be.at.least(canvas.left);
        expect(r.top, `${name}: a wire above the canvas`).to.be.at.least(canvas.top);
      }
      // A note's box fits its text: none of it clipped, and no empty line under it.
      for (const [id, v] of app.editor!.area.nodeViews) {
        if (app.editor!.editor.getNode(id)?.kind !== 'note.comment') continue;
        const el = v.element.querySelector('rete-node')!;
        const range = document.createRange();
        range.selectNodeContents(el.shadowRoot!.querySelector('.title')!);
        const text = range.getBoundingClientRect(), box = el.getBoundingClientRect();
        const line = parseFloat(getComputedStyle(el.shadowRoot!.querySelector('.title')!).lineHeight) * k;
        expect(text.height, `${name}: ${id} has text`).to.be.greaterThan(line);
        // A note's sweep button sits under its text, inside the box.
        const button = deepFindAll(el.shadowRoot!, 'lf-note-sweep')[0]?.shadowRoot?.querySelector('button')?.getBoundingClientRect();
        if (button) expect(button.top, `${name}: ${id}'s sweep button under its text`).to.be.at.least(text.bottom - 0.5);
        if (button) expect(button.right, `${name}: ${id}'s sweep button inside the note`).to.be.at.most(box.right + 0.5);
        expect(box.bottom - (button?.bottom ?? text.bottom), `${name}: ${id}'s room under its text (px)`).to.be.within(0, line);
      }
    }
  });

  it('Arrange ends with the whole graph in view at a readable zoom wherever it fits (every preset at 1920x1080), the same rule as Fit', async function () {
    this.timeout(120_000);
    const app = await mountApp({ initial: '' });
    apps.push(app);
    app.style.width = '1920px';
    app.style.height = '1080px';
    app.presets = fetchedPresets(names);
    const canvas = app.shadowRoot!.querySelector('.canvas')!.getBoundingClientRect();
    const arrangeButton = [...app.shadowRoot!.querySelectorAll('header button')].find((b) => b.textContent === 'Arrange')!;
    for (const name of names) {
      await app.openPreset(name);
      await settle();
      const before = new Map([...app.editor!.area.nodeViews].map(([id, v]) => [id, { ...v.position }]));
      arrangeButton.dispatchEvent(new MouseEvent('click'));
      await until(() => [...app.editor!.area.nodeViews].some(([id, v]) => v.position.x !== before.get(id)!.x || v.position.y !== before.get(id)!.y), 10_000, `${name} arranged`);
      await settle();
      await settle();
      const k = app.editor!.area.area.transform.k;
      expect(k, `${name}: zoom after Arrange`).to.be.at.least(minReadableScale - 1e-9);
      const views = [...app.editor!.area.nodeViews.entries()];
      for (const [id, v] of views) {
        const r = v.element.querySelector('rete-node')!.getBoundingClientRect();
        const inside = r.left >= canvas.left && r.right <= canvas.right && r.top >= canvas.top && r.bottom <= canvas.bottom;
        expect(inside, `${name}: ${id} in view after Arrange`).to.equal(true);
      }
      const rects = views.map(([id, v]) => ({ id, r: v.element.querySelector('rete-node')!.getBoundingClientRect() }));
      rects.forEach((a, i) => rects.slice(i + 1).forEach((b) => expect(overlap(a.r, b.r), `${name}: ${a.id} overlaps ${b.id} after Arrange`).to.equal(false)));
      // Fit afterwards changes nothing: Arrange left the view as Fit would.
      const t = { ...app.editor!.area.area.transform };
      await app.editor!.fitView();
      expect(app.editor!.area.area.transform.k, `${name}: Fit after Arrange`).to.be.closeTo(t.k, 1e-9);
      expect(app.editor!.area.area.transform.x, `${name}: Fit after Arrange`).to.be.closeTo(t.x, 1e-6);
    }
  });

  it('the minimap is off at first, M or the Map button toggles it, the choice is remembered; an empty graph shows no grey box', async () => {
    const dbName = `lf-minimap-${Math.random().toString(36).slice(2)}`;
    const app = await mountApp({ dbName });
    apps.push(app);
    await settle();
    expect(minimapBox(app), 'off at first').to.equal(null);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'm', bubbles: true }));
    await settle();
    const box = minimapBox(app);
    expect(box, 'shown after M').to.not.equal(null);
    expect(box!.width).to.be.at.most(170);
    const button = [...app.shadowRoot!.querySelectorAll('header button')].find((b) => b.textContent === 'Map')!;
    await app.updateComplete;
    expect(button.getAttribute('aria-pressed')).to.equal('true');
    expect(app.shadowRoot!.querySelector('lf-help') ?? document.createElement('lf-help')).to.exist;
    const help = document.createElement('lf-help');
    document.body.append(help);
    await help.updateComplete;
    expect(help.shadowRoot!.textContent).to.match(/M\s*Show or hide the minimap/);
    help.remove();

    // Remembered across a reload.
    await until(async () => (await import('../../src/store')).getSetting(app.library!, 'minimap', false).then((v) => v === true), 5000, 'the setting');
    app.remove();
    app.library?.close();
    apps.splice(0);
    const again = await mountApp({ dbName });
    apps.push(again);
    await settle();
    expect(minimapBox(again), 'remembered').to.not.equal(null);

    // An empty graph: no empty grey box.
    await again.document.openEmpty();
    await settle();
    expect(minimapBox(again), 'hidden with no nodes').to.equal(null);
    [...again.shadowRoot!.querySelectorAll('header button')].find((b) => b.textContent === 'Map')!.dispatchEvent(new MouseEvent('click'));
    await settle();
    expect(again.minimapShown).to.equal(false);
  });
});
