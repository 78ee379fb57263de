/** Graph documents built in code for runtime tests (no files needed). */
import type { GraphDoc } from '../../src/graph';

export interface TinyAeOptions {
  /** Glyphs of the 7x5 font to train on. */
  limit?: number;
  encoder?: number[];
  latent?: number;
  decoder?: number[];
  lr?: number;
  epochs?: number;
  batchSize?: number;
  seed?: number;
}

/** A small dense autoencoder on the 7x5 font: data → enc → code → dec → BCE → Adam (+ pixel errors). */
export function tinyAe(o: TinyAeOptions = {}): GraphDoc {
  const node = (id: string, kind: string, params: Record<string, unknown>, kindVersion = 1) => ({ id, kind, kindVersion, params });
  const edge = (id: string, from: [string, string], to: [string, string]) => ({ id, from: { node: from[0], socket: from[1] }, to: { node: to[0], socket: to[1] } });
  return {
    format: 'latentflow/graph',
    version: 1,
    meta: { title: 'tiny AE (test)' },
    nodes: [
      node('data', 'dataset.font-7x5', { limit: o.limit ?? 8 }),
      node('enc', 'encoder.dense', { units: o.encoder ?? [8], activation: 'tanh' }),
      node('code', 'latent.deterministic', { dim: o.latent ?? 2, activation: 'linear' }),
      node('dec', 'decoder.dense', { units: o.decoder ?? [8], activation: 'tanh', outputActivation: 'sigmoid' }),
      node('recon', 'loss.reconstruction', { loss: 'bce', reduce: 'mean', weight: 1 }),
      node('train', 'train.optimizer', { optimizer: 'adam', lr: o.lr ?? 0.02, epochs: o.epochs ?? 300, batchSize: o.batchSize ?? 0, seed: o.seed ?? 1 }, 2),
      node('errors', 'metric.pixel-error', { threshold: 0.5 }),
    ],
    edges: [
      edge('e1', ['data', 'x'], ['enc', 'x']),
      edge('e2', ['enc', 'h'], ['code', 'h']),
      edge('e3', ['code', 'z'], ['dec', 'z']),
      edge('e4', ['dec', 'x'], ['recon', 'x']),
      edge('e5', ['data', 'x'], ['recon', 'target']),
      edge('e6', ['recon', 'loss'], ['train', 'loss']),
      edge('e7', ['dec', 'x'], ['errors', 'x']),
      edge('e8', ['data', 'x'], ['errors', 'target']),
    ],
  } as unknown as GraphDoc;
}
