import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { parseSweep } from '../../src/cli/sweep';
import { sweptPlan, type Sweep } from '../../src/runtime/sweep';
import { loadGraph } from '../../src/graph';
import { registry } from '../../nodes';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (l) => (out += `${l}\n`), err: (l) => (err += `${l}\n`) });
  return { code, out, err };
}

interface Run { values: Record<string, unknown>; seed: number; loss: unknown; metrics: unknown; steps: number }

describe('latentflow train --sweep', () => {
  it('reports one run per value and seed (4 × 2), each equal to a lone run with that value and seed', async () => {
    const units = [[64], [32], [16], [8]];
    const r = await cli(['train', 'graphs/font-ae.json', '--epochs', '4', '--seeds', '2', '--json', '--sweep', `enc.units=${units.map((u) => JSON.stringify(u)).join(',')}`]);
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out.trim().split('\n').at(-1)!) as { runs: Run[]; summary: { label: string; runs: number; stats: Record<string, { mean: number }> }[]; best: { label: string } };
    assert.equal(out.runs.length, 8);
    assert.deepEqual(out.runs.map((x) => [x.values['enc.units'], x.seed]), units.flatMap((u) => [[u, 1], [u, 2]]));
    assert.deepEqual(out.summary.map((s) => s.runs), [2, 2, 2, 2]);
    const bestMean = Math.min(...out.summary.map((s) => s.stats.loss!.mean));
    assert.equal(out.summary.find((s) => s.label === out.best.label)!.stats.loss!.mean, bestMean);

    const dir = await mkdtemp(join(tmpdir(), 'lf-sweep-'));
    const doc = JSON.parse(await readFile('graphs/font-ae.json', 'utf8')) as { nodes: { id: string; params: Record<string, unknown> }[] };
    for (const run of out.runs) {
      doc.nodes.find((n) => n.id === 'enc')!.params.units = run.values['enc.units'];
      const file = join(dir, 'one.json');
      await writeFile(file, JSON.stringify(doc));
      const lone = await cli(['train', file, '--epochs', '4', '--seed', String(run.seed), '--json']);
      assert.equal(lone.code, 0, lone.err);
      const one = JSON.parse(lone.out.trim().split('\n').at(-1)!) as Run;
      assert.deepEqual([one.loss, one.metrics, one.steps], [run.loss, run.metrics, run.steps], `units ${JSON.stringify(run.values)} seed ${run.seed}`);
    }
  });

  it('trains the seeds of each value as one program where that is faster, or with --batch-seeds (as train --seeds does), the same runs as in turn', async () => {
    // On wasm a 512-unit layer's seeds run in turn by default (too big to share kernels); an 8-unit one's as one program.
    const args = ['train', 'graphs/font-ae.json', '--epochs', '4', '--seeds', '2', '--json', '--sweep', 'enc.units=[512],[8]'];
    type Out = { runs: (Run & { loss: { total: number } })[]; summary: { seedBatch?: unknown }[] };
    const inTurn = await cli(args);
    const batched = await cli([...args, '--batch-seeds']);
    assert.equal(inTurn.code, 0, inTurn.err);
    assert.equal(batched.code, 0, batched.err);
    const [a, b] = [inTurn, batched].map((r) => JSON.parse(r.out.trim().split('\n').at(-1)!) as Out);
    assert.deepEqual(a!.summary.map((s) => (s.seedBatch as { batched: boolean }).batched), [false, true]);
    assert.deepEqual(b!.summary.map((s) => s.seedBatch), [{ batched: true }, { batched: true }]);
    assert.deepEqual(b!.runs.map((r) => [r.values, r.seed, r.steps]), a!.runs.map((r) => [r.values, r.seed, r.steps]));
    b!.runs.forEach((r, i) => {
      const want = a!.runs[i]!;
      assert.ok(Math.abs(r.loss.total - want.loss.total) <= 1e-3 * want.loss.total, `${JSON.stringify(r.values)} seed ${r.seed}: ${r.loss.total} vs ${want.loss.total}`);
      assert.deepEqual((r.metrics as { errors: { perSample: number[] } }).errors.perSample, (want.metrics as { errors: { perSample: number[] } }).errors.perSample);
    });
  });

  it('reads values as JSON lists, numbers and words, and refuses what it cannot apply', async () => {
    assert.deepEqual(parseSweep('enc.units=[64, 32],[128]'), { node: 'enc', param: 'units', values: [[64, 32], [128]] });
    assert.deepEqual(parseSweep('train.optimizer=adam,sgd'), { node: 'train', param: 'optimizer', values: ['adam', 'sgd'] });
    assert.match(parseSweep('enc.units') as string, /NODE\.PARAM=VALUE/);
    const bad = await cli(['train', 'graphs/font-ae.json', '--sweep', 'enc.units=[0]']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /enc\.units=\[0\]/);
    assert.match((await cli(['train', 'graphs/font-ae.json', '--sweep', 'nope.units=[1]'])).err, /no node "nope" in the graph: its nodes are data \(Font 7x5\), enc \(Encoder \(dense\)\)/);
  });

  it('takes a node by the title the canvas shows and a param by its label, as a student would type them', async () => {
    const doc = loadGraph(await readFile('graphs/font-ae.json', 'utf8'), registry).doc!;
    const sweep = parseSweep('Trainer.Learning rate=0.01,0.02');
    assert.deepEqual(sweep, { node: 'Trainer', param: 'Learning rate', values: [0.01, 0.02] });
    const swept = sweptPlan(doc, [sweep as Sweep], [0.02], registry);
    assert.ok(typeof swept !== 'string', String(swept));
    assert.equal(swept.doc.nodes.find((n) => n.id === 'train')!.params.lr, 0.02);
    assert.match(sweptPlan(doc, [parseSweep('enc.speed=1') as Sweep], [1], registry) as string, /node "enc" \(encoder\.dense\) has no param speed: its params are units \(units\), activation/);
  });

  it('counts the runs before making any combination: two sweeps of 600 values are refused at once (issue 13)', async () => {
    // 360,000 combinations were each made and compiled before training: Node died out of memory (95 s, 4.3 GB).
    const values = Array.from({ length: 600 }, (_, i) => `[${i + 1}]`).join(',');
    const started = performance.now();
    const r = await cli(['train', 'graphs/font-ae.json', '--sweep', `enc.units=${values}`, '--sweep', `dec.units=${values}`, '--seeds', '2']);
    assert.equal(r.code, 2);
    assert.match(r.err, /^latentflow train: the sweep would train 720,000 runs \(600 values × 600 values × 2 seeds\); at most 1,000\n/);
    assert.ok(performance.now() - started < 2000, `took ${performance.now() - started} ms`);
    // __proto__ and other built-in names are neither nodes nor params, and [1e400] is Infinity, refused by the param.
    assert.match((await cli(['train', 'graphs/font-ae.json', '--sweep', '__proto__.units=[1]'])).err, /no node "__proto__"/);
    assert.match((await cli(['train', 'graphs/font-ae.json', '--sweep', 'enc.__proto__=[1]'])).err, /has no param __proto__/);
    assert.match((await cli(['train', 'graphs/font-ae.json', '--sweep', 'enc.constructor=[1]'])).err, /has no param constructor/);
    assert.match((await cli(['train', 'graphs/font-ae.json', '--sweep', 'enc.units=[1e400]'])).err, /params.units\[0\] must be an integer from 1 to 4096, got Infinity/);
  });
});
