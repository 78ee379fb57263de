import * as tf from '@tensorflow/tfjs';
import { expect } from '@esm-bundle/chai';
import { loadGraph } from '../../src/graph';
import { registry } from '../../nodes';
import { compile, createRun } from '../../src/runtime';
import { presetFiles } from '../helpers/presets';
import { readRepoFile } from '../helpers/read-fixture';
import type { NodeResult } from '../../nodes/results';
import { testIO, wasmPath } from './test-io';

const finite = (xs: readonly number[]) => xs.every(Number.isFinite);

/** The result is of the kind the node's output socket declares, and its numbers are sound. */
function expectWellFormed(value: unknown, of: string, where: string): void {
  const r = value as NodeResult;
  expect(r.kind, where).to.equal(of);
  switch (r.kind) {
    case 'pixel-errors':
      expect(r.perSample.length, where).to.be.greaterThan(0);
      expect(r.perSample.every((n) => Number.isInteger(n) && n >= 0), where).to.equal(true);
      expect(r.max, where).to.equal(Math.max(...r.perSample));
      expect(r.histogram.reduce((a, b) => a + b.count, 0), where).to.equal(r.perSample.length);
      expect(finite(r.mse), where).to.equal(true);
      break;
    case 'images': {
      expect(r.pixels.length, where).to.equal(r.count).and.greaterThan(0);
      const size = r.image ? r.image[0] * r.image[1] * r.image[2] : r.pixels[0]!.length;
      for (const px of r.pixels) expect(px.length === size && px.every((v) => v >= 0 && v <= 1), where).to.equal(true);
      break;
    }
    case 'points':
      expect(r.points.length, where).to.be.greaterThan(0);
      for (const p of r.points) expect(p.length === 2 && finite(p), where).to.equal(true);
      break;
    case 'ranking':
      expect(r.items.length, where).to.be.greaterThan(0);
      expect(r.items.every((it, i) => Number.isFinite(it.error) && (i === 0 || r.items[i - 1]!.error >= it.error)), where).to.equal(true);
      break;
    default:
      throw new Error(`${where}: unexpected result ${JSON.stringify(value).slice(0, 80)}`);
  }
}

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
        const declared = Object.values(node.outShapes).find((sh) => sh.type === 'metrics');
        expectWellFormed(await run.evaluate(node.id), declared && 'of' in declared ? String(declared.of) : '?', `${file}: ${node.id}`);
      }
      await run.dispose();
      expect(tf.memory().numTensors).to.equal(before);
    });
  }
});
