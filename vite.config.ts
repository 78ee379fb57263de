import { cpSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

// Layout: public/index.html is the app page, so vite's root is public/.
// The page loads /src/main.ts; the alias below maps /src to the repo's src/.
// public/wasm/ (filled by scripts/copy-wasm.mjs) is served from the root in dev and copied
// into dist/wasm/ by the plugin below for builds (publicDir is off: it would clash with root).
const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const copyWasmToDist: Plugin = {
  name: 'latentflow-copy-wasm',
  apply: 'build',
  closeBundle() {
    if (existsSync(r('./public/wasm'))) cpSync(r('./public/wasm'), r('./dist/wasm'), { recursive: true });
  },
};

export default defineConfig({
  root: r('./public'),
  publicDir: false,
  resolve: { alias: [{ find: /^\/src\//, replacement: r('./src') + '/' }] },
  server: { headers: crossOriginIsolation, fs: { allow: [r('.')] } },
  preview: { headers: crossOriginIsolation },
  worker: { format: 'es' },
  build: { outDir: r('./dist'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 }, // tfjs alone is ~1.3 MB
  plugins: [copyWasmToDist],
});
