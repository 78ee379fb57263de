// Run by `npm run bench -- --browser` through web-test-runner (not part of npm test): the same
// runtime-vs-hand-written comparison on every backend headless Chromium offers.
import { fetchIO } from '../src/runtime/io-fetch';
import { selectBackend, type BackendName } from '../src/runtime';
import { measure, workloads } from './measure';
import { profileSteps, profileWorkload } from './profile';
import { errorMessage } from '../src/lib/error-message';

const wasmPath = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';
const config = ((globalThis as { __latentflowBench?: { quick: boolean; backends: BackendName[]; profile?: boolean } }).__latentflowBench) ?? { quick: true, backends: ['webgpu', 'webgl', 'wasm', 'cpu'] as BackendName[], profile: false };

describe('benchmark (chromium)', () => {
  it('measures the runtime against a hand-written loop on each backend', async function () {
    this.timeout(60 * 60 * 1000);
    for (const backend of config.backends) {
      try {
        await selectBackend({ prefer: [backend], wasmPath });
      } catch (e) {
        console.log(`BENCH_SKIP ${backend}: not available (${errorMessage(e)})`);
        continue;
      }
      for (const w of workloads(config.quick)) {
        const row = await measure(w, backend, fetchIO('/public/'), wasmPath);
        if (typeof row === 'string') console.log(`BENCH_SKIP ${backend} ${w.name}: ${row}`);
        else console.log(`BENCH_ROW ${JSON.stringify(row)}`);
        if (config.profile && typeof row !== 'string') console.log(`BENCH_PROFILE ${JSON.stringify(await profileWorkload(w, backend, fetchIO('/public/'), profileSteps(w, backend), wasmPath))}`);
      }
    }
  });
});
