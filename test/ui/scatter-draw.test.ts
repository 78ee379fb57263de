import { expect } from '@esm-bundle/chai';
import { drawScatter, labelClasses, type Thumbnails } from '../../src/ui/canvas-draw';
import type { PointsResult } from '../../nodes/results';

const colors = { fg: '#ffffff', muted: '#888888', grid: '#444444' };

describe('latent scatter drawing', () => {
  it('colours many points of few classes (MNIST digits) by class, in label order; glyphs and names stay labels', () => {
    const digits = Array.from({ length: 500 }, (_, i) => String(i % 10));
    expect([...labelClasses(digits, 500)!]).to.deep.equal([['0', 0], ['1', 1], ['2', 2], ['3', 3], ['4', 4], ['5', 5], ['6', 6], ['7', 7], ['8', 8], ['9', 9]]);
    expect(labelClasses(Array.from({ length: 32 }, (_, i) => String.fromCharCode(96 + i)), 32)).to.equal(null);
    expect(labelClasses(Array.from({ length: 118 }, (_, i) => `emoji ${i}`), 118)).to.equal(null);
    expect(labelClasses(null, 1000)).to.equal(null);
  });

  it('draws a class legend and no per-point text for 10,000 digit codes', () => {
    const canvas = document.createElement('canvas');
    canvas.width = 300;
    canvas.height = 200;
    const g = canvas.getContext('2d')!;
    const texts: string[] = [];
    const fillText = g.fillText.bind(g);
    g.fillText = (t: string, x: number, y: number) => { texts.push(t); fillText(t, x, y); };
    const points = Array.from({ length: 10_000 }, (_, i) => [Math.cos(i), Math.sin(i * 1.3)]);
    const labels = points.map((_, i) => String(i % 10));
    drawScatter(g, { width: 300, height: 200 }, { kind: 'points', dims: 2, projection: 'first-two', points, labels }, colors);
    expect(texts.filter((t) => /^\d$/.test(t))).to.deep.equal(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(texts.some((t) => t.startsWith('10000 points'))).to.equal(true);
  });

  /** What a scatter draws: text boxes, point disks and image boxes, in canvas pixels. */
  function recordScatter(r: PointsResult, thumbs?: Thumbnails) {
    const canvas = document.createElement('canvas');
    canvas.width = 300;
    canvas.height = 200;
    const g = canvas.getContext('2d')!;
    const texts: { text: string; box: Box }[] = [], marks: Box[] = [];
    let box: Box | null = null;
    const fillText = g.fillText.bind(g), arc = g.arc.bind(g), drawImage = g.drawImage.bind(g) as (...a: unknown[]) => void, strokeRect = g.strokeRect.bind(g);
    g.fillText = (t: string, x: number, y: number) => {
      const m = g.measureText(t);
      texts.push({ text: t, box: { l: x, r: x + m.width, t: y - m.actualBoundingBoxAscent, b: y + m.actualBoundingBoxDescent } });
      fillText(t, x, y);
    };
    g.arc = (x: number, y: number, radius: number, a0: number, a1: number) => { marks.push({ l: x - radius, r: x + radius, t: y - radius, b: y + radius }); arc(x, y, radius, a0, a1); };
    (g as unknown as { drawImage: (...a: unknown[]) => void }).drawImage = (...a: unknown[]) => {
      const [x, y, w, h] = a.slice(-4) as number[];
      marks.push({ l: x!, r: x! + w!, t: y!, b: y! + h! });
      drawImage(...a);
    };
    g.strokeRect = (x: number, y: number, w: number, h: number) => { box = { l: x, t: y, r: x + w, b: y + h }; strokeRect(x, y, w, h); };
    drawScatter(g, { width: 300, height: 200 }, r, colors, thumbs);
    return { texts, marks, box: box!, size: { width: 300, height: 200 } };
  }

  it('draws the count line, labels and images where they cover no point and stay inside the picture', () => {
    // Codes out to every corner, as a trained font AE spreads its 32 glyphs: the top-left one met the count line.
    const points = Array.from({ length: 32 }, (_, i) => [i % 2 ? -3 + (i % 7) : 3 - (i % 5), i < 16 ? 4 - i * 0.2 : -4 + (i - 16) * 0.2]);
    points[0] = [-3, 4]; points[1] = [3, 4]; points[2] = [-3, -4]; points[3] = [3, -4];
    const labels = points.map((_, i) => (i === 1 ? 'DEL' : String.fromCharCode(97 + (i % 26))));
    const r: PointsResult = { kind: 'points', dims: 2, projection: 'first-two', points, labels };
    const withLabels = recordScatter(r);
    const image: [number, number, number] = [7, 5, 1];
    const withImages = recordScatter({ ...r, labels: labels.map((l) => `glyph ${l}`) }, { image, rows: points.map(() => new Array(35).fill(0.5)) });
    for (const [name, d] of [['labels', withLabels], ['images', withImages]] as const) {
      const header = d.texts.find((t) => t.text.startsWith('32 points'))!;
      expect(header, name).to.not.equal(undefined);
      for (const m of d.marks) expect(overlaps(header.box, m), `${name}: the count line over a point at ${JSON.stringify(m)}`).to.equal(false);
      for (const t of d.texts.filter((x) => x !== header)) {
        expect(overlaps(header.box, t.box), `${name}: the count line over the label ${t.text}`).to.equal(false);
        expect(inside(t.box, d.box), `${name}: label ${t.text} inside the plot box`).to.equal(true);
      }
      for (const m of d.marks) expect(inside(m, d.box), `${name}: a point inside the plot box`).to.equal(true);
    }
    expect(withLabels.texts.map((t) => t.text)).to.include('DEL');
  });
});

interface Box { l: number; r: number; t: number; b: number }
const overlaps = (a: Box, b: Box) => a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;
const inside = (a: Box, b: Box) => a.l >= b.l - 0.5 && a.r <= b.r + 0.5 && a.t >= b.t - 0.5 && a.b <= b.b + 0.5;
