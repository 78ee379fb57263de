import * as tf from '@tensorflow/tfjs';
import { expect } from '@esm-bundle/chai';
import { firstValueFrom, filter } from 'rxjs';
import { createRun, type RunEvent } from '../../src/runtime';
import { planOf, tinyAutoencoder } from './tiny-graphs';
import { testIO, wasmPath } from './test-io';

describe('a lost GPU device', () => {
  it('moves the run to the next backend from the last good weights, says so, and finishes', async function () {
    // Software WebGPU (SwiftShader) compiles every shader on the first steps: minutes on a loaded 2-core machine.
    this.timeout(300_000);
    const run = createRun(planOf(tinyAutoencoder({ epochs: 100, units: [8] })), { io: await testIO(), backend: ['webgpu', 'wasm'], wasmPath, metricsEvery: 5 });
    const events: RunEvent[] = [];
    run.events$.subscribe((e) => events.push(e));
    await run.start();
    await firstValueFrom(run.metrics$.pipe(filter((b) => b.steps.at(-1)! >= 5)));
    expect(run.backend).to.equal('webgpu');
    // What a driver reset or a GPU process crash does to the page's device.
    (tf.backend() as unknown as { device: { destroy(): void } }).device.destroy();
    const status = await run.finished;
    const fallback = events.find((e) => e.type === 'backend-fallback');
    expect(fallback, JSON.stringify(status)).to.not.equal(undefined);
    expect(fallback).to.include({ from: 'webgpu' });
    expect(run.backend).to.not.equal('webgpu');
    expect(status.state).to.equal('done');
    const h = run.history().total;
    expect(h.at(-1)!).to.be.lessThan(h[0]!);
    await run.dispose();
  });
});
