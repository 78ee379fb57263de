// The PyTorch export in Node and in the browser (the Share menu's zip): the same files from the same plan.
import { expect } from '@esm-bundle/chai';
import { loadGraph } from '../../src/graph';
import { registry } from '../../nodes';
import { compile, createRun, exportPytorch } from '../../src/runtime';
import { readSafetensors } from '../../src/runtime/pytorch/safetensors';
import { readRepoFile } from '../helpers/read-fixture';
import { testIO, wasmPath } from './test-io';

describe('PyTorch export', () => {
  it('writes the emoji VAE: a class per kind in use, the Model named after the nodes, data, weights in PyTorch layout', async () => {
    const { doc } = loadGraph(await readRepoFile('graphs/emoji-vae.json'), registry);
    const c = compile(doc!, registry);
    if (!c.ok) throw new Error(c.problems[0]!.message);
    const run = createRun(c.plan, { io: await testIO(), backend: 'wasm', wasmPath });
    const weights = await run.getWeights();
    await run.dispose();
    const r = await exportPytorch(c.plan, { io: await testIO(), weights, trainedEpochs: 7 });
    if (!r.ok) throw new Error(r.problems[0]!.message);
    const files = new Map(r.files.map((f) => [f.path, f.bytes]));
    expect([...files.keys()].sort()).to.deep.equal(['README.md', 'data.py', 'data/data.f32', 'data/data.json', 'model.py', 'train.py', 'weights.safetensors']);
    const model = new TextDecoder().decode(files.get('model.py'));
    expect(model.match(/^class \w+/gm)).to.deep.equal(['class DenseStack', 'class DenseEncoder', 'class GaussianLatent', 'class DenseDecoder', 'class Model']);
    expect(model).to.contain('        code = self.code(enc, mode, stochastic)\n');
    expect(model).to.contain('"kl": kl_loss(out["code"], beta=1, warmup_epochs=0, epoch=epoch),');
    expect(new TextDecoder().decode(files.get('train.py'))).to.match(/^ {4}"epochs": 3000,$/m);
    expect(files.get('data/data.f32')!.length).to.equal(60 * 400 * 4);
    const { tensors, metadata } = readSafetensors(files.get('weights.safetensors')!);
    expect(metadata.epoch).to.equal('7');
    expect(new TextDecoder().decode(files.get('README.md'))).to.contain('Exported from latentflow with the weights trained in latentflow (7 epochs).');
    const kernel = weights.code!['logvar0/kernel']!;
    const t = tensors.get('code.log_var.weight')!;
    expect(t.shape).to.deep.equal([kernel.shape[1], kernel.shape[0]]);
    expect(t.values[1 * kernel.shape[0] + 5]).to.equal(kernel.values[5 * kernel.shape[1] + 1]); // [out, in] ← [in, out]
  });

  it('writes each path once: a dataset node "Split" (data/Split.json beside data/split.json) is refused naming it (issue 13)', async () => {
    const { doc } = loadGraph(await readRepoFile('graphs/font-ae.json'), registry);
    for (const n of doc!.nodes) {
      if (n.id === 'data') n.id = 'Split';
      if (n.id === 'train') n.params = { ...n.params, testSplit: 0.25 };
    }
    for (const e of doc!.edges) for (const end of [e.from, e.to]) if (end.node === 'data') end.node = 'Split';
    const c = compile(doc!, registry);
    if (!c.ok) throw new Error(c.problems[0]!.message);
    const run = createRun(c.plan, { io: await testIO(), backend: 'wasm', wasmPath });
    const weights = await run.getWeights();
    await run.dispose();
    const r = await exportPytorch(c.plan, { io: await testIO(), weights });
    expect(r.ok ? [] : r.problems.map((p) => [p.nodeId, p.message])).to.deep.equal([['Split', 'the export would write data/split.json twice; rename node "Split"']]);
  });

  it('names the node a graph cannot be exported for', async () => {
    const { doc } = loadGraph(await readRepoFile('graphs/font-ae.json'), registry);
    doc!.nodes = doc!.nodes.filter((n) => n.id !== 'train' && n.id !== 'curve');
    doc!.edges = doc!.edges.filter((e) => ![e.from.node, e.to.node].some((id) => id === 'train' || id === 'curve'));
    const c = compile(doc!, registry);
    if (!c.ok) throw new Error(c.problems[0]!.message);
    const r = await exportPytorch(c.plan, { io: await testIO(), weights: {} });
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.problems[0]!.message).to.match(/no trainer/);
  });
});
