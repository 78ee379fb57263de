// Browser smoke test: every tfjs backend initialises in headless Chromium and computes a matMul.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

// The test server serves the project root, so the .wasm files are found in node_modules.
setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');

async function matMulOn(backend: string): Promise<number[]> {
  const ok = await tf.setBackend(backend);
  expect(ok, `setBackend('${backend}')`).to.equal(true);
  await tf.ready();
  expect(tf.getBackend()).to.equal(backend);
  const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
  const b = tf.tensor2d([1, 2, 3, 4], [2, 2]);
  const c = tf.matMul(a, b);
  const out = Array.from(await c.data());
  tf.dispose([a, b, c]);
  return out;
}

describe('tfjs backends in Chromium', () => {
  it('is cross-origin isolated (COOP/COEP headers)', () => {
    expect(globalThis.crossOriginIsolated).to.equal(true);
  });

  for (const backend of ['cpu', 'wasm', 'webgl', 'webgpu']) {
    it(`${backend}: matMul is correct`, async () => {
      expect(await matMulOn(backend)).to.deep.equal([7, 10, 15, 22]);
    });
  }
});
