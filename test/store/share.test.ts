// Sharing: links and model bundles reproduce the graph file exactly; tampered bundles are refused
// with a message and leave the library unchanged; PNGs carry their graph.
import { expect } from '@esm-bundle/chai';
import { encode, decode } from 'fast-png';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { formatProblem, loadGraph, saveGraph, structureHash, type GraphDoc } from '../../src/graph';
import { registry } from '../../nodes';
import { openLibrary, type Library } from '../../src/store/db';
import { importBundle, readBundle, writeBundle } from '../../src/store/bundle';
import { readDroppedFile, exportGraphFile } from '../../src/store/files';
import { getGraphRecord, listGraphs } from '../../src/store/graphs';
import { graphLink, hasGraphLink, readGraphLink } from '../../src/store/link';
import { embedGraphInPng, graphFromPng } from '../../src/store/png';
import { listRuns, loadWeights } from '../../src/store/weights';
import { readFixture, readRepoFile } from '../helpers/read-fixture';
import { cleanUp, finiteTrickyFloats, sameBits, uniqueDbName } from './helpers';
import type { NamedWeights } from '../../src/runtime/types';

let presetText: string;
let preset: GraphDoc;
const weights: NamedWeights = {
  enc: { 'dense0/kernel': { shape: [35, 64], values: finiteTrickyFloats(35 * 64, 1) }, 'dense0/bias': { shape: [64], values: finiteTrickyFloats(64, 2) } },
  dec: { 'dense1/kernel': { shape: [64, 35], values: finiteTrickyFloats(64 * 35, 3) } },
};
const metrics = { steps: [1, 2], epochs: [0, 0], total: [0.7, 0.6], terms: { recon: [0.7, 0.6] } };

before(async () => {
  presetText = await readRepoFile('graphs/font-ae.json');
  preset = loadGraph(presetText, registry).doc!;
});

describe('graph links', () => {
  it('round-trips a preset exactly', () => {
    const link = graphLink(preset);
    if (!link.ok) throw new Error(link.problem.message);
    expect(link.value).to.match(/^#g=[A-Za-z0-9_-]+$/);
    expect(hasGraphLink(link.value)).to.equal(true);
    const back = readGraphLink(link.value, registry);
    expect(back.problems.map(formatProblem)).to.deep.equal([]);
    expect(back.text).to.equal(presetText);
    expect(saveGraph(back.doc!)).to.equal(presetText);
  });

  it('refuses a graph too big for a link, with a clear message', () => {
    const r = graphLink(preset, 200);
    expect(r.ok).to.equal(false);
    expect(!r.ok && r.problem.message).to.match(/too big for a link/).and.match(/\.graph\.json file/);
  });

  it('a damaged or empty link is a problem, not a crash', () => {
    const link = graphLink(preset);
    const cut = link.ok ? link.value.slice(0, link.value.length / 2) : '';
    expect(readGraphLink(cut, registry).doc).to.equal(null);
    expect(readGraphLink(cut, registry).problems[0]!.message).to.match(/damaged/);
    expect(readGraphLink('#g=!!!', registry).doc).to.equal(null);
    expect(readGraphLink('#other=1', registry).problems[0]!.message).to.match(/no latentflow graph/);
    expect(hasGraphLink('#x=1')).to.equal(false);
  });
});

describe('model bundles (.lflow)', () => {
  let name: string;
  let lib: Library;
  beforeEach(async () => { name = uniqueDbName('bundle'); lib = await openLibrary({ name }); });
  afterEach(async () => { lib.close(); await cleanUp(); });

  it('round-trip: graph text identical, weights bitwise equal, metrics kept', async () => {
    const bytes = writeBundle({ doc: preset, weights, metrics, structureHash: 'h' });
    const r = await readBundle(bytes, registry);
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('; '));
    expect(r.text).to.equal(presetText);
    expect(saveGraph(r.doc)).to.equal(presetText);
    expect(r.metrics).to.deep.equal(metrics);
    expect(r.structureHash).to.equal('h');
    for (const node of Object.keys(weights)) {
      for (const v of Object.keys(weights[node]!)) {
        expect(r.weights[node]![v]!.shape).to.deep.equal(weights[node]![v]!.shape);
        expect(sameBits(r.weights[node]![v]!.values, weights[node]![v]!.values)).to.equal(true);
      }
    }
  });

  it('import → reload → graph, weights and metrics in the library', async () => {
    const r = await importBundle(lib, writeBundle({ doc: preset, weights, metrics }), registry);
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('; '));
    lib.close();
    lib = await openLibrary({ name });
    expect((await getGraphRecord(lib, r.record.id))!.text).to.equal(presetText);
    const w = (await loadWeights(lib, r.record.id, structureHash(preset, registry)!))!;
    expect(sameBits(w.enc!['dense0/kernel']!.values, weights.enc!['dense0/kernel']!.values)).to.equal(true);
    expect((await listRuns(lib, r.record.id))[0]!.history).to.deep.equal(metrics);
  });

  async function expectRefused(bytes: Uint8Array, message: RegExp): Promise<void> {
    const before = await listGraphs(lib);
    const r = await importBundle(lib, bytes, registry);
    expect(r.ok).to.equal(false);
    expect(r.problems.map(formatProblem).join('\n')).to.match(message);
    expect(await listGraphs(lib)).to.deep.equal(before);
  }

  const rezip = (bytes: Uint8Array, change: (files: Record<string, Uint8Array>) => void) => {
    const files = unzipSync(bytes);
    change(files);
    return zipSync(files);
  };

  it('refuses a file that is not a zip, and a damaged zip', async () => {
    await expectRefused(strToU8('hello'), /not a zip file, or it is damaged/);
    const good = writeBundle({ doc: preset, weights, metrics });
    await expectRefused(good.slice(0, good.length - 40), /not a zip file, or it is damaged/);
  });

  it('refuses a bundle with a part missing', async () => {
    const good = writeBundle({ doc: preset, weights, metrics });
    await expectRefused(rezip(good, (f) => { delete f['weights.bin']; }), /weights\.bin is missing/);
    await expectRefused(rezip(good, (f) => { delete f['graph.json']; }), /graph\.json is missing/);
  });

  it('refuses weights of the wrong size or shape', async () => {
    const good = writeBundle({ doc: preset, weights, metrics });
    await expectRefused(rezip(good, (f) => { f['weights.bin'] = f['weights.bin']!.slice(0, 100); }), /weights\.bin/);
    await expectRefused(rezip(good, (f) => {
      const m = JSON.parse(new TextDecoder().decode(f['weights.json']));
      m.tensors[0].shape = [35, 65];
      f['weights.json'] = strToU8(JSON.stringify(m));
    }), /shape \[35, 65\] needs/);
    await expectRefused(rezip(good, (f) => {
      const m = JSON.parse(new TextDecoder().decode(f['weights.json']));
      m.tensors[0].node = 'ghost';
      f['weights.json'] = strToU8(JSON.stringify(m));
    }), /node "ghost", which is not in its graph/);
    await expectRefused(rezip(good, (f) => { f['weights.json'] = strToU8('{"format":"latentflow/weights","version":1,"tensors":[{"node":"__proto__"}]}'); }), /malformed/);
  });

  it('refuses a graph from a newer latentflow', async () => {
    const newer = await readFixture('broken/newer-version.json');
    const good = writeBundle({ doc: preset, weights: {}, metrics });
    await expectRefused(rezip(good, (f) => { f['graph.json'] = strToU8(newer); }), /newer latentflow/);
  });
});

describe('PNG with the graph embedded', () => {
  const image = () => encode({ width: 3, height: 2, data: new Uint8Array(3 * 2 * 4).fill(200), channels: 4 });

  it('round-trips the graph text and stays a valid image', async () => {
    const png = embedGraphInPng(image(), presetText);
    if (!png.ok) throw new Error(png.problem.message);
    const text = graphFromPng(png.value);
    expect(text.ok && text.value).to.equal(presetText);
    expect(decode(png.value).width).to.equal(3);
    const bitmap = await createImageBitmap(new Blob([new Uint8Array(png.value)], { type: 'image/png' }));
    expect([bitmap.width, bitmap.height]).to.deep.equal([3, 2]);
    // Embedding again replaces the graph rather than adding a second one.
    const again = embedGraphInPng(png.value, '{"x":1}');
    expect(again.ok && graphFromPng(again.value)).to.deep.equal({ ok: true, value: '{"x":1}' });
    expect(again.ok && again.value.length).to.be.below(png.value.length);
  });

  it('non-PNG, PNG without a graph and a damaged chunk are problems', () => {
    expect(graphFromPng(strToU8('not a png'))).to.deep.include({ ok: false });
    const none = graphFromPng(image());
    expect(!none.ok && none.problem.message).to.match(/holds no latentflow graph/);
    const png = embedGraphInPng(image(), presetText);
    const bytes = png.ok ? png.value.slice() : new Uint8Array();
    bytes[bytes.length - 30] ^= 0xff; // inside our chunk's compressed text
    const damaged = graphFromPng(bytes);
    expect(!damaged.ok && damaged.problem.message).to.match(/damaged/);
    expect(embedGraphInPng(strToU8('GIF89a'), presetText).ok).to.equal(false);
  });
});

describe('dropped and exported files', () => {
  it('a dropped graph file, bundle or PNG opens the graph', async () => {
    const file = exportGraphFile(preset);
    expect(file.name).to.equal('ae-7x5-font.graph.json');
    const asText = await readDroppedFile(file.name, strToU8(file.text), registry);
    expect(asText.kind === 'graph' && saveGraph(asText.result.doc!)).to.equal(presetText);
    const asBundle = await readDroppedFile('m.lflow', writeBundle({ doc: preset, weights, metrics }), registry);
    expect(asBundle.kind === 'bundle' && asBundle.result.ok).to.equal(true);
    const png = embedGraphInPng(image(), presetText);
    const asPng = await readDroppedFile('view.png', png.ok ? png.value : new Uint8Array(), registry);
    expect(asPng.kind === 'graph' && saveGraph(asPng.result.doc!)).to.equal(presetText);
    const junk = await readDroppedFile('x.bin', new Uint8Array([0xff, 0xfe, 0x00]), registry);
    expect(junk.kind === 'graph' && junk.result.problems[0]!.message).to.match(/not a latentflow/);
  });
  const image = () => encode({ width: 1, height: 1, data: new Uint8Array(4), channels: 4 });
});
