import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

// Layout: public/index.html is the app page, so vite's root is public/.
// The page loads /src/main.ts; the alias below maps /src to the repo's src/.
// public/wasm/ and public/datasets/ (MNIST filled by scripts/prepare-assets.mjs) are served from the
// root in dev and copied into dist/ for builds (publicDir is off: it would clash with root).
// The preset graphs live in the repo's graphs/ (the shared format): served at /graphs/, with
// /graphs/index.json listing them.
const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const presetNames = () => readdirSync(r('./graphs')).filter((f) => /^[a-z0-9-]+\.json$/.test(f)).sort();

const serveFiles: Plugin = {
  name: 'latentflow-presets-and-datasets',
  configureServer(server) {
    // Dataset files are bytes (the MNIST IDX files have no extension, which vite would take for
    // JavaScript modules and fail to transform): served as they are.
    server.middlewares.use('/datasets/', (req, res, next) => {
      const rel = decodeURIComponent((req.url ?? '').split('?')[0]!.replace(/^\//, ''));
      if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(rel) || rel.split('/').includes('..')) return next();
      const file = r(`./public/datasets/${rel}`);
      if (!existsSync(file)) return next();
      res.setHeader('Content-Type', rel.endsWith('.json') ? 'application/json' : 'application/octet-stream');
      for (const [k, v] of Object.entries(crossOriginIsolation)) res.setHeader(k, v);
      res.end(readFileSync(file));
    });
    server.middlewares.use('/graphs/', (req, res, next) => {
      const name = (req.url ?? '').split('?')[0]!.replace(/^\//, '');
      const body = name === 'index.json' ? JSON.stringify(presetNames()) : presetNames().includes(name) ? readFileSync(r(`./graphs/${name}`), 'utf8') : null;
      if (body === null) return next();
      res.setHeader('Content-Type', 'application/json');
      for (const [k, v] of Object.entries(crossOriginIsolation)) res.setHeader(k, v);
      res.end(body);
    });
  },
};

/** Files of a folder, relative to it, with '/' separators. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}

const copyAssetsToDist: Plugin = {
  name: 'latentflow-copy-assets',
  apply: 'build',
  closeBundle() {
    for (const dir of ['wasm', 'datasets']) if (existsSync(r(`./public/${dir}`))) cpSync(r(`./public/${dir}`), r(`./dist/${dir}`), { recursive: true });
    cpSync(r('./graphs'), r('./dist/graphs'), { recursive: true });
    // index.json for the built app, as the dev server answers it.
    writeFileSync(r('./dist/graphs/index.json'), JSON.stringify(presetNames()));
    // The service worker (public/sw.js) and what it caches at install: everything but the MNIST files
    // (53 MB, cached when first used) and the worker itself.
    cpSync(r('./public/sw.js'), r('./dist/sw.js'));
    const precache = ['./', ...filesUnder(r('./dist')).filter((f) => !f.startsWith('datasets/mnist/') && f !== 'sw.js' && f !== 'precache.json')];
    writeFileSync(r('./dist/precache.json'), JSON.stringify(precache));
  },
};

export default defineConfig({
  root: r('./public'),
  // Relative URLs: the build runs from any folder of any static host (e.g. https://host/some/path/).
  base: './',
  define: { __LATENTFLOW_BUILD__: JSON.stringify(Date.now().toString(36)) },
  publicDir: false,
  resolve: { alias: [{ find: /^\/src\//, replacement: r('./src') + '/' }] },
  server: { headers: crossOriginIsolation, fs: { allow: [r('.')] } },
  preview: { headers: crossOriginIsolation },
  worker: {
    format: 'es',
    // tfjs's threaded wasm backend starts its threads from the source text of a factory function
    // (`factory.toString()` in a Blob): minified, that text refers to names that exist only in the bundle
    // (`e is not defined`, `_scriptDir is not defined`) and every thread dies. The Worker's bundle is
    // therefore not minified (it is fetched once and cached); the page's own bundle is.
    rolldownOptions: { output: { minify: false } },
  },
  build: { outDir: r('./dist'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 }, // tfjs alone is ~1.3 MB
  plugins: [serveFiles, copyAssetsToDist],
});
