// Browser tests: @web/test-runner 1.0 + system Chromium (see /work/shared/chromium.md, toolchain.md facts 4-7).
// Node-only tests (*.node.test.ts) are excluded here; scripts/test.mjs runs them with node --test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import rollupCommonjs from 'cjs18'; // @rollup/plugin-commonjs@18.1.0; newer versions break under WDS (fact 5)

const commonjs = fromRollup(rollupCommonjs);
const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';
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
    esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json', target: 'es2022' }),
    {
      // tfjs does `import * as seedrandom from 'seedrandom'` and calls seedrandom.alea(); commonjs@18 only gives that
      // CommonJS module a `default` export, so every random op failed ("seedrandom.alea is not a function").
      name: 'seedrandom-default-import',
      transform(ctx) {
        if (!ctx.path.includes('/node_modules/@tensorflow/') || typeof ctx.body !== 'string') return;
        const body = ctx.body.replace(/import \* as seedrandom from (['"][^'"]*seedrandom[^'"]*['"])/g, 'import seedrandom from $1');
        if (body !== ctx.body) return { body };
      },
    },
    commonjs({
      include: ['**/node_modules/**'],
      ignore: ['fs', 'path', 'crypto', 'os', 'worker_threads', 'perf_hooks', 'util'],
    }),
  ],
};
