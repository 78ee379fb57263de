// Minimal app shell: picks the best tfjs backend and shows it. Will be replaced by the real UI.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

setWasmPaths('/wasm/');

const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

async function pickBackend(): Promise<string> {
  for (const name of BACKENDS) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return tf.getBackend();
      }
    } catch {
      // try the next one
    }
  }
  return 'none';
}

const el = document.getElementById('backend');
pickBackend().then(
  (name) => {
    if (el) el.textContent = `tfjs backend: ${name}`;
  },
  (err: unknown) => {
    if (el) el.textContent = `tfjs backend: failed (${String(err)})`;
  },
);
