/**
 * `npm run bench [-- --quick] [-- --backends wasm,cpu]`: samples/s of the font AE and the MNIST VAE,
 * through the runtime (from a graph) and as a hand-written tfjs loop of the same maths, alternating
 * in one process on the same backend. Writes bench/results/<date>.json and prints a table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { registry } from '../nodes';
import { compile, createRun, selectBackend, type BackendName } from '../src/runtime';
import { nodeIO } from '../src/runtime/io-node';
import type { GraphDoc } from '../src/graph';
import { fontAeGraph, mnistVaeGraph } from './graphs';
import { handFontAe, handVae, type HandModel } from './hand-loop';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const backendArg = args.find((a) => a.startsWith('--backends='))?.split('=')[1] ?? args[args.indexOf('--backends') + 1];
const backends = (args.includes('--backends') || backendArg?.includes(',') ? backendArg! : 'wasm,cpu').split(',') as BackendName[];
const readEvery = 20;

interface Workload {
  name: string;
  doc: () => GraphDoc;
  batch: number;
  steps: Record<string, number>;
  warmup: number;
  rounds: number;
  hand: (x: tf.Tensor2D) => HandModel;
}

const workloads: Workload[] = [
  { name: 'font AE 35-18-6-2-6-18-35 (batch 32)', doc: fontAeGraph, batch: 32, steps: { wasm: quick ? 300 : 2000, cpu: quick ? 200 : 1000 }, warmup: 30, rounds: quick ? 3 : 5, hand: (x) => handFontAe(x, readEvery) },
  { name: 'VAE 784-512-256-2 on MNIST (batch 256)', doc: () => mnistVaeGraph(2048), batch: 256, steps: { wasm: quick ? 6 : 40, cpu: quick ? 2 : 10 }, warmup: 2, rounds: quick ? 2 : 3, hand: (x) => handVae(x, 256, readEvery) },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeRuntime(doc: GraphDoc, backend: BackendName, steps: number, warmup: number): Promise<number> {
  const c = compile(doc, registry);
  if (!c.ok) throw new Error(c.problems.map((p) => p.message).join('; '));
  const run = createRun(c.plan, { io: nodeIO(), backend, metricsEvery: readEvery });
  await run.step(warmup);
  const t0 = performance.now();
  await run.step(steps);
  const seconds = (performance.now() - t0) / 1000;
  const status = run.status$ ? await new Promise<string>((r) => run.status$.subscribe((s) => r(s.state)).unsubscribe()) : '';
  await run.dispose();
  if (status === 'failed') throw new Error('runtime run failed');
  return steps / seconds;
}

async function timeHand(make: () => HandModel, steps: number, warmup: number): Promise<number> {
  const model = make();
  for (let i = 0; i < warmup; i++) await model.step();
  await model.flush();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await model.step();
  await model.flush();
  const seconds = (performance.now() - t0) / 1000;
  model.dispose();
  return steps / seconds;
}

async function datasetTensor(doc: GraphDoc): Promise<tf.Tensor2D> {
  const node = doc.nodes.find((n) => n.kind.startsWith('dataset.'))!;
  const kind = registry.get(node.kind)!;
  const data = await kind.load!(node.params as never, nodeIO());
  return tf.tensor2d(data.x, [data.count, data.features]);
}

const results: Record<string, unknown>[] = [];
for (const backend of backends) {
  const choice = await selectBackend({ prefer: [backend] }).catch((e: Error) => ({ backend: null, error: e.message }));
  if (!('backend' in choice) || choice.backend !== backend) {
    console.log(`${backend}: not available (${'error' in choice ? choice.error : 'did not start'})`);
    continue;
  }
  for (const w of workloads) {
    let doc: GraphDoc;
    let x: tf.Tensor2D;
    try {
      doc = w.doc();
      x = await datasetTensor(doc);
    } catch (e) {
      console.log(`${backend} ${w.name}: skipped (${e instanceof Error ? e.message : e})`);
      continue;
    }
    const steps = w.steps[backend] ?? w.steps.wasm!;
    const ours: number[] = [];
    const hand: number[] = [];
    for (let r = 0; r < w.rounds; r++) {
      ours.push(await timeRuntime(doc, backend, steps, w.warmup));
      hand.push(await timeHand(() => w.hand(x), steps, w.warmup));
    }
    x.dispose();
    const row = {
      backend, workload: w.name, steps, rounds: w.rounds,
      runtimeStepsPerSec: median(ours), handStepsPerSec: median(hand),
      runtimeSamplesPerSec: median(ours) * w.batch, handSamplesPerSec: median(hand) * w.batch,
      ratio: median(ours) / median(hand), numTensorsAfter: tf.memory().numTensors,
    };
    results.push(row);
    console.log(`${backend.padEnd(5)} ${w.name.padEnd(40)} runtime ${row.runtimeStepsPerSec.toFixed(1).padStart(8)} steps/s (${row.runtimeSamplesPerSec.toFixed(0)} samples/s)  hand ${row.handStepsPerSec.toFixed(1).padStart(8)} steps/s  ratio ${row.ratio.toFixed(3)}`);
  }
}

const dir = join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), quick, node: process.version, results }, null, 2));
console.log(`\n| backend | workload | runtime steps/s | hand-written steps/s | ratio |\n|---|---|---|---|---|`);
for (const r of results) console.log(`| ${r.backend} | ${r.workload} | ${(r.runtimeStepsPerSec as number).toFixed(1)} | ${(r.handStepsPerSec as number).toFixed(1)} | ${(r.ratio as number).toFixed(3)} |`);
console.log(`\nwritten to ${file}`);
