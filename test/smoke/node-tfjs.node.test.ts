// Node smoke test: the tfjs wasm backend runs in Node (it reads the .wasm from node_modules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

test('tfjs wasm backend: matMul is correct in Node', async () => {
  assert.equal(await tf.setBackend('wasm'), true);
  await tf.ready();
  assert.equal(tf.getBackend(), 'wasm');
  const c = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([1, 2, 3, 4], [2, 2]));
  assert.deepEqual(Array.from(await c.data()), [7, 10, 15, 22]);
  tf.disposeVariables();
});
