// Channel conversion and resizing of byte images (what uploads go through).
import { expect } from '@esm-bundle/chai';
import { resizeImage, toChannels } from '../../nodes/image-data';

describe('image data', () => {
  it('turns RGB into ITU-R 601 luma and gray into RGB', () => {
    const rgb = { height: 1, width: 3, channels: 3, data: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255]) };
    expect(Array.from(toChannels(rgb, 1).data)).to.deep.equal([76, 150, 29]);
    const gray = { height: 1, width: 2, channels: 1, data: new Uint8Array([10, 200]) };
    expect(Array.from(toChannels(gray, 3).data)).to.deep.equal([10, 10, 10, 200, 200, 200]);
  });

  it('composites transparent pixels on white', () => {
    const rgba = { height: 1, width: 2, channels: 4, data: new Uint8Array([0, 0, 0, 0, 0, 0, 0, 255]) };
    expect(Array.from(toChannels(rgba, 1).data)).to.deep.equal([255, 0]);
  });

  it('averages when shrinking and keeps constant images constant', () => {
    const img = { height: 2, width: 4, channels: 1, data: new Uint8Array([0, 100, 200, 100, 0, 100, 200, 100]) };
    const half = resizeImage(img, 1, 2);
    expect(half.height).to.equal(1);
    expect(half.width).to.equal(2);
    const flat = resizeImage({ height: 5, width: 7, channels: 3, data: new Uint8Array(105).fill(77) }, 3, 11);
    expect(Array.from(flat.data).every((v) => v === 77)).to.equal(true);
    const big = resizeImage({ height: 64, width: 64, channels: 1, data: new Uint8Array(4096).map((_, i) => ((i % 64) < 32 ? 0 : 255)) }, 2, 2);
    // A triangle filter as wide as the shrink factor: mostly each half, a little of the other.
    const [a, b, c, d] = Array.from(big.data);
    expect(a).to.be.below(64);
    expect(b).to.equal(255 - a!);
    expect([c, d]).to.deep.equal([a, b]);
  });

  it('interpolates when growing', () => {
    const up = resizeImage({ height: 1, width: 2, channels: 1, data: new Uint8Array([0, 200]) }, 1, 4);
    expect(Array.from(up.data)).to.deep.equal([0, 50, 150, 200]);
  });
});
