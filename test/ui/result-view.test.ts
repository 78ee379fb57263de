import { expect } from '@esm-bundle/chai';
import { BehaviorSubject } from 'rxjs';
import type { GraphDoc, Json } from '../../src/graph';
import type { Run } from '../../src/runtime/types';
import type { LfResultView } from '../../src/ui';
import { registry } from '../../nodes';
import '../../src/ui';

const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30)));

/** A 2x2 RGB image per sample: sample k is a solid colour, so drawn thumbnails are easy to find. */
const colours = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
const rows = colours.map((c) => [...c, ...c, ...c, ...c]);
const doc = { format: 'latentflow/graph', version: 1, nodes: [{ id: 'data', kind: 'dataset.emoji', kindVersion: 1, params: {} }], edges: [] } as unknown as GraphDoc;

describe('lf-result-view: latent scatter', () => {
  let view: LfResultView;
  let asked: string[];
  beforeEach(async () => {
    asked = [];
    view = document.createElement('lf-result-view');
    view.style.cssText = 'display: flex; width: 300px; height: 220px;';
    view.run = { evaluate: async (id: string) => { asked.push(id); return { kind: 'batch', image: [2, 2, 3], rows } as unknown as Json; } } as unknown as Run;
    view.doc = doc;
    view.catalog = registry;
    view.source = new BehaviorSubject<Json>({ kind: 'points', dims: 2, projection: 'first-two', points: [[0, 0], [1, 1], [0, 1]], labels: ['grinning', 'frowning', 'sleeping'] });
    document.body.append(view);
    await frame();
    await frame();
  });
  afterEach(() => view.remove());

  const colourCount = (rgb: number[]) => {
    const c = view.shadowRoot!.querySelector<HTMLCanvasElement>('canvas.main')!;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] === rgb[0] && d[i + 1] === rgb[1] && d[i + 2] === rgb[2]) n++;
    return n;
  };

  it('draws named samples (emoji) as their own images at their codes; the toggle switches to labels and back', async () => {
    expect(asked).to.deep.equal(['data']);
    const toggle = () => view.shadowRoot!.querySelector<HTMLButtonElement>('button.link')!;
    expect(toggle().textContent).to.equal('show labels');
    for (const c of colours) expect(colourCount(c.map((v) => v * 255)), `sample ${c}`).to.be.greaterThan(100);
    toggle().click();
    await frame();
    expect(toggle().textContent).to.equal('show images');
    expect(colourCount([255, 0, 0])).to.equal(0);
  });
});

describe('lf-result-view: decoding a point of the latent scatter', () => {
  it('keeps the scatter its size when a point is decoded, when a note shows and when a long note would wrap', async () => {
    const doc = { format: 'latentflow/graph', version: 1,
      nodes: [{ id: 'data', kind: 'dataset.emoji', kindVersion: 1, params: {} }, { id: 'dec', kind: 'chain.decoder-dense', kindVersion: 1, params: {} },
        { id: 'scatter', kind: 'view.latent-scatter', kindVersion: 1, params: {} }],
      edges: [{ id: 'e', from: { node: 'dec', socket: 'decoder' }, to: { node: 'scatter', socket: 'decoder' } }] } as unknown as GraphDoc;
    const view = document.createElement('lf-result-view');
    view.style.cssText = 'display: flex; width: 300px; height: 220px;';
    let fail = false;
    view.run = { evaluate: async () => ({ kind: 'batch', image: [2, 2, 3], rows }) as unknown as Json, decode: async () => { if (fail) throw new Error('the decoder is gone, and this message is long enough to wrap onto two lines of this narrow view'); return { kind: 'images', image: [2, 2, 3], count: 1, pixels: [rows[0]] }; } } as unknown as Run;
    view.doc = doc;
    view.catalog = registry;
    view.viewNode = 'scatter';
    view.source = new BehaviorSubject<Json>({ kind: 'points', dims: 2, projection: 'first-two', points: [[0, 0], [1, 1], [0, 1]] });
    document.body.append(view);
    try {
      await frame();
      await frame();
      const size = () => {
        const r = view.shadowRoot!.querySelector('canvas.main')!.getBoundingClientRect();
        return `${r.width}x${r.height}`;
      };
      const before = size();
      expect(parseFloat(before.split('x')[1]!), 'the scatter has room').to.be.greaterThan(100);
      await view.decode([[0, 0]], 'decoded (0.00, 0.00)');
      await frame();
      expect(view.decoded, 'decoded').to.not.equal(null);
      expect(view.shadowRoot!.querySelector('canvas.decoded'), 'the decoded image shows').to.not.equal(null);
      expect(size(), 'after a decode').to.equal(before);
      fail = true;
      await view.decode([[1, 1]], 'decoded (1.00, 1.00)');
      await frame();
      expect(view.shadowRoot!.textContent, 'the error shows').to.contain('could not decode');
      expect(size(), 'with a long note').to.equal(before);
    } finally {
      view.remove();
    }
  });
});

describe('lf-result-view: a latent scatter in a graph without a dataset node', () => {
  it('draws and settles (it asked for the dataset\'s samples at every update, and each answer scheduled another: the page hung)', async () => {
    const doc = { format: 'latentflow/graph', version: 1,
      nodes: [{ id: 'dec', kind: 'chain.decoder-dense', kindVersion: 1, params: {} }, { id: 'scatter', kind: 'view.latent-scatter', kindVersion: 1, params: {} }],
      edges: [{ id: 'e', from: { node: 'dec', socket: 'decoder' }, to: { node: 'scatter', socket: 'decoder' } }] } as unknown as GraphDoc;
    const view = document.createElement('lf-result-view');
    view.style.cssText = 'display: flex; width: 300px; height: 220px;';
    view.run = { evaluate: async () => ({}) as Json } as unknown as Run;
    view.doc = doc;
    view.catalog = registry;
    view.viewNode = 'scatter';
    // Few points without labels: the scatter would draw the samples' images, from a dataset the graph lacks.
    view.source = new BehaviorSubject<Json>({ kind: 'points', dims: 2, projection: 'first-two', points: [[0, 0], [1, 1], [0, 1]] });
    // Updates counted, and stopped after 100 (the old loop never let a frame through, so the test could not end).
    let updates = 0;
    const request = view.requestUpdate.bind(view);
    view.requestUpdate = ((...args: Parameters<typeof request>) => (++updates <= 100 ? request(...args) : undefined)) as typeof view.requestUpdate;
    document.body.append(view);
    try {
      for (let i = 0; i < 10; i++) await frame();
      expect(updates, 'updates').to.be.below(20);
      expect(view.shadowRoot!.querySelector('canvas.main'), 'the scatter is drawn').to.not.equal(null);
    } finally {
      view.remove();
    }
  });
});

describe('lf-result-view: image grid', () => {
  const red = [1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0];
  const gridDoc = (scale: number | undefined) => ({ format: 'latentflow/graph', version: 1, edges: [],
    nodes: [{ id: 'grid', kind: 'view.image-grid', kindVersion: 1, params: scale === undefined ? {} : { scale } }] }) as unknown as GraphDoc;

  /** Red pixels drawn for one 2×2 red image in a 300×220 view whose image grid node has this `scale`. */
  async function redPixels(doc: GraphDoc, viewNode = 'grid'): Promise<number> {
    const view = document.createElement('lf-result-view');
    view.style.cssText = 'display: flex; width: 300px; height: 220px;';
    view.doc = doc;
    view.catalog = registry;
    view.viewNode = viewNode;
    view.source = new BehaviorSubject<Json>({ kind: 'images', image: [2, 2, 3], count: 1, pixels: [red] });
    document.body.append(view);
    await frame();
    await frame();
    const c = view.shadowRoot!.querySelector<HTMLCanvasElement>('canvas.main')!;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] === 255 && d[i + 1] === 0 && d[i + 2] === 0) n++;
    view.remove();
    return n;
  }

  it('enlarges each image by whole pixels up to the node\'s scale, and no further', async () => {
    expect(await redPixels(gridDoc(2))).to.equal(4 * 4);
    expect(await redPixels(gridDoc(16))).to.equal(32 * 32);
    // The default (3) when the file leaves it out; no limit for a view that is not an image grid.
    expect(await redPixels(gridDoc(undefined))).to.equal(6 * 6);
    expect(await redPixels(gridDoc(2), 'elsewhere')).to.be.greaterThan(32 * 32);
  });
});

describe('lf-result-view: theme and size', () => {
  const white = [1, 1, 1, 1];
  const count = (view: LfResultView, match: (r: number, g: number, b: number) => boolean) => {
    const c = view.shadowRoot!.querySelector<HTMLCanvasElement>('canvas.main')!;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 0 && match(d[i]!, d[i + 1]!, d[i + 2]!)) n++;
    return n;
  };
  const mount = async (result: Json, width = 300) => {
    const view = document.createElement('lf-result-view');
    view.style.cssText = `display: flex; width: ${width}px; height: 220px;`;
    view.source = new BehaviorSubject<Json>(result);
    document.body.append(view);
    await frame();
    await frame();
    return view;
  };

  it('frames an opaque image in black, so a white stroke at its edge stays apart from a light background', async () => {
    // One 2×2 white image, drawn 2× (scale 2): a 4×4 white square with a 1-px black frame, 6×6 in all.
    const view = await mount({ kind: 'images', image: [2, 2, 1], count: 1, pixels: [white] });
    view.doc = { format: 'latentflow/graph', version: 1, edges: [], nodes: [{ id: 'grid', kind: 'view.image-grid', kindVersion: 1, params: { scale: 2 } }] } as unknown as GraphDoc;
    view.catalog = registry;
    view.viewNode = 'grid';
    await frame();
    expect(count(view, (r, g, b) => r === 255 && g === 255 && b === 255)).to.equal(16);
    expect(count(view, (r, g, b) => r === 0 && g === 0 && b === 0)).to.equal(36 - 16);
    view.remove();
  });

  it('redraws in the new theme\'s colours when the theme changes, and at the new size when resized', async () => {
    const root = document.documentElement;
    const before = root.dataset.theme;
    root.style.setProperty('--lf-muted', 'rgb(0, 0, 255)');
    const view = await mount({ kind: 'pixel-errors', threshold: 0.5, perSample: [0, 0, 0, 2], max: 2, mean: 0.5, histogram: [{ errors: 0, count: 3 }, { errors: 1, count: 0 }, { errors: 2, count: 1 }], mse: [0, 0, 0, 0.5] });
    // Text is antialiased: its pixels carry the colour at partial opacity.
    const blue = (r: number, g: number, b: number) => b > 200 && r < 60 && g < 60;
    const red = (r: number, g: number, b: number) => r > 200 && g < 60 && b < 60;
    expect(count(view, blue), 'drawn in the first theme').to.be.greaterThan(0);
    root.style.setProperty('--lf-muted', 'rgb(255, 0, 0)');
    root.dataset.theme = before === 'light' ? 'dark' : 'light';
    await frame();
    expect(count(view, red), 'redrawn in the new theme').to.be.greaterThan(0);
    expect(count(view, blue), 'none of the old theme left').to.equal(0);
    view.style.width = '420px';
    await frame();
    await frame();
    expect(view.shadowRoot!.querySelector('canvas')!.width, 'redrawn at the new width').to.equal(view.shadowRoot!.querySelector('canvas')!.clientWidth);
    view.remove();
    root.style.removeProperty('--lf-muted');
    if (before === undefined) delete root.dataset.theme; else root.dataset.theme = before;
  });
});
