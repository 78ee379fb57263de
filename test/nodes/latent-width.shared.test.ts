// A latent code left without a size is as wide as the features it reads: the MNIST AE report's hidden
// size is its code's size, so its note's sweep of the encoder's width sweeps the code too.
import { expect } from '@esm-bundle/chai';
import { loadGraph, type GraphDoc, type Params } from '../../src/graph';
import { registry } from '../../nodes';
import { compile, createRun, exportLayersModels, exportPytorch, type ExportedModels } from '../../src/runtime';
import { parseSweep, sweptPlan } from '../../src/runtime/sweep';
import { readRepoFile } from '../helpers/read-fixture';
import { testIO, wasmPath } from '../runtime/test-io';

async function preset(name: string): Promise<GraphDoc> {
  const { doc, problems } = loadGraph(await readRepoFile(`graphs/${name}`), registry);
  expect(problems).to.deep.equal([]);
  return doc!;
}

const codeDim = (plan: { nodes: { id: string; outShapes: Record<string, unknown> }[] }) =>
  (plan.nodes.find((n) => n.id === 'code')!.outShapes.z as { dim: number }).dim;

describe('latent.deterministic without a dim', () => {
  it('the MNIST AE\'s note sweeps the hidden size: the code is as wide as the encoder in every swept graph', async () => {
    const doc = await preset('mnist-ae.json');
    const sweep = parseSweep(String(doc.nodes.find((n) => n.kind === 'note.comment')!.params.sweep));
    if (typeof sweep === 'string') throw new Error(sweep);
    const dims = sweep.values.map((v) => {
      const swept = sweptPlan(doc, [sweep], [v], registry);
      if (typeof swept === 'string') throw new Error(swept);
      return codeDim(swept.plan);
    });
    expect(dims).to.deep.equal([64, 128, 256, 512]);
  });

  it('is the last encoder width in the plan, the summary, the PyTorch model and the Layers export', async () => {
    const doc = await preset('font-ae.json');
    const code = doc.nodes.find((n) => n.id === 'code')!;
    code.params = { ...code.params, dim: null } as typeof code.params;
    expect(registry.get('latent.deterministic')!.summary!(code.params as Params)).to.equal('as wide as its input');
    const c = compile(doc, registry);
    if (!c.ok) throw new Error(c.problems[0]!.message);
    expect(codeDim(c.plan)).to.equal(32);
    const run = createRun(c.plan, { io: await testIO(), backend: 'cpu', wasmPath });
    const weights = await run.getWeights();
    await run.dispose();
    expect(weights.code!['dense0/kernel']!.shape).to.deep.equal([32, 32]);
    const r = await exportPytorch(c.plan, { io: await testIO(), weights });
    if (!r.ok) throw new Error(r.problems[0]!.message);
    expect(new TextDecoder().decode(r.files.find((f) => f.path === 'model.py')!.bytes)).to.contain('self.code = LatentCode(32, 32, activation="linear")');
    const layers = exportLayersModels(c.plan, weights) as ExportedModels;
    expect((layers as unknown as { message?: string }).message).to.equal(undefined);
    expect(layers.encoder.outputs[0]!.shape).to.deep.equal([null, 32]);
    expect(layers.decoder.inputs[0]!.shape).to.deep.equal([null, 32]);
    layers.encoder.dispose();
    layers.decoder.dispose();
  });
});
