import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

/** Runs the CLI; `interruptAfterMs` sends Ctrl-C (SIGINT) that long after training has started. */
function cli(args: string[], interruptAfterMs?: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/latentflow.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      const started = !/training on/.test(stderr);
      stderr += d;
      if (started && /training on/.test(stderr) && interruptAfterMs !== undefined) setTimeout(() => child.kill('SIGINT'), interruptAfterMs);
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('latentflow train', () => {
  it('trains a preset for a few epochs and prints one JSON object with backend, losses, metrics and tensor counts', async () => {
    const r = await cli(['train', 'graphs/font-ae.json', '--epochs', '50', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, any>;
    assert.equal(out.backend, 'wasm');
    assert.equal(out.threads, 1, 'tfjs runs wasm on one thread in Node');
    assert.equal(out.steps, 50);
    assert.ok(out.seconds > 0);
    assert.equal(typeof out.loss.terms.recon, 'number');
    assert.equal(out.metrics.errors.perSample.length, 32);
    assert.equal(out.numTensors.after, out.numTensors.before);
  });

  it('stops cleanly on Ctrl-C and still reports where it got to', async () => {
    const r = await cli(['train', 'graphs/font-ae.json', '--epochs', '1000000'], 1500);
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stdout, /seed 1: stopped on wasm — stopped at step \d+/);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/); // no stack trace
  });

  it('refuses a broken graph with its problems and exit status 1', async () => {
    const r = await cli(['train', 'test/fixtures/broken/decoder-output-size-mismatch.json']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /node "dec" \(decoder\.dense\): gives 30 values per sample, but the target has 35/);
  });

  it('reports mean ± std over several seeds', async () => {
    const r = await cli(['train', 'graphs/font-ae.json', '--epochs', '20', '--seeds', '3']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^loss: [\d.e-]+ ± [\d.e-]+ over 3 seeds$/m);
    assert.match(r.stdout, /^errors\.max: [\d.e-]+ ± [\d.e-]+ over 3 seeds$/m);
  });

  it('trains several seeds as one program when asked, each seed reported as its lone run', async () => {
    const [together, ...alone] = await Promise.all([
      cli(['train', 'graphs/font-ae.json', '--epochs', '30', '--seeds', '3', '--seed', '4', '--batch-seeds', '--json']),
      ...[4, 5, 6].map((seed) => cli(['train', 'graphs/font-ae.json', '--epochs', '30', '--seed', String(seed), '--json'])),
    ]);
    assert.equal(together!.code, 0, together!.stderr);
    const out = JSON.parse(together!.stdout.trim().split('\n').at(-1)!) as Record<string, any>;
    assert.deepEqual(out.seedBatch, { batched: true });
    assert.deepEqual(out.runs.map((r: any) => r.seed), [4, 5, 6]);
    assert.equal(out.runs[0].numTensors.after, out.runs[0].numTensors.before);
    for (const [i, r] of alone.entries()) {
      const one = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, any>;
      assert.equal(out.runs[i].loss.total, one.loss.total, `seed ${one.seed}`);
      assert.deepEqual(out.runs[i].metrics, one.metrics);
      assert.equal(out.runs[i].reason, one.reason);
    }
    const text = await cli(['train', 'graphs/font-ae.json', '--epochs', '5', '--seeds', '2', '--batch-seeds']);
    assert.match(text.stderr, /^training seeds 1–2 together as one program on wasm/m);
  });

  it('on wasm trains small nets\' seeds as one program by default, and runs a big layer\'s one after another, saying why', async () => {
    const [small, big] = await Promise.all([
      cli(['train', 'graphs/font-ae.json', '--epochs', '5', '--seeds', '2', '--json']),
      cli(['train', 'test/fixtures/seeds/wide-layer-ae.json', '--epochs', '5', '--seeds', '2', '--json']),
    ]);
    for (const r of [small, big]) assert.equal(r.code, 0, r.stderr);
    const [one, other] = [small, big].map((r) => JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, any>);
    assert.deepEqual(one!.seedBatch, { batched: true });
    assert.deepEqual(other!.seedBatch, { batched: false, reason: 'on wasm Encoder (dense) (node "enc") is too big for the seeds to share its kernels (32 samples × 34,848 weights), so one after another is faster (--batch-seeds trains them as one program anyway)' });
    for (const out of [one, other]) assert.deepEqual(out!.runs.map((x: any) => x.seed), [1, 2]);
  });

  it('says why seeds run one after another when a node is not batched yet', async () => {
    const r = await cli(['train', 'test/fixtures/seeds/batch-norm-ae.json', '--epochs', '5', '--seeds', '2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^seeds run one after another: batch norm is not batched yet \(node "enc"\)$/m);
    assert.match(r.stdout, /^seed 2: done on wasm/m);
    // --batch-seeds cannot batch what a node cannot.
    const json = await cli(['train', 'test/fixtures/seeds/batch-norm-ae.json', '--epochs', '5', '--seeds', '2', '--batch-seeds', '--json']);
    const out = JSON.parse(json.stdout.trim().split('\n').at(-1)!) as Record<string, any>;
    assert.deepEqual(out.seedBatch, { batched: false, reason: 'batch norm is not batched yet (node "enc")' });
    assert.equal(out.runs.length, 2);
  });
});
