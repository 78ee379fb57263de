import * as tf from '@tensorflow/tfjs';
import { expect } from '@esm-bundle/chai';
import { loadGraph } from '../../src/graph';
import { registry } from '../../nodes';
import { compile, createRun } from '../../src/runtime';
import { presetFiles } from '../helpers/presets';
import { readRepoFile } from '../helpers/read-fixture';
import { testIO, wasmPath } from './test-io';

describe('every preset', () => {
  for (const file of presetFiles) {
    it(`${file} trains two steps, evaluates every metric and inference node, and frees everything`, async () => {
      const { doc } = loadGraph(await readRepoFile(`graphs/${file}`), registry);
      const c = compile(doc!, registry);
      if (!c.ok) throw new Error(c.problems.map((p) => p.message).join('; '));
      const before = tf.memory().numTensors;
      const run = createRun(c.plan, { io: await testIO(), backend: 'wasm', wasmPath, evalLimit: 512 });
      await run.step(2);
      expect(run.history().steps).to.deep.equal([0, 1]);
      expect(run.history().total.every(Number.isFinite)).to.equal(true);
      for (const node of c.plan.nodes.filter((n) => n.kind.category === 'metric' || n.kind.category === 'infer')) {
        const result = (await run.evaluate(node.id)) as { kind: string };
        expect(result.kind, node.id).to.be.a('string');
      }
      await run.dispose();
      expect(tf.memory().numTensors).to.equal(before);
    });
  }
});
