// The IDX parser against hand-made bytes: good files (raw and gzip) and every way a file can be wrong.
import { expect } from '@esm-bundle/chai';
import { gzipSync } from 'fflate';
import { checkPair, encodeIdx, parseIdx } from '../../nodes/idx';
import { DataFileError } from '../../nodes/data-error';

/** Two 2×3 images: magic 0x00000803, sizes 2, 2, 3 big-endian, then 12 pixels. */
const images = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 255]);
/** Three labels: magic 0x00000801, size 3, then 3 bytes. */
const labels = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 0, 9]);

/** The error message parseIdx gives (or '' if it parses). */
function problem(bytes: Uint8Array, expect_: 'images' | 'labels' | 'any' = 'any'): string {
  try {
    parseIdx(bytes, 'my-file', expect_);
    return '';
  } catch (e) {
    expect(e).to.be.instanceOf(DataFileError);
    expect((e as DataFileError).file).to.equal('my-file');
    return (e as Error).message;
  }
}

describe('IDX parser', () => {
  it('reads images: big-endian sizes and the pixel bytes', () => {
    const idx = parseIdx(images, 'x', 'images');
    expect(idx.dims).to.deep.equal([2, 2, 3]);
    expect(Array.from(idx.data)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 255]);
  });

  it('reads labels, and sizes above 255 (big-endian)', () => {
    expect(Array.from(parseIdx(labels, 'y', 'labels').data)).to.deep.equal([7, 0, 9]);
    const big = new Uint8Array(8 + 300);
    big.set([0, 0, 8, 1, 0, 0, 1, 44]);
    expect(parseIdx(big, 'y', 'labels').dims).to.deep.equal([300]);
  });

  it('reads gzip files the same as raw ones', () => {
    const idx = parseIdx(gzipSync(images), 'x.gz', 'images');
    expect(idx.dims).to.deep.equal([2, 2, 3]);
    expect(idx.data[11]).to.equal(255);
  });

  it('round-trips what encodeIdx writes', () => {
    const bytes = encodeIdx([1, 2, 2, 3], new Uint8Array(12).fill(9));
    expect(Array.from(bytes.subarray(0, 4))).to.deep.equal([0, 0, 8, 4]);
    expect(parseIdx(bytes, 'z', 'images').dims).to.deep.equal([1, 2, 2, 3]);
  });

  it('names the file and the wrong magic', () => {
    const m = problem(new Uint8Array([1, 2, 8, 3, 0, 0, 0, 0]));
    expect(m).to.match(/^my-file: has wrong magic 0x01020803/);
  });

  it('refuses a label file where images are expected, and the other way round', () => {
    expect(problem(labels, 'images')).to.contain('wrong magic 0x00000801').and.contain('expected an image file');
    expect(problem(images, 'labels')).to.contain('wrong magic 0x00000803').and.contain('expected a label file');
  });

  it('refuses element types other than unsigned bytes, naming them', () => {
    const floats = images.slice();
    floats[2] = 0x0d;
    expect(problem(floats)).to.contain('element type 0x0d (float) is not supported');
  });

  it('says how a truncated file falls short', () => {
    expect(problem(images.subarray(0, 3))).to.contain('is truncated: 3 bytes');
    expect(problem(images.subarray(0, 10))).to.contain('the header needs 16 bytes, the file has 10');
    expect(problem(images.subarray(0, 20))).to.equal('my-file: is truncated: sizes 2×2×3 need 12 data bytes after the 16-byte header, the file has 4');
  });

  it('refuses trailing bytes and empty sizes', () => {
    const longer = new Uint8Array([...labels, 1, 2]);
    expect(problem(longer)).to.contain('has 2 bytes more than its sizes 3');
    expect(problem(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 0]))).to.contain('size 0 in dimension 0');
  });

  it('refuses a truncated or corrupt gzip file', () => {
    const gz = gzipSync(images);
    expect(problem(gz.subarray(0, 12))).to.contain('truncated gzip');
    const broken = gz.slice();
    broken.fill(0xff, 10, gz.length - 8);
    expect(problem(broken)).to.contain('is not valid gzip data');
  });

  it('reads a gzip file of several members (cat a.gz b.gz, bgzip), checking each member\'s checksum (issue 13)', () => {
    // Its second member's trailer was read as the first's: "damaged: checksum mismatch".
    const joined = (...parts: Uint8Array[]) => { const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let at = 0; for (const p of parts) { out.set(p, at); at += p.length; } return out; };
    const [first, second] = [gzipSync(images.subarray(0, 10)), gzipSync(images.subarray(10))];
    expect(Array.from(parseIdx(joined(first, second), 'my-file').data)).to.deep.equal(Array.from(images.subarray(16)));
    const damaged = second.slice();
    damaged[damaged.length - 6]! ^= 1; // the second member's CRC
    expect(problem(joined(first, damaged))).to.contain('is damaged: its gzip checksum (CRC-32) does not match its contents');
    // A member whose name runs for megabytes gives no data for that long: refused at once (it once took 73 s for 50 MB).
    const named = gzipSync(images.subarray(10));
    named[3] = 8; // FNAME
    const longName = joined(first, named.subarray(0, 10), new Uint8Array(8 * 1024 * 1024).fill(0x41), new Uint8Array(1), named.subarray(10));
    const started = performance.now();
    expect(problem(longName)).to.match(/is not valid gzip data \(more than 1048576 bytes of it give no data\)/);
    expect(performance.now() - started).to.be.below(2000);
  });

  it('recognises images and archives dropped by mistake', () => {
    expect(problem(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]))).to.contain('is a PNG image, not an IDX file');
    expect(problem(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]))).to.contain('is a zip archive');
  });

  it('refuses sizes that promise more than the limit before allocating', () => {
    expect(problem(new Uint8Array([0, 0, 8, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0]))).to.contain('more than the');
  });

  it('checks that images and labels count the same samples', () => {
    const imgs = parseIdx(images, 'train-images', 'images');
    const labs = parseIdx(labels, 'train-labels', 'labels');
    expect(() => checkPair(imgs, 'train-images', labs, 'train-labels')).to.throw('train-labels: has 3 labels but train-images has 2 images');
  });
});
