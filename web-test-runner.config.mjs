// Browser tests: @web/test-runner 1.0 + an installed Chrome-family browser (scripts/check-chromium.mjs;
// why each plugin and flag is here: docs/ARCHITECTURE.md, "Tests").
// Node-only tests (*.node.test.ts) are excluded here; scripts/test.mjs runs them with node --test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import rollupCommonjs from 'cjs18'; // @rollup/plugin-commonjs@18.1.0; newer versions break under WDS (docs/ARCHITECTURE.md, "Tests")
import { build } from 'esbuild';
import { chromiumHint, findChromium } from './scripts/check-chromium.mjs';

const commonjs = fromRollup(rollupCommonjs);

// tfjs is hundreds of modules (some CommonJS): served one by one, every test page spent ~16 s loading
// it. Bundled once per run with esbuild (code splitting keeps one tfjs-core shared by the backends),
// a page loads it in about a second. (The bundle also settles CommonJS interop inside tfjs, e.g.
// `import * as seedrandom`, that the commonjs plugin below got wrong.)
const prebundled = { '@tensorflow/tfjs': 'tfjs', '@tensorflow/tfjs-backend-wasm': 'tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu': 'tfjs-backend-webgpu' };
await build({
  entryPoints: Object.fromEntries(Object.entries(prebundled).map(([pkg, name]) => [name, pkg])),
  bundle: true, splitting: true, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'warning',
  outdir: 'node_modules/.cache/latentflow-tfjs',
});
// elkjs (auto-arrange) is CommonJS whose Node entry asks for "url" and "web-worker"; esbuild bundles
// it for the browser as vite does. rete packages stay outside so the editor keeps one rete core.
await build({
  entryPoints: { 'rete-auto-arrange-plugin': 'rete-auto-arrange-plugin' },
  bundle: true, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'error',
  external: ['rete', 'rete-area-plugin', 'rete-render-utils', 'rete-connection-plugin', '@babel/runtime/*'],
  outdir: 'node_modules/.cache/latentflow-tfjs',
});
prebundled['rete-auto-arrange-plugin'] = 'rete-auto-arrange-plugin';
const tfjsPrebundled = {
  name: 'prebundled-deps',
  resolveImport({ source }) {
    if (Object.hasOwn(prebundled, source)) return `/node_modules/.cache/latentflow-tfjs/${prebundled[source]}.js`;
  },
};
const executablePath = findChromium();
if (!executablePath) throw new Error(chromiumHint());
const userDataDir = mkdtempSync(join(tmpdir(), 'latentflow-wtr-')); // fresh profile per run
process.on('exit', () => rmSync(userDataDir, { recursive: true, force: true }));

const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
];

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: ['test/**/*.test.ts', '!test/**/*.node.test.ts'],
  nodeResolve: true,
  concurrency: 1, // 2-core machine, tfjs is heavy
  browserStartTimeout: 120_000,
  testsStartTimeout: 180_000,
  testsFinishTimeout: 20 * 60_000,
  testFramework: { config: { timeout: 120_000 } },
  // Every test page loads test/browser-globals.ts first (an unhandled rejection fails the run).
  testRunnerHtml: (testFramework) => `<!DOCTYPE html><html><head></head><body>
    <script type="module" src="/test/browser-globals.ts"></script>
    <script type="module" src="${testFramework}"></script>
  </body></html>`,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        userDataDir,
        args: chromiumFlags,
      },
    }),
  ],
  middleware: [
    // Cross-origin isolation so tfjs-backend-wasm may use threads (SharedArrayBuffer).
    function crossOriginIsolation(ctx, next) {
      ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
      ctx.set('Cross-Origin-Embedder-Policy', 'require-corp');
      return next();
    },
  ],
  plugins: [
    tfjsPrebundled,
    esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json', target: 'es2022' }),
    commonjs({
      include: ['**/node_modules/**'],
      exclude: ['**/node_modules/.cache/**'], // the tfjs bundle is ESM already
      ignore: ['fs', 'path', 'crypto', 'os', 'worker_threads', 'perf_hooks', 'util'],
    }),
  ],
};
