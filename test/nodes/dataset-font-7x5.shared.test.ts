// dataset.font-7x5: the glyph `a` pixel by pixel against the reference drawing, labels, limit.
import { expect } from '@esm-bundle/chai';
import { font7x5Dataset } from '../../nodes/dataset-font-7x5';
import { assetIO } from './io';
import { paramsOf } from './tf-helpers';

/** Glyph 0x61 `a` as drawn in the reference font-7x5.txt ('#' = 1). */
const glyphA = [
  '.....',
  '.###.',
  '....#',
  '.##.#',
  '#..##',
  '#..##',
  '.##.#',
];

describe('dataset.font-7x5', () => {
  it('loads 32 glyphs of 7×5 binary pixels labelled with their characters', async () => {
    const d = await font7x5Dataset.load!(paramsOf(font7x5Dataset), assetIO());
    expect(d.count).to.equal(32);
    expect(d.features).to.equal(35);
    expect(d.image).to.deep.equal([7, 5, 1]);
    expect(d.x.length).to.equal(32 * 35);
    expect(d.labels!.slice(0, 4)).to.deep.equal(['`', 'a', 'b', 'c']);
    expect(Array.from(d.x).every((v) => v === 0 || v === 1)).to.equal(true);
  });

  it('draws `a` exactly as the reference, pixel by pixel (row-major, bit 4 leftmost)', async () => {
    const d = await font7x5Dataset.load!(paramsOf(font7x5Dataset), assetIO());
    const a = d.labels!.indexOf('a');
    const drawn = Array.from({ length: 7 }, (_, r) => Array.from({ length: 5 }, (_, c) => (d.x[a * 35 + r * 5 + c] === 1 ? '#' : '.')).join(''));
    expect(drawn).to.deep.equal(glyphA);
  });

  it('has DEL as a full block and honours the limit', async () => {
    const all = await font7x5Dataset.load!(paramsOf(font7x5Dataset), assetIO());
    expect(Array.from(all.x.subarray(31 * 35))).to.deep.equal(new Array(35).fill(1));
    const few = await font7x5Dataset.load!(paramsOf(font7x5Dataset, { limit: 3 }), assetIO());
    expect(few.count).to.equal(3);
    expect(few.labels).to.deep.equal(['`', 'a', 'b']);
  });
});
