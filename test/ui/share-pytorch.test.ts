import { expect } from '@esm-bundle/chai';
import { strFromU8, unzipSync } from 'fflate';
import { registry } from '../../nodes';
import { compile, createRun } from '../../src/runtime';
import { loadGraph } from '../../src/graph';
import { fetchIO } from '../../src/runtime/io-fetch';
import type { LfApp } from '../../src/ui';
import { mountApp, unmountApp, until } from '../helpers/app';

describe('Share → PyTorch project', () => {
  let app: LfApp;
  afterEach(async () => unmountApp(app));

  it('downloads one zip with the project folder: scripts, data, the weights and a README', async function () {
    this.timeout(60_000);
    app = await mountApp({ initial: 'font-ae' });
    app.dataBase = '/public/';
    const { doc } = loadGraph(await (await fetch('/graphs/font-ae.json')).text(), registry);
    const c = compile(doc!, registry);
    if (!c.ok) throw new Error(c.problems[0]!.message);
    const run = createRun(c.plan, { io: fetchIO('/public/'), backend: 'cpu' });
    app.session.trainedWeights = await run.getWeights();
    await run.dispose();
    const blobs: Blob[] = [];
    const original = URL.createObjectURL;
    URL.createObjectURL = (b: Blob | MediaSource) => { blobs.push(b as Blob); return original.call(URL, b); };
    try {
      const select = app.shadowRoot!.querySelector<HTMLSelectElement>('select[aria-label="Share"]')!;
      expect([...select.options].map((o) => o.value)).to.include('pytorch');
      select.value = 'pytorch';
      select.dispatchEvent(new Event('change'));
      await until(() => blobs.length > 0, 30_000, 'the zip download');
    } finally {
      URL.createObjectURL = original;
    }
    const files = unzipSync(new Uint8Array(await blobs[0]!.arrayBuffer()));
    expect(Object.keys(files).sort()).to.deep.equal(['ae-7x5-font-pytorch/README.md', 'ae-7x5-font-pytorch/data.py', 'ae-7x5-font-pytorch/data/data.f32',
      'ae-7x5-font-pytorch/data/data.json', 'ae-7x5-font-pytorch/model.py', 'ae-7x5-font-pytorch/train.py', 'ae-7x5-font-pytorch/weights.safetensors']);
    expect(strFromU8(files['ae-7x5-font-pytorch/model.py']!)).to.contain('self.enc = DenseEncoder(35, [64, 32]');
    expect(files['ae-7x5-font-pytorch/data/data.f32']!.length).to.equal(32 * 35 * 4);
  });
});
