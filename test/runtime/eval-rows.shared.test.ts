// A node that reads a few evaluated samples (`evalRows`: an interpolation's two ends) runs the chain upstream
// on those rows alone: the same images as from every sample's codes, with the encoder run on two rows.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { registry } from '../../nodes';
import type { ImagesResult, PointsResult } from '../../nodes/results';
import { compile, createRun } from '../../src/runtime';
import { loadGraph } from '../../src/graph';
import { testIO, wasmPath } from './test-io';

async function preset(name: string): Promise<string> {
  if (typeof window !== 'undefined') return (await fetch(`/graphs/${name}.json`)).text();
  const fs = 'node:fs/promises';
  return ((await import(/* @vite-ignore */ fs)) as typeof import('node:fs/promises')).readFile(`graphs/${name}.json`, 'utf8');
}

describe('evaluating a few samples (evalRows)', () => {
  it('an interpolation encodes its two ends only, and draws what every sample\'s codes give', async () => {
    const loaded = loadGraph(await preset('font-ae'), registry);
    const c = compile(loaded.doc!, registry);
    if (!c.ok) throw new Error('font-ae does not compile');
    const between = c.plan.byId.get('between')!;
    const { from, to, steps } = between.params as { from: number; to: number; steps: number };
    const run = createRun(c.plan, { io: await testIO(), backend: 'wasm', wasmPath, seed: 3, epochs: 1 });
    try {
      await run.step(40);
      let images!: ImagesResult;
      const profile = await tf.profile(async () => {
        images = (await run.evaluate('between')) as ImagesResult;
        return [];
      });
      // The encoder's first layer saw two samples (the font has 32).
      const first = profile.kernels.find((k) => k.name === 'LatentflowDense')!;
      expect(first.inputShapes[0], 'the encoder\'s input').to.deep.equal([2, 35]);
      // The same line as between the two samples' codes among every sample's (infer.encode's raw codes).
      const codes = ((await run.evaluate('codes')) as PointsResult).raw!;
      const [a, b] = [codes[from]!, codes[to]!];
      expect(images.coords).to.have.length(steps);
      images.coords!.forEach((z, i) => z.forEach((v, d) => expect(v, `code ${i}, dim ${d}`).to.be.closeTo(a[d]! + (i / (steps - 1)) * (b[d]! - a[d]!), 1e-5)));
      // A live change of an end picks that sample's row.
      expect(run.setParam('between', 'from', 3)).to.equal(null);
      const moved = (await run.evaluate('between')) as ImagesResult;
      moved.coords![0]!.forEach((v, d) => expect(v, `the new start, dim ${d}`).to.be.closeTo(codes[3]![d]!, 1e-5));
    } finally {
      await run.dispose();
    }
  });
});
