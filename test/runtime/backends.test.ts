// Browser test: a tiny AE trains with createRun on each tfjs backend in Chromium (on the main thread:
// this is a test, not the app) and frees every tensor it made. WebGPU runs on SwiftShader here: few steps.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { registry } from '../../nodes';
import { loadGraph } from '../../src/graph';
import { compile, createRun, selectBackend, type BackendName } from '../../src/runtime';
import { fetchIO } from '../../src/runtime/io-fetch';
import { tinyAe } from '../helpers/graphs';

const wasmPath = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';

function tinyPlan(epochs: number) {
  const loaded = loadGraph(tinyAe({ limit: 8, encoder: [8], latent: 2, decoder: [8], lr: 0.05, epochs }), registry);
  expect(loaded.doc, JSON.stringify(loaded.problems)).to.not.equal(null);
  const compiled = compile(loaded.doc!, registry);
  if (!compiled.ok) throw new Error(compiled.problems.map((p) => p.message).join('; '));
  return compiled.plan;
}

const cases: { backend: BackendName; steps: number; fall: number }[] = [
  { backend: 'cpu', steps: 300, fall: 0.5 },
  { backend: 'wasm', steps: 300, fall: 0.5 },
  { backend: 'webgl', steps: 300, fall: 0.5 },
  // SwiftShader: correctness, not speed.
  { backend: 'webgpu', steps: 40, fall: 0.9 },
];

describe('createRun on every backend (tiny AE)', function () {
  this.timeout(240_000);

  for (const { backend, steps, fall } of cases) {
    it(`${backend}: ${steps} steps, the loss falls and nothing leaks`, async () => {
      // Activate the backend first: its own setup tensors are not the run's.
      await selectBackend({ prefer: [backend], wasmPath });
      expect(tf.getBackend()).to.equal(backend);
      const before = tf.memory().numTensors;

      const run = createRun(tinyPlan(steps), { io: fetchIO('/public/'), backend, wasmPath, metricsEvery: 10, seed: 3 });
      await run.start();
      const t0 = performance.now();
      const status = await run.finished;
      const seconds = (performance.now() - t0) / 1000;
      expect(status.state, status.reason).to.equal('done');
      expect(run.backend).to.equal(backend);

      const h = run.history();
      expect(h.steps).to.have.length(steps);
      expect(h.total.every(Number.isFinite), 'finite losses').to.equal(true);
      const first = h.total[0]!;
      const last = h.total.at(-1)!;
      console.log(`${backend}: ${steps} steps in ${seconds.toFixed(2)} s (${(steps / seconds).toFixed(0)} steps/s incl. loading); loss ${first.toFixed(4)} → ${last.toFixed(4)}`);
      expect(last, `loss ${first} → ${last}`).to.be.lessThan(first * fall);

      const errors = (await run.evaluate('errors')) as { perSample: number[] };
      expect(errors.perSample).to.have.length(8);

      await run.dispose();
      expect(tf.memory().numTensors, `${backend}: tensors after dispose`).to.equal(before);
    });
  }
});
