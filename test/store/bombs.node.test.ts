// Decompression and allocation bombs (issue 13, families 8-11): a small hostile file is refused
// within 2 s and 300 MB, with a message saying why, before it can expand into gigabytes.
import { expect } from '@esm-bundle/chai';
import { readFileSync } from 'node:fs';
import { gzipSync, strToU8 } from 'fflate';
import { registry } from '../../nodes';
import { loadUpload } from '../../nodes/dataset-upload';
import { parseIdx } from '../../nodes/idx';
import { readBundle, writeBundle } from '../../src/store/bundle';
import { graphFromPng } from '../../src/store/png';
import { bundleBombs, deflatedAfter, gzipOf, MiB, pngOfChunks, storedPart, zeroPart, zipOf } from '../helpers/bombs';

const graphText = readFileSync(new URL('../../graphs/font-ae.json', import.meta.url), 'utf8');

/** Runs `read` and checks it took under 2 s and grew the process's peak memory by under 300 MB. */
async function withinBudget<T>(read: () => T | Promise<T>): Promise<T> {
  const rss = process.memoryUsage().rss;
  const t0 = performance.now();
  const out = await read();
  const ms = performance.now() - t0;
  const grewMB = (process.resourceUsage().maxRSS * 1024 - rss) / MiB;
  expect(ms, 'milliseconds').to.be.below(2000);
  expect(grewMB, 'MB of peak memory').to.be.below(300);
  return out;
}

const refusal = async (bytes: Uint8Array) => {
  const r = await withinBudget(() => readBundle(bytes, registry));
  expect(r.ok, 'refused').to.equal(false);
  return r.ok ? '' : r.problems[0]!.message;
};

const idxHeader = (dims: number[]) => {
  const b = new Uint8Array(4 + 4 * dims.length);
  b[2] = 8;
  b[3] = dims.length;
  dims.forEach((d, i) => new DataView(b.buffer).setUint32(4 + 4 * i, d));
  return b;
};
const parseError = (bytes: Uint8Array) => {
  try {
    parseIdx(bytes, 'bomb.gz');
  } catch (e) {
    return (e as Error).message;
  }
  return 'ACCEPTED';
};

describe('zip bombs in .lflow bundles', () => {
  const bombs = bundleBombs(graphText);

  it('four parts of 500 MiB in a 2 MB file: refused from what they declare, before inflating', async () => {
    expect(bombs.fourParts.length).to.be.below(2.1e6);
    expect(await refusal(bombs.fourParts)).to.match(/"graph\.json" declares 524288000 bytes, more than the \d+ it may have/);
  });

  it('twenty entries of one name: refused as duplicates', async () => {
    expect(await refusal(bombs.duplicates)).to.match(/holds "weights\.bin" more than once/);
  });

  it('weights.bin declaring 8 bytes and inflating 1 GiB: refused as it passes 8', async () => {
    expect(await refusal(bombs.lyingWeights)).to.match(/"weights\.bin" inflates to more than the 8 bytes it declares/);
  });

  it('a part inflating to less than it declares, a bad checksum, and a manifest bigger than any model are refused', async () => {
    const manifest = (bytes: number) => storedPart('weights.json', strToU8(JSON.stringify({ format: 'latentflow/weights', version: 1,
      tensors: [{ node: 'enc', name: 'k', dtype: 'float32', shape: [bytes / 4], offset: 0, length: bytes }] })));
    const graph = storedPart('graph.json', strToU8(graphText));
    const short = zipOf([graph, manifest(108), { ...zeroPart('weights.bin', 100), size: 108 }]);
    expect(await refusal(short)).to.match(/"weights\.bin" inflates to 100 bytes, not the 108 it declares/);
    const badCrc = zipOf([graph, manifest(8), { ...storedPart('weights.bin', new Uint8Array(8)), crc: 1 }]);
    expect(await refusal(badCrc)).to.match(/"weights\.bin" is damaged \(checksum mismatch\)/);
    const huge = zipOf([graph, manifest(300 * MiB), zeroPart('weights.bin', 300 * MiB)]);
    expect(await refusal(huge)).to.match(/describes 314572800 bytes of weights; a latentflow model has at most 50,000,000 parameters/);
  });

  it('a bundle latentflow writes still reads', async () => {
    const doc = (await import('../../src/graph')).loadGraph(graphText, registry).doc!;
    const values = Float32Array.from({ length: 35 * 8 }, (_, i) => i / 7);
    const r = await readBundle(writeBundle({ doc, weights: { enc: { 'dense0/kernel': { shape: [35, 8], values } } }, metrics: null }), registry);
    expect(r.ok && Array.from(r.weights.enc!['dense0/kernel']!.values)).to.deep.equal(Array.from(values));
  });
});

describe('gzip IDX bombs', () => {
  it('4 GiB behind a wrapped ISIZE: refused from the header as the bytes come', async () => {
    const head = idxHeader([65536, 256, 256]);
    const bomb = gzipOf(deflatedAfter(head, 4096 * MiB), 0, head.length);
    expect(await withinBudget(() => parseError(bomb))).to.match(/claims 65536×256×256 values, more than the 268435456 allowed/);
  });

  it('data past what a legal header promises: inflating stops there', async () => {
    const head = idxHeader([1000, 28, 28]);
    const bomb = gzipOf(deflatedAfter(head, 4096 * MiB), 0, head.length + 1000 * 28 * 28);
    expect(await withinBudget(() => parseError(bomb))).to.match(/inflates to more than 784016 bytes: more than its sizes 1000×28×28/);
  });

  it('a CRC error is refused', () => {
    const gz = gzipSync(new Uint8Array([...idxHeader([3]), 7, 0, 9]));
    expect(parseIdx(gz, 'x').dims).to.deep.equal([3]);
    gz[gz.length - 8]! ^= 1;
    expect(parseError(gz)).to.match(/gzip checksum \(CRC-32\) does not match/);
  });
});

describe('dimension products', () => {
  it('a legal IDX of shape [1, 1, 268435440] is refused before anything is resized or inflated', async () => {
    const head = idxHeader([1, 1, 268435440]);
    const file = gzipOf(deflatedAfter(head, 268435440), 0, head.length + 268435440);
    const message = await withinBudget(() => {
      try { loadUpload([file], { height: 28, width: 28, channels: 1, limit: 10 }); } catch (e) { return (e as Error).message; }
      return 'ACCEPTED';
    });
    expect(message).to.match(/holds images of 1×268435440 pixels; images up to 16384×16384 can be resized/);
  });
});

describe('PNG chunk bombs', () => {
  it('millions of empty chunks are refused after a bounded count', async () => {
    const png = pngOfChunks(2_400_000); // 28.8 MB, the structure of the 288 MB file
    const r = await withinBudget(() => graphFromPng(png));
    expect(r.ok ? '' : r.problem.message).to.match(/more than 100000 chunks/);
  });
});
