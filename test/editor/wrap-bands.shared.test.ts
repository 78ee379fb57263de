// Arrange: elk's one left-to-right band is cut between its layers into rows when that shows the graph
// bigger in the canvas, so a long chain does not run off the canvas's right edge.
import { expect } from '@esm-bundle/chai';
import { bandGap, wrapBands, type Shape } from '../../src/editor/wrap-bands';

/** A chain of `n` nodes 180 wide, one per layer 220 apart, at heights that wobble as elk's do. */
const chain = (n: number): (Shape & { id: string })[] =>
  Array.from({ length: n }, (_, i) => ({ id: `n${i}`, x: 10 + i * 220, y: 30 + (i % 3) * 40, width: 180, height: 100 }));
/** The zoom showing a box whole in a w×h canvas, at most 1. */
const canvas = (w: number, h: number) => (box: { width: number; height: number }) => Math.min(1, w / box.width, h / box.height);
const overlap = (a: Shape, b: Shape) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const box = (shapes: Shape[]) => ({
  width: Math.max(...shapes.map((s) => s.x + s.width)) - Math.min(...shapes.map((s) => s.x)),
  height: Math.max(...shapes.map((s) => s.y + s.height)) - Math.min(...shapes.map((s) => s.y)),
});

describe('wrapBands (Arrange)', () => {
  it('cuts a chain too wide for the canvas into rows, each narrower than the canvas, none overlapping, the layers in reading order', () => {
    const shapes = chain(9);
    const wrapped = wrapBands(shapes, canvas(1000, 900));
    const b = box(wrapped);
    expect(b.width, 'rows narrower than the canvas').to.be.at.most(1000);
    expect(b.height).to.be.at.most(900);
    expect(canvas(1000, 900)(b), 'shown bigger than uncut').to.be.greaterThan(canvas(1000, 900)(box(shapes)));
    wrapped.forEach((a, i) => wrapped.slice(i + 1).forEach((c) => expect(overlap(a, c), `${a.id} over a later node`).to.equal(false)));
    // Left to right, then the next row under it.
    const order = [...wrapped].sort((a, c) => (Math.abs(a.y - c.y) > 100 + bandGap / 2 ? a.y - c.y : a.x - c.x)).map((s) => s.id);
    expect(order).to.deep.equal(shapes.map((s) => s.id));
    expect(wrapped.map((s) => s.id), 'same order as given').to.deep.equal(shapes.map((s) => s.id));
  });

  it('keeps a layout that fits as it is, and does not cut where rows would show it smaller', () => {
    const shapes = chain(4);
    expect(wrapBands(shapes, canvas(2000, 600))).to.deep.equal(shapes);
    // A canvas wide and low: one band shows more than two stacked ones.
    const long = chain(9);
    expect(wrapBands(long, canvas(1500, 200))).to.deep.equal(long);
  });

  it('never cuts through a node that spans two layers', () => {
    const shapes = [...chain(6), { id: 'wide', x: 400, y: 300, width: 400, height: 60 }];
    const wrapped = wrapBands(shapes, canvas(700, 2000));
    const wide = wrapped.find((s) => s.id === 'wide')!;
    const before = shapes.find((s) => s.id === 'wide')!;
    // The nodes it overlaps in x move with it.
    for (const id of ['n2', 'n3']) {
      const a = wrapped.find((s) => s.id === id)!, o = shapes.find((s) => s.id === id)!;
      expect(a.x - o.x, `${id} moves with the wide node`).to.equal(wide.x - before.x);
    }
  });
});
