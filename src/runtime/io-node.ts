import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { DataIO } from '../../nodes/define';

/** Reads shipped datasets from the repo's public/ folder (Node: CLI, benchmarks, tests). Not for browser bundles. */
export function nodeIO(publicDir = fileURLToPath(new URL('../../public/', import.meta.url))): DataIO {
  return {
    readAsset: async (path) => {
      if (path.includes('..')) throw new Error(`refusing asset path ${path}`);
      return new Uint8Array(await readFile(publicDir + path));
    },
  };
}
