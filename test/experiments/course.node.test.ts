// The course experiments, trained to quality on wasm in Node (ARCHITECTURE §6: quality on wasm/cpu, speed in benchmarks, not in timed tests).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { loadGraph } from '../../src/graph';
import { registry } from '../../nodes';
import { compile, createRun } from '../../src/runtime';
import { nodeIO } from '../../src/runtime/io-node';
import type { PixelErrorsResult, ImagesResult } from '../../nodes/results';

const run$ = promisify(execFile);
const preset = (name: string) => loadGraph(readFileSync(new URL(`../../graphs/${name}.json`, import.meta.url), 'utf8'), registry).doc!;

describe('the course experiments', () => {
  it('the font AE preset, trained through the CLI with its own defaults, reconstructs every glyph within 1 wrong pixel', async () => {
    const { stdout } = await run$(process.execPath, ['bin/latentflow.js', 'train', 'graphs/font-ae.json', '--json'], { maxBuffer: 1 << 24 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { status: string; metrics: { errors: PixelErrorsResult }; numTensors: { before: number; after: number } };
    assert.equal(result.status, 'done');
    assert.equal(result.metrics.errors.perSample.length, 32);
    assert.ok(result.metrics.errors.max <= 1, `max pixel error ${result.metrics.errors.max}`);
    assert.equal(result.numTensors.after, result.numTensors.before);
  });

  it('a DAE trained with salt & pepper p = 0.1 reconstructs fresh noisy alphabets better than the same network trained without noise', async () => {
    const errorsOnNoisy = async (trainP: number) => {
      const c = compile(preset('font-dae'), registry);
      assert.ok(c.ok);
      const run = createRun(c.plan, { io: nodeIO(), backend: 'wasm', epochs: 2000 });
      run.setParam('noise', 'p', trainP);
      await run.start();
      assert.equal((await run.finished).state, 'done');
      run.setParam('noise', 'p', 0.1); // both are judged on noisy input
      let total = 0;
      for (let i = 0; i < 5; i++) total += ((await run.evaluate('errors')) as PixelErrorsResult).mean;
      await run.dispose();
      return total / 5;
    };
    const dae = await errorsOnNoisy(0.1);
    const plain = await errorsOnNoisy(0);
    assert.ok(dae < plain, `mean wrong pixels on noisy glyphs: DAE ${dae.toFixed(2)}, plain AE ${plain.toFixed(2)}`);
  });

  it('the emoji VAE trains with a falling ELBO and samples new images in [0, 1]', async () => {
    const c = compile(preset('emoji-vae'), registry);
    assert.ok(c.ok);
    const run = createRun(c.plan, { io: nodeIO(), backend: 'wasm', epochs: 400 });
    await run.start();
    assert.equal((await run.finished).state, 'done');
    const h = run.history();
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(mean(h.total.slice(-20)) < 0.8 * mean(h.total.slice(0, 20)), `ELBO loss ${mean(h.total.slice(0, 20))} → ${mean(h.total.slice(-20))}`);
    assert.ok(h.terms.kl!.at(-1)! > 0);
    const samples = (await run.evaluate('samples')) as ImagesResult;
    assert.equal(samples.count, 32);
    assert.deepEqual(samples.image, [20, 20, 1]);
    for (const img of samples.pixels) assert.ok(img.every((v) => v >= 0 && v <= 1));
    await run.dispose();
  });
});
