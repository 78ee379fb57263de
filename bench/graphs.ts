import type { GraphDoc } from '../src/graph';
import { loadGraph } from '../src/graph';
import { registry } from '../nodes';

/** The benchmark's two workloads as graph files, exactly as users would wire them. */
function graph(nodes: unknown[], edges: [string, string, string, string][]): GraphDoc {
  const doc = {
    format: 'latentflow/graph', version: 1, meta: { title: 'bench' }, nodes,
    edges: edges.map(([a, as, b, bs], i) => ({ id: `e${i}`, from: { node: a, socket: as }, to: { node: b, socket: bs } })),
  };
  const { doc: loaded, problems } = loadGraph(doc, registry);
  if (!loaded) throw new Error(problems.map((p) => p.message).join('\n'));
  return loaded;
}

/** Font AE 35-18-6-2-6-18-35, full batch of 32, Adam, MSE. */
export const fontAeGraph = (): GraphDoc => graph([
  { id: 'data', kind: 'dataset.font-7x5', kindVersion: 1, params: {} },
  { id: 'enc', kind: 'encoder.dense', kindVersion: 1, params: { units: [18, 6], activation: 'sigmoid' } },
  { id: 'code', kind: 'latent.deterministic', kindVersion: 1, params: { dim: 2, activation: 'linear' } },
  { id: 'dec', kind: 'decoder.dense', kindVersion: 1, params: { units: [6, 18], activation: 'sigmoid' } },
  { id: 'recon', kind: 'loss.reconstruction', kindVersion: 1, params: { loss: 'mse' } },
  { id: 'train', kind: 'train.optimizer', kindVersion: 2, params: { lr: 0.005, batchSize: 0, epochs: 1_000_000 } },
], [['data', 'x', 'enc', 'x'], ['enc', 'h', 'code', 'h'], ['code', 'z', 'dec', 'z'], ['dec', 'x', 'recon', 'x'], ['data', 'x', 'recon', 'target'], ['recon', 'loss', 'train', 'loss']]);

/** VAE 784-512-256-(2)-256-512-784 on MNIST, batch 256, BCE (summed) + KL. */
export const mnistVaeGraph = (limit: number): GraphDoc => graph([
  { id: 'data', kind: 'dataset.mnist', kindVersion: 1, params: { limit } },
  { id: 'enc', kind: 'encoder.dense', kindVersion: 1, params: { units: [512, 256], activation: 'relu' } },
  { id: 'code', kind: 'latent.gaussian', kindVersion: 1, params: { dim: 2 } },
  { id: 'dec', kind: 'decoder.dense', kindVersion: 1, params: { units: [256, 512], activation: 'relu' } },
  { id: 'recon', kind: 'loss.reconstruction', kindVersion: 1, params: { loss: 'bce', reduce: 'sum' } },
  { id: 'kl', kind: 'loss.kl', kindVersion: 1, params: { beta: 1 } },
  { id: 'train', kind: 'train.optimizer', kindVersion: 2, params: { lr: 0.001, batchSize: 256, epochs: 1_000_000 } },
], [['data', 'x', 'enc', 'x'], ['enc', 'h', 'code', 'h'], ['code', 'z', 'dec', 'z'], ['dec', 'x', 'recon', 'x'], ['data', 'x', 'recon', 'target'],
  ['code', 'z', 'kl', 'z'], ['recon', 'loss', 'train', 'loss'], ['kl', 'loss', 'train', 'loss']]);
