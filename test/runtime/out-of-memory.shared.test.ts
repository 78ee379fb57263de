// A training step that runs the engine out of memory (issue 13, family 6): the run ends in a clear
// failed state naming the cause and what to change, frees what it can, and nothing is thrown.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { createRun } from '../../src/runtime/run';
import { planOf, tinyAutoencoder } from './tiny-graphs';
import { testIO } from './test-io';

describe('out of memory during a run', () => {
  it('is a failed run that says "ran out of memory" and what to change', async () => {
    await tf.setBackend('cpu');
    const plan = planOf(tinyAutoencoder({ epochs: 50 }));
    const enc = plan.nodes.find((n) => n.id === 'enc')!;
    const kind = enc.kind;
    let steps = 0;
    // The encoder's forward fails as a wasm heap past its limit does, on the third step.
    enc.kind = { ...kind, build: (ctx) => {
      const inst = kind.build!(ctx);
      return { ...inst, forward: (inputs, c) => {
        if (c.mode === 'train' && ++steps === 3) throw new WebAssembly.RuntimeError('memory access out of bounds');
        return inst.forward(inputs, c);
      } };
    } };
    const before = tf.memory().numTensors;
    const run = createRun(plan, { io: await testIO(), backend: 'cpu' });
    await run.start();
    const status = await run.finished;
    expect(status.state).to.equal('failed');
    expect(status.reason).to.match(/^ran out of memory \(memory access out of bounds\): use a smaller batch size/);
    await run.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });
});
