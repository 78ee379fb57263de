import { expect } from '@esm-bundle/chai';
import { drawScatter, labelClasses } from '../../src/ui/canvas-draw';

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
});
