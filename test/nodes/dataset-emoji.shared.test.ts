// dataset.emoji: shipped sprites load in both sizes and sets, named from the manifest, invert works.
import { expect } from '@esm-bundle/chai';
import { emojiDataset } from '../../nodes/dataset-emoji';
import { assetIO, memoryIO } from './io';
import { paramsOf } from './tf-helpers';

const load = (params: Record<string, unknown>) => emojiDataset.load!(paramsOf(emojiDataset, params as never), assetIO());

describe('dataset.emoji', () => {
  it('loads the 60 core faces as 20×20 gray in [0, 1], named from the manifest', async () => {
    const d = await load({ invert: false });
    expect(d.count).to.equal(60);
    expect(d.features).to.equal(400);
    expect(d.image).to.deep.equal([20, 20, 1]);
    expect(d.x.length).to.equal(60 * 400);
    expect(d.labels!.slice(0, 3)).to.deep.equal(['grinning', 'grin', 'joy']);
    expect(Array.from(d.x).every((v) => v >= 0 && v <= 1)).to.equal(true);
    // Faces on white: the corner is white, the average near 203/255.
    expect(d.x[0]).to.equal(1);
    const mean = d.x.reduce((a, v) => a + v, 0) / d.x.length;
    expect(mean).to.be.within(0.7, 0.85);
  });

  it('inverts to bright faces on black', async () => {
    const plain = await load({ invert: false });
    const inverted = await load({ invert: true });
    expect(inverted.x[0]).to.equal(0);
    inverted.x.forEach((v, i) => { if (Math.abs(v - (1 - plain.x[i]!)) > 1e-6) throw new Error(`pixel ${i}: ${v} is not 1 − ${plain.x[i]}`); });
  });

  it('loads all 118 faces as 36×36 RGB, with the core 60 among them, and honours the limit', async () => {
    const all = await load({ set: 'faces118', size: '36x36-rgb' });
    expect(all.count).to.equal(118);
    expect(all.image).to.deep.equal([36, 36, 3]);
    expect(all.x.length).to.equal(118 * 36 * 36 * 3);
    const core = await load({ set: 'core60', size: '36x36-rgb', limit: 5 });
    expect(core.count).to.equal(5);
    const j = all.labels!.indexOf(core.labels![4]!);
    expect(Array.from(core.x.subarray(4 * 3888, 5 * 3888))).to.deep.equal(Array.from(all.x.subarray(j * 3888, (j + 1) * 3888)));
    expect(new Set(all.labels).size).to.equal(118);
  });

  it('names the file when a sprite file has the wrong size', async () => {
    const manifest = new TextEncoder().encode(JSON.stringify({ sizes: { '20x20-gray': { file: 'f.bin', image: [20, 20, 1] } }, sets: { core60: [0] }, items: [{ name: 'x' }] }));
    let message = '';
    await emojiDataset.load!(paramsOf(emojiDataset), memoryIO({ 'datasets/emoji/manifest.json': manifest, 'datasets/emoji/f.bin': new Uint8Array(10) }))
      .catch((e: Error) => { message = e.message; });
    expect(message).to.equal('datasets/emoji/f.bin: has 10 bytes, expected 1 faces × 400 = 400');
  });
});
