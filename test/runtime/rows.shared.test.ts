import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { takeRows } from '../../src/runtime/rows';

describe('takeRows', () => {
  it('picks the same rows, in the same order, as tf.gather', async () => {
    await tf.setBackend('cpu');
    const x = Float32Array.from({ length: 7 * 5 }, (_, i) => Math.sin(i) * 10);
    const rows = Int32Array.from([6, 0, 3, 3, 1]);
    const t = tf.tensor2d(x, [7, 5]);
    const g = tf.tidy(() => tf.gather(t, tf.tensor1d(rows, 'int32')));
    expect(Array.from(takeRows(x, 5, rows))).to.deep.equal(Array.from(await g.data()));
    tf.dispose([t, g]);
  });
});
