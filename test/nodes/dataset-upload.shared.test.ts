// dataset.upload: named envelopes, decoded images resized and converted, IDX pairs, bad files named.
import { expect } from '@esm-bundle/chai';
import { gzipSync } from 'fflate';
import { imageToUpload, loadUpload, unwrapUpload, uploadDataset, wrapUpload } from '../../nodes/dataset-upload';
import { encodeIdx } from '../../nodes/idx';
import { memoryIO } from './io';
import { paramsOf } from './tf-helpers';

const gray = { height: 2, width: 2, channels: 1 as const, limit: 100 };

/** A solid RGBA image as the browser decodes it. */
const solid = (name: string, rgba: number[], size = 4) =>
  imageToUpload({ name, height: size, width: size, channels: 4, data: new Uint8Array(size * size * 4).map((_, i) => rgba[i % 4]!) });

/** The message of the error `fn` throws. */
function messageOf(fn: () => unknown): string {
  try {
    fn();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('dataset.upload', () => {
  it('wraps and unwraps a named file; a bare file is named by its position', () => {
    const payload = new Uint8Array([1, 2, 3]);
    const { name, payload: back } = unwrapUpload(wrapUpload('faces/😀 smile.png', payload), 0);
    expect(name).to.equal('faces/😀 smile.png');
    expect(Array.from(back)).to.deep.equal([1, 2, 3]);
    expect(unwrapUpload(payload, 2).name).to.equal('file 3');
  });

  it('turns decoded images into gray samples of the chosen size, labelled by folder or name', () => {
    const d = loadUpload([solid('cats/a.png', [255, 0, 0, 255]), solid('dog.png', [0, 0, 0, 255]), solid('cats/b.png', [0, 0, 0, 0])], gray);
    expect(d.count).to.equal(3);
    expect(d.image).to.deep.equal([2, 2, 1]);
    expect(d.labels).to.deep.equal(['cats', 'dog', 'cats']);
    expect(d.x[0]).to.be.closeTo(76 / 255, 1e-6); // red → luma 76
    expect(d.x[4]).to.equal(0);
    expect(d.x[8]).to.equal(1); // transparent → white
  });

  it('converts to RGB when asked', () => {
    const d = loadUpload([solid('x.png', [255, 128, 0, 255])], { height: 3, width: 3, channels: 3, limit: 10 });
    expect(d.features).to.equal(27);
    expect(Array.from(d.x.subarray(0, 3)).map((v) => Math.round(v * 255))).to.deep.equal([255, 128, 0]);
  });

  it('reads IDX images with their label file (gzip or raw, any order), and honours the limit', () => {
    const pixels = new Uint8Array(3 * 4).map((_, i) => i * 20);
    const files = [
      wrapUpload('train-labels-idx1-ubyte.gz', gzipSync(encodeIdx([3], new Uint8Array([4, 2, 9])))),
      wrapUpload('train-images-idx3-ubyte', encodeIdx([3, 2, 2], pixels)),
    ];
    const d = loadUpload(files, gray);
    expect(d.labels).to.deep.equal(['4', '2', '9']);
    expect(Array.from(d.x).map((v) => Math.round(v * 255))).to.deep.equal(Array.from(pixels));
    expect(loadUpload(files, { ...gray, limit: 2 }).count).to.equal(2);
  });

  it('names every bad file and what is wrong with it', () => {
    const m = messageOf(() => loadUpload([
      wrapUpload('good.png', encodeIdx([1, 2, 2], new Uint8Array(4))),
      wrapUpload('broken.idx', new Uint8Array([0, 0, 8, 3, 0, 0])),
      wrapUpload('photo.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0])),
    ], gray));
    expect(m).to.contain('broken.idx: is truncated');
    expect(m).to.contain('photo.jpg: is a JPEG image, not an IDX file');
    expect(m).to.not.contain('good.png');
  });

  it('keeps the message of many bad files, or of long names, short: ten named, the rest counted (issue 13)', () => {
    const bad = Array.from({ length: 5000 }, (_, i) => wrapUpload(`${'deep/'.repeat(3000)}bad-${i}.idx`, new Uint8Array([0, 0, 8, 3, 0, 0])));
    const m = messageOf(() => loadUpload(bad, gray));
    const lines = m.split('\n');
    expect(lines).to.have.length(11);
    expect(lines[10]).to.equal('and 4,990 more files with problems');
    expect(lines[0]).to.match(/^deep\/deep\/.{40}….*bad-0\.idx: is truncated/);
    expect(m.length).to.be.below(2000);
  });

  it('names a label file whose count does not match its images', () => {
    const m = messageOf(() => loadUpload([
      wrapUpload('a-images-idx3', encodeIdx([2, 2, 2], new Uint8Array(8))),
      wrapUpload('a-labels-idx1', encodeIdx([3], new Uint8Array(3))),
    ], gray));
    expect(m).to.equal('a-labels-idx1: has 3 labels but a-images-idx3 has 2 images: the counts must match');
  });

  it('loads through the node with the uploads stored under its source key', async () => {
    const io = memoryIO({}, { mine: [solid('one.png', [0, 0, 0, 255], 8)] });
    const d = await uploadDataset.load!(paramsOf(uploadDataset, { source: 'mine', width: 4, height: 4 }), io);
    expect(d.count).to.equal(1);
    expect(d.features).to.equal(16);
    let message = '';
    await uploadDataset.load!(paramsOf(uploadDataset), io).catch((e: Error) => { message = e.message; });
    expect(message).to.contain('no files chosen');
  });
});
