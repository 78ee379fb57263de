import type { NamedWeights } from '../graph';
import type { Library } from './db';
import { getGraphRecord, listGraphs } from './graphs';
import { listWeights } from './weights';

/**
 * The newest trained weights of a saved graph named by id or by title (what a trainer's
 * `warmStartFrom` holds), for a run to start from where node ids and shapes match: how a DAE
 * starts from a trained AE. A message when there is no such graph or it was never trained.
 */
export async function warmStartWeights(lib: Library, ref: string): Promise<{ weights: NamedWeights; graphId: string; title: string } | string> {
  const wanted = ref.trim();
  const byId = await getGraphRecord(lib, wanted);
  const graph = byId ?? (await listGraphs(lib)).find((g) => g.title.trim().toLowerCase() === wanted.toLowerCase());
  if (!graph) return `warm start: no saved graph with the id or title "${wanted}"`;
  const records = await listWeights(lib, graph.id);
  const newest = records.sort((a, b) => (a.saved < b.saved ? 1 : -1))[0];
  if (!newest) return `warm start: "${graph.title}" has no trained weights yet; train it first`;
  return { weights: newest.weights, graphId: graph.id, title: graph.title };
}
