import type { DataIO } from '../../nodes/define';

/** Fetches shipped datasets from the server that serves the app (browser page or Worker). */
export function fetchIO(base = '/'): DataIO {
  return {
    readAsset: async (path) => {
      const res = await fetch(`${base}${path}`);
      if (!res.ok) throw new Error(`could not load ${path}: HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    },
  };
}
