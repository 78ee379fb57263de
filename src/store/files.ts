/** Files a user exports or drops on the page: graph files, model bundles, PNGs with a graph. */
import { loadGraph, saveGraph, type Catalog, type GraphDoc, type LoadResult } from '../graph';
import { bundleExtension, readBundle, type BundleRead } from './bundle';
import { graphFromPng } from './png';

export const graphFileExtension = '.graph.json';
/** Graph files bigger than this are refused before reading (the biggest real one is a few KB). */
export const maxGraphFileBytes = 4 * 1024 * 1024;

/** A file name from the graph's title: `ae-7x5-font.graph.json`. */
export function fileNameFor(doc: GraphDoc, extension: string = graphFileExtension): string {
  const slug = (doc.meta?.title ?? '').normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `${slug || 'graph'}${extension}`;
}

/** The graph file to download: its name and canonical text. */
export function exportGraphFile(doc: GraphDoc): { name: string; text: string } {
  return { name: fileNameFor(doc), text: saveGraph(doc) };
}

export type DroppedFile =
  | { kind: 'graph'; result: LoadResult }
  | { kind: 'bundle'; result: BundleRead };

const isPng = (b: Uint8Array) => b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const refused = (message: string): DroppedFile => ({ kind: 'graph', result: { doc: null, problems: [{ severity: 'error', path: '', message }] } });

/** Reads a dropped or opened file by its content: a PNG with a graph, a model bundle, or a graph file. */
export async function readDroppedFile(name: string, bytes: Uint8Array, catalog: Catalog): Promise<DroppedFile> {
  if (isPng(bytes)) {
    const text = graphFromPng(bytes);
    return text.ok ? { kind: 'graph', result: loadGraph(text.value, catalog) } : refused(text.problem.message);
  }
  if (isZip(bytes) || name.endsWith(bundleExtension)) return { kind: 'bundle', result: await readBundle(bytes, catalog) };
  if (bytes.length > maxGraphFileBytes) return refused(`${name} is too big to be a latentflow graph file`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refused(`${name} is not a latentflow graph file, model bundle or image`);
  }
  return { kind: 'graph', result: loadGraph(text, catalog) };
}
