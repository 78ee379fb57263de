import type { DataIO } from '../../nodes/define';
import { fetchIO } from '../../src/runtime/io-fetch';

const inBrowser = typeof window !== 'undefined';

/** Shipped datasets: fetched in the browser (the test server serves the repo root), read from disk in Node. */
export async function testIO(): Promise<DataIO> {
  if (inBrowser) return fetchIO('/public/');
  const modName = '../../src/runtime/io-node';
  const mod = (await import(/* @vite-ignore */ modName)) as typeof import('../../src/runtime/io-node');
  return mod.nodeIO();
}

/** Backends every environment has: the browser adds webgl and webgpu (tested separately). */
export const portableBackends = ['cpu', 'wasm'] as const;
export const wasmPath = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';
