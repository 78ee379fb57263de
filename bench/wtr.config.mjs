// web-test-runner config for `npm run bench -- --browser` / `--editor`: the test config, one bench file, no time limit,
// and the bench options (LATENTFLOW_BENCH) handed to the page.
import base from '../web-test-runner.config.mjs';
import { frameTracePlugin } from './frame-trace.mjs';

const options = process.env.LATENTFLOW_BENCH ?? '{"quick":true,"backends":["webgpu","webgl","wasm","cpu"]}';
JSON.parse(options); // refuse anything but JSON before it reaches the page

export default {
  ...base,
  files: [process.env.LATENTFLOW_BENCH_FILE ?? 'bench/browser.bench.ts'],
  plugins: [...base.plugins, frameTracePlugin()],
  // LATENTFLOW_BENCH_GREP runs only the benchmarks whose name matches (mocha's grep).
  testFramework: { config: { timeout: 60 * 60 * 1000, ...(process.env.LATENTFLOW_BENCH_GREP ? { grep: process.env.LATENTFLOW_BENCH_GREP } : {}) } },
  testsFinishTimeout: 60 * 60 * 1000,
  testRunnerHtml: (testFramework) => `<!doctype html><html><body>
    <script>window.__latentflowBench = ${options};</script>
    <script type="module" src="${testFramework}"></script></body></html>`,
};
