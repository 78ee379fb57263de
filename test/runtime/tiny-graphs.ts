import type { GraphDoc } from '../../src/graph';
import { loadGraph } from '../../src/graph';
import { registry } from '../../nodes';
import { compile, type Plan } from '../../src/runtime';

/** A small font AE: 8 glyphs, 35 → [units] → 2 → [units] → 35, BCE, Adam. */
export function tinyAutoencoder(o: { units?: number[]; lr?: number; epochs?: number; seed?: number; outputSize?: number | null; batchSize?: number; limit?: number; trainer?: Record<string, unknown> } = {}): GraphDoc {
  const units = o.units ?? [16];
  const doc = {
    format: 'latentflow/graph', version: 1, meta: { title: 'tiny AE' },
    nodes: [
      { id: 'data', kind: 'dataset.font-7x5', kindVersion: 1, params: { limit: o.limit ?? 8 } },
      { id: 'enc', kind: 'encoder.dense', kindVersion: 1, params: { units, activation: 'tanh' } },
      { id: 'code', kind: 'latent.deterministic', kindVersion: 1, params: { dim: 2 } },
      { id: 'dec', kind: 'decoder.dense', kindVersion: 1, params: { units: [...units].reverse(), activation: 'tanh', outputSize: o.outputSize ?? null } },
      { id: 'recon', kind: 'loss.reconstruction', kindVersion: 1, params: { loss: 'bce' } },
      { id: 'train', kind: 'train.optimizer', kindVersion: 2, params: { lr: o.lr ?? 0.01, epochs: o.epochs ?? 300, seed: o.seed ?? 1, batchSize: o.batchSize ?? 0, ...o.trainer } },
      { id: 'errors', kind: 'metric.pixel-error', kindVersion: 1, params: {} },
    ],
    edges: [
      { id: 'e1', from: { node: 'data', socket: 'x' }, to: { node: 'enc', socket: 'x' } },
      { id: 'e2', from: { node: 'enc', socket: 'h' }, to: { node: 'code', socket: 'h' } },
      { id: 'e3', from: { node: 'code', socket: 'z' }, to: { node: 'dec', socket: 'z' } },
      { id: 'e4', from: { node: 'dec', socket: 'x' }, to: { node: 'recon', socket: 'x' } },
      { id: 'e5', from: { node: 'data', socket: 'x' }, to: { node: 'recon', socket: 'target' } },
      { id: 'e6', from: { node: 'recon', socket: 'loss' }, to: { node: 'train', socket: 'loss' } },
      { id: 'e7', from: { node: 'dec', socket: 'x' }, to: { node: 'errors', socket: 'x' } },
      { id: 'e8', from: { node: 'data', socket: 'x' }, to: { node: 'errors', socket: 'target' } },
    ],
  };
  const { doc: loaded, problems } = loadGraph(doc, registry);
  if (!loaded) throw new Error(problems.map((p) => p.message).join('\n'));
  return loaded;
}

/** Compiles a graph that must be valid. */
export function planOf(doc: GraphDoc): Plan {
  const c = compile(doc, registry);
  if (!c.ok) throw new Error(c.problems.map((p) => p.message).join('\n'));
  return c.plan;
}
