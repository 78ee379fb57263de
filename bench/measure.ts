import * as tf from '@tensorflow/tfjs';
import type { DataIO } from '../nodes/define';
import { registry } from '../nodes';
import { backendThreads, compile, createRun, type BackendName } from '../src/runtime';
import type { GraphDoc } from '../src/graph';
import { fontAeGraph, mnistVaeGraph } from './graphs';
import { handFontAe, handVae, type HandModel } from './hand-loop';
import { errorMessage } from '../src/lib/error-message';

/** Steps between loss read-backs, the same for the runtime and the hand-written loop. */
export const readEvery = 20;

export interface Workload {
  /** The same workload's name in bench/peer.py. */
  key: 'font-ae' | 'mnist-vae';
  name: string;
  doc: () => GraphDoc;
  batch: number;
  /** Steps per timing, by backend. */
  steps: Partial<Record<BackendName, number>>;
  warmup: number;
  rounds: number;
  hand: (x: tf.Tensor2D) => HandModel;
}

/** The two workloads of ARCHITECTURE §6; `quick` keeps a whole run under two minutes on this machine. */
export function workloads(quick: boolean): Workload[] {
  return [
    { key: 'font-ae', name: 'font AE 35-18-6-2-6-18-35 (batch 32)', doc: fontAeGraph, batch: 32, warmup: 30, rounds: 5, hand: (x) => handFontAe(x, readEvery),
      steps: quick ? { wasm: 500, cpu: 300, webgl: 100, webgpu: 40 } : { wasm: 2000, cpu: 1000, webgl: 500, webgpu: 200 } },
    { key: 'mnist-vae', name: 'VAE 784-512-256-2 on MNIST (batch 256)', doc: () => mnistVaeGraph(2048), batch: 256, warmup: quick ? 1 : 2, rounds: quick ? 2 : 5, hand: (x) => handVae(x, 256, readEvery),
      steps: quick ? { wasm: 5, cpu: 2, webgl: 5 } : { wasm: 40, cpu: 10, webgl: 20, webgpu: 10 } },
  ];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeRuntime(doc: GraphDoc, backend: BackendName, io: DataIO, steps: number, warmup: number, wasmPath?: string): Promise<number> {
  const c = compile(doc, registry);
  if (!c.ok) throw new Error(c.problems.map((p) => p.message).join('; '));
  const run = createRun(c.plan, { io, backend, wasmPath, metricsEvery: readEvery });
  await run.step(warmup);
  const t0 = performance.now();
  await run.step(steps);
  const seconds = (performance.now() - t0) / 1000;
  const h = run.history();
  await run.dispose();
  if (h.steps.length !== warmup + steps) throw new Error(`the runtime ran ${h.steps.length} steps, not ${warmup + steps}`);
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

export interface BenchRow {
  backend: string; key: Workload['key']; workload: string; steps: number; rounds: number;
  /** Threads the backend computed with (null on a GPU). */
  threads: number | null;
  runtimeStepsPerSec: number; handStepsPerSec: number; runtimeSamplesPerSec: number; handSamplesPerSec: number;
  ratio: number; numTensorsAfter: number;
}

/** Times one workload on the active backend, alternating runtime and hand-written rounds. */
export async function measure(w: Workload, backend: BackendName, io: DataIO, wasmPath?: string): Promise<BenchRow | string> {
  const steps = w.steps[backend];
  if (!steps) return 'not measured on this backend (too slow for the time budget)';
  let doc: GraphDoc;
  let x: tf.Tensor2D;
  try {
    doc = w.doc();
    const node = doc.nodes.find((n) => n.kind.startsWith('dataset.'))!;
    const data = await registry.get(node.kind)!.load!(node.params as never, io);
    x = tf.tensor2d(data.x, [data.count, data.features]);
  } catch (e) {
    return errorMessage(e);
  }
  const ours: number[] = [];
  const hand: number[] = [];
  // Alternating, and swapping which goes first each round, so drift on a shared machine hits both alike.
  for (let r = 0; r < w.rounds; r++) {
    const runtime = () => timeRuntime(doc, backend, io, steps, w.warmup, wasmPath).then((v) => void ours.push(v));
    const handWritten = () => timeHand(() => w.hand(x), steps, w.warmup).then((v) => void hand.push(v));
    if (r % 2 === 0) { await runtime(); await handWritten(); } else { await handWritten(); await runtime(); }
  }
  x.dispose();
  return {
    backend, key: w.key, workload: w.name, steps, rounds: w.rounds, threads: backendThreads(),
    runtimeStepsPerSec: median(ours), handStepsPerSec: median(hand),
    runtimeSamplesPerSec: median(ours) * w.batch, handSamplesPerSec: median(hand) * w.batch,
    ratio: median(ours) / median(hand), numTensorsAfter: tf.memory().numTensors,
  };
}

export function formatRow(r: BenchRow): string {
  return `${`${r.backend}${r.threads ? `×${r.threads}` : ''}`.padEnd(7)} ${r.workload.padEnd(40)} runtime ${r.runtimeStepsPerSec.toFixed(1).padStart(8)} steps/s (${r.runtimeSamplesPerSec.toFixed(0)} samples/s)  hand ${r.handStepsPerSec.toFixed(1).padStart(8)} steps/s  ratio ${r.ratio.toFixed(3)}`;
}
