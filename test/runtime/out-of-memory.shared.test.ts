// A training step that runs the engine out of memory (issue 13, family 6): the run ends in a clear
// failed state naming the cause and what to change, frees what it can, and nothing is thrown.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { createRun } from '../../src/runtime/run';
import { planOf, tinyAutoencoder } from './tiny-graphs';
import { testIO } from './test-io';
import { memoryIO } from '../nodes/io';
import { encodeIdx } from '../../nodes/idx';
import type { GraphDoc } from '../../src/graph';

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

describe('activation memory of data known only when loaded (issue 13, family 6)', () => {
  it('an upload of 60,000 images with a full batch and units [4096] fails before any tensor is made, with the estimate', async () => {
    await tf.setBackend('cpu');
    // Validation cannot count an upload's samples; 60,000 of 28×28 is what MNIST's 3.5 GB out-of-memory had.
    const doc = tinyAutoencoder({ units: [4096], batchSize: 0 });
    doc.nodes[0] = { id: 'data', kind: 'dataset.upload', kindVersion: 1, params: { source: 'digits', width: 28, height: 28, color: 'gray', limit: 60_000 } } as GraphDoc['nodes'][number];
    const plan = planOf(doc);
    expect(plan.problems.filter((p) => p.param === 'batchSize')).to.deep.equal([]);
    const io = memoryIO({}, { digits: [encodeIdx([60_000, 28, 28], new Uint8Array(60_000 * 28 * 28))] });
    const before = tf.memory().numTensors;
    const run = createRun(plan, { io, backend: 'cpu' });
    await run.start();
    const status = await run.finished;
    expect(status.state).to.equal('failed');
    expect(status.reason).to.match(/a training step would keep about \d+\.\d GB of activations \(60,000 samples per batch × [\d,]+ values × 4 bytes × 3 for the backward pass\); the limit is 2\.0 GB/);
    expect(tf.memory().numTensors).to.equal(before);
    await run.dispose();
    // 20 of them fit: the same graph trains.
    const small = createRun(plan, { io: memoryIO({}, { digits: [encodeIdx([20, 28, 28], new Uint8Array(20 * 28 * 28))] }), backend: 'cpu', epochs: 1 });
    await small.start();
    expect((await small.finished).state).to.equal('done');
    await small.dispose();
  });
});
