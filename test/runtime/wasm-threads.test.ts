// Browser test: the wasm backend computes with one thread per core (tfjs alone takes half of them), on
// the page and in the training Worker for a big net, with one thread for a small one (its tiny kernels
// would wait on the pool), and says how many: the backend choice and the run's 'backend' event.
// The test server sends the cross-origin isolation headers a static host needs for wasm threads.
import { expect } from '@esm-bundle/chai';
import { filter, firstValueFrom } from 'rxjs';
import { backendThreads, selectBackend } from '../../src/runtime';
import type { RunEvent } from '../../src/runtime/types';
import { createWorkerRun } from '../../src/ui/worker-run';

const wasmPath = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';

describe('wasm threads', function () {
  this.timeout(120_000);

  it('the page is cross-origin isolated (else wasm runs one thread)', () => {
    expect(crossOriginIsolated).to.equal(true);
  });

  it('uses every core on the page and reports it', async () => {
    const choice = await selectBackend({ prefer: ['wasm'], wasmPath });
    expect(choice.backend).to.equal('wasm');
    expect(choice.threads).to.equal(navigator.hardwareConcurrency);
    expect(backendThreads()).to.equal(navigator.hardwareConcurrency);
  });

  async function workerThreads(preset: string): Promise<number | null> {
    const graph = await (await fetch(`/graphs/${preset}.json`)).text();
    const res = await createWorkerRun(graph, { backend: 'wasm', wasmPath, dataBase: '/public/' });
    if (!res.ok) throw new Error(res.problems.map((p) => p.message).join('; '));
    const run = res.run;
    try {
      const backend = firstValueFrom(run.events$.pipe(filter((e): e is Extract<RunEvent, { type: 'backend' }> => e.type === 'backend')));
      await run.step(1);
      const event = await backend;
      expect(event.backend).to.equal('wasm');
      return event.threads;
    } finally {
      await run.dispose();
    }
  }

  it('uses every core in the training Worker for a big net (the MNIST VAE) and says so in its backend event', async () => {
    expect(await workerThreads('mnist-vae')).to.equal(navigator.hardwareConcurrency);
  });

  it('computes a small net (the font AE) on one thread in the training Worker, and says so', async () => {
    expect(await workerThreads('font-ae')).to.equal(1);
  });
});
