// The reconstructions view in a narrow card (the docked panel at 1280x720, a view inside a node):
// its header wraps instead of running off the right edge, and the images start below it.
import { expect } from '@esm-bundle/chai';
import type { ReconstructionsResult } from '../../nodes/results';
import { drawReconstructions } from '../../src/ui/draw-reconstructions';

const colors = { fg: '#ffffff', muted: '#888888', grid: '#444444' };

describe('reconstructions drawing', () => {
  it('keeps every text inside a narrow view and draws the images under the header', () => {
    const canvas = document.createElement('canvas');
    canvas.width = 300;
    canvas.height = 200;
    const g = canvas.getContext('2d')!;
    const texts: { text: string; right: number; bottom: number }[] = [];
    let firstImageTop = Infinity;
    const fillText = g.fillText.bind(g), drawImage = g.drawImage.bind(g) as (...a: unknown[]) => void;
    g.fillText = (t: string, x: number, y: number) => {
      const m = g.measureText(t);
      texts.push({ text: t, right: x + m.width, bottom: y + m.actualBoundingBoxDescent });
      fillText(t, x, y);
    };
    (g as unknown as { drawImage: (...a: unknown[]) => void }).drawImage = (...a: unknown[]) => {
      firstImageTop = Math.min(firstImageTop, a.at(-3) as number);
      drawImage(...a);
    };
    const glyph = (v: number) => Array.from({ length: 35 }, (_, p) => (p % 3 ? v : 1 - v));
    const n = 32;
    const r: ReconstructionsResult = {
      kind: 'reconstructions', image: [7, 5, 1], threshold: 0.5,
      originals: Array.from({ length: n }, () => glyph(1)), noisy: Array.from({ length: n }, () => glyph(0.9)),
      reconstructions: Array.from({ length: n }, () => glyph(1)), wrong: new Array<number>(n).fill(0),
    };
    drawReconstructions(g, { width: 300, height: 200 }, r, colors);
    const header = texts.filter((t) => !/^\d+$/.test(t.text));
    expect(header.map((t) => t.text).join(' ')).to.match(/^original · noisy input · reconstruction — wrong pixels \(> 0\.5\) under each: 0 in all$/);
    for (const t of texts) expect(t.right, `"${t.text}" inside the view`).to.be.at.most(300);
    expect(firstImageTop, 'the images start under the header').to.be.at.least(Math.max(...header.map((t) => t.bottom)));
  });
});
