import { expect } from '@esm-bundle/chai';
import { strFromU8, unzipSync } from 'fflate';
import { registry } from '../../nodes';
import { compile, createRun, type Checkpoint } from '../../src/runtime';
import { readSafetensors } from '../../src/runtime/pytorch/safetensors';
import { loadGraph } from '../../src/graph';
import { fetchIO } from '../../src/runtime/io-fetch';
import type { LfApp } from '../../src/ui';
import { mountApp, unmountApp, until } from '../helpers/app';

/** The font AE compiled, as the app's Share menu compiles it. */
async function fontAePlan() {
  const { doc } = loadGraph(await (await fetch('/graphs/font-ae.json')).text(), registry);
  const c = compile(doc!, registry);
  if (!c.ok) throw new Error(c.problems[0]!.message);
  return c.plan;
}

describe('Share → PyTorch project', () => {
  let app: LfApp;
  afterEach(async () => unmountApp(app));

  it('downloads one zip with the project folder: scripts, data, the weights and a README', async function () {
    this.timeout(60_000);
    app = await mountApp({ initial: 'font-ae' });
    app.dataBase = '/public/';
    const plan = await fontAePlan();
    const run = createRun(plan, { io: fetchIO('/public/'), backend: 'cpu' });
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

  it('brings Adam\'s state along when the newest checkpoint holds the weights exported, and not when it holds others', async function () {
    this.timeout(60_000);
    app = await mountApp({ initial: 'font-ae' });
    app.dataBase = '/public/';
    const plan = await fontAePlan();
    let last: Checkpoint | undefined;
    const run = createRun(plan, { io: fetchIO('/public/'), backend: 'cpu', epochs: 5, onCheckpoint: (cp) => { last = cp; } });
    await run.start();
    await run.finished;
    await run.dispose();
    const zipOf = async () => {
      const blobs: Blob[] = [];
      const original = URL.createObjectURL;
      URL.createObjectURL = (b: Blob | MediaSource) => { blobs.push(b as Blob); return original.call(URL, b); };
      try {
        await app.sharing.share('pytorch');
      } finally {
        URL.createObjectURL = original;
      }
      return unzipSync(new Uint8Array(await blobs[0]!.arrayBuffer()));
    };
    app.session.trainedWeights = last!.weights;
    app.session.resumable = last!;
    const files = await zipOf();
    expect(Object.keys(files)).to.include('ae-7x5-font-pytorch/optimizer.safetensors');
    expect(strFromU8(files['ae-7x5-font-pytorch/README.md']!)).to.contain('(5 epochs)');
    const { metadata, tensors } = readSafetensors(files['ae-7x5-font-pytorch/optimizer.safetensors']!);
    expect(metadata.step).to.equal('5');
    expect(tensors.get('exp_avg_sq.enc.layers.0.weight')!.shape).to.deep.equal([64, 35]);
    // Other weights than the checkpoint's: no optimizer state is claimed for them.
    const other = structuredClone(last!.weights);
    other.enc!['dense0/kernel']!.values[0]! += 1;
    app.session.trainedWeights = other;
    expect(Object.keys(await zipOf())).not.to.include('ae-7x5-font-pytorch/optimizer.safetensors');
  });
});
