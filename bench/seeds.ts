import * as tf from '@tensorflow/tfjs';
import type { DataIO } from '../nodes/define';
import { registry } from '../nodes';
import { compile, createRun, type BackendName } from '../src/runtime';
import { trainSeedBatch } from '../src/runtime/seed-batch';
import { fontAeGraph } from './graphs';
import { readEvery } from './measure';

/** A seed comparison of the font AE: the seeds trained as one program against the same seeds in lone runs, one after another. */
export interface SeedsRow {
  backend: string; workload: string; seeds: number; steps: number; rounds: number;
  /** Seed-steps per second (seeds × steps ÷ wall time, start-up included), median over the rounds. */
  batchedSeedStepsPerSec: number; loneSeedStepsPerSec: number;
  numTensorsAfter: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Times `seeds` seeds of the font AE for `steps` steps each, batched and in turn, alternating which goes first. */
export async function measureSeeds(backend: BackendName, io: DataIO, seeds: number, steps: number, rounds: number): Promise<SeedsRow> {
  const c = compile(fontAeGraph(), registry);
  if (!c.ok) throw new Error(c.problems.map((p) => p.message).join('; '));
  const plan = c.plan;
  const list = Array.from({ length: seeds }, (_, i) => i + 1);
  const batched: number[] = [];
  const lone: number[] = [];
  const timeBatched = async () => {
    const t0 = performance.now();
    const r = await trainSeedBatch(plan, list, { io, backend, epochs: steps, metricNodes: [], metricsEvery: readEvery });
    if (r.runs.some((x) => x.steps !== steps)) throw new Error('the batched seeds did not run every step');
    batched.push((seeds * steps) / ((performance.now() - t0) / 1000));
  };
  const timeLone = async () => {
    const t0 = performance.now();
    for (const seed of list) {
      const run = createRun(plan, { io, backend, seed, epochs: steps, metricsEvery: readEvery });
      await run.start();
      await run.finished;
      await run.dispose();
    }
    lone.push((seeds * steps) / ((performance.now() - t0) / 1000));
  };
  await trainSeedBatch(plan, list.slice(0, 2), { io, backend, epochs: 5, metricNodes: [] });
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) { await timeBatched(); await timeLone(); } else { await timeLone(); await timeBatched(); }
  }
  return {
    backend, workload: 'font AE 35-18-6-2-6-18-35 (batch 32)', seeds, steps, rounds,
    batchedSeedStepsPerSec: median(batched), loneSeedStepsPerSec: median(lone), numTensorsAfter: tf.memory().numTensors,
  };
}
