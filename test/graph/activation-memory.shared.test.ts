// Activation memory (issue 13, family 6): a graph whose training step would hold gigabytes of
// activations is refused at validation with the numbers, like the parameter limit; a smaller batch passes.
import { expect } from '@esm-bundle/chai';
import { formatProblem, limits, loadGraph, validateGraph, type GraphDoc } from '../../src/graph';
import { registry } from '../../nodes';
import { readRepoFile } from '../helpers/read-fixture';

describe('activation memory at validation', () => {
  let base: GraphDoc;
  before(async () => { base = loadGraph(await readRepoFile('graphs/mnist-vae.json'), registry).doc!; });

  /** The MNIST VAE with the changes: all 60k digits, a [4096] encoder, and a batch size. */
  const variant = (batchSize: number, units = [4096]) => {
    const doc = structuredClone(base);
    for (const n of doc.nodes) {
      if (n.id === 'data') n.params = { ...n.params, limit: 60_000 };
      if (n.id === 'enc') n.params = { ...n.params, units };
      if (n.id === 'train') n.params = { ...n.params, batchSize };
    }
    return validateGraph(doc, registry).problems.filter((p) => p.param === 'batchSize');
  };

  it('MNIST 60k, units [4096], full batch: refused on the batch size with the estimate and the limit', () => {
    const problems = variant(0);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.include({ severity: 'error', nodeId: 'train', path: 'nodes[6].params.batchSize' });
    // 60,000 × (784 data + 4,096 + 3 × 2 latent + 256 + 512 + 784 decoder... ) values × 4 bytes × 3.
    expect(formatProblem(problems[0]!)).to.match(/about \d+\.\d GB of activations \(60,000 samples per batch × [\d,]+ values × 4 bytes × 3 for the backward pass\); the limit is 2\.0 GB/);
    expect(limits.totalParams).to.be.above(6_400_000); // the parameter limit alone let it through
  });

  it('a batch that fits is not a problem; one near the limit is a warning', () => {
    expect(variant(256).map(formatProblem)).to.deep.equal([]);
    const warned = variant(8192);
    expect(warned.map((p) => p.severity)).to.deep.equal(['warning']);
    expect(warned[0]!.message).to.match(/will keep about \d+ MB of activations \(8,192 samples per batch/);
  });
});
