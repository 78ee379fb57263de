/** The graph library: save, load, list, rename, duplicate, delete with undo, search. */
import { loadGraph, saveGraph, type Catalog, type GraphDoc, type LoadResult, type Problem } from '../graph';
import { searchTextOf, type Library, type Tx } from './db';
import { attempt, fail, refuse, type Outcome } from './errors';

/** A saved graph: the canonical file text plus what the library list shows. */
export interface GraphRecord {
  id: string;
  /** The graph file, exactly as `saveGraph` writes it. */
  text: string;
  title: string;
  /** ISO times. */
  created: string;
  updated: string;
  /** Lowercase title and description, for search. */
  search: string;
}

export type GraphSummary = Pick<GraphRecord, 'id' | 'title' | 'created' | 'updated'>;

/** What `deleteGraph` moved aside; `undoDelete(token)` puts it all back. */
export interface TrashEntry {
  id: string;
  deleted: string;
  graph: GraphRecord;
  weights: unknown[];
  checkpoints: unknown[];
  runs: unknown[];
}

export const untitled = 'Untitled graph';

const now = () => new Date().toISOString();
const newId = () => (globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);
const summary = (r: GraphRecord): GraphSummary => ({ id: r.id, title: r.title, created: r.created, updated: r.updated });

function titleOf(doc: GraphDoc): string {
  return doc.meta?.title?.trim() || untitled;
}

function recordFor(text: string, title: string, id: string, created: string): GraphRecord {
  return { id, text, title, created, updated: now(), search: searchTextOf(title, text) };
}

/**
 * Saves a graph (a new one when `id` is absent or unknown); returns its record. A failed write
 * (storage full...) leaves the previously saved version as it was.
 */
export function saveGraphDoc(lib: Library, doc: GraphDoc, id?: string): Promise<Outcome<GraphRecord>> {
  const text = saveGraph(doc);
  return attempt(() => lib.write(['graphs'], async (tx) => {
    const key = id ?? newId();
    const old = await tx.get<GraphRecord>('graphs', key);
    const record = recordFor(text, titleOf(doc), key, old?.created ?? now());
    await tx.put('graphs', record);
    return record;
  }));
}

/** A save refused because the graph changed elsewhere (another tab) since it was read: their record, left as it was. */
export type GuardedSave = Outcome<GraphRecord> | { ok: false; problem: Problem; theirs: GraphRecord };

/**
 * Saves a graph only if the library still holds `seenText` for it (what this page read or wrote
 * last): when another tab saved it since, nothing is written and their record comes back.
 */
export async function saveGraphDocIfUnchanged(lib: Library, doc: GraphDoc, id: string, seenText: string): Promise<GuardedSave> {
  const text = saveGraph(doc);
  const r = await attempt(() => lib.write(['graphs'], async (tx) => {
    const old = await tx.get<GraphRecord>('graphs', id);
    // Deleted in another tab since it was opened here: writing it back would undo that delete, and its
    // Undo would then put the old text back over these edits (issue 13, family 12).
    if (!old) return { deleted: true };
    if (old.text !== seenText && old.text !== text) return { theirs: old };
    const record = recordFor(text, titleOf(doc), id, old?.created ?? now());
    await tx.put('graphs', record);
    return { record };
  }));
  if (!r.ok) return r;
  if (r.value.record) return { ok: true, value: r.value.record };
  if (r.value.deleted) return refuse(`"${titleOf(doc)}" was deleted in another tab or window since it was opened here; your edits here are kept in this tab but not saved (download it, or save it as a new graph)`);
  const theirs = r.value.theirs!;
  return { ok: false, theirs, problem: { severity: 'error', path: '', message: `"${theirs.title}" was changed in another tab or window since it was opened here; your edits here were not saved over it` } };
}

/** The saved record of a graph, or null. */
export async function getGraphRecord(lib: Library, id: string): Promise<GraphRecord | null> {
  return (await lib.read(['graphs'], (tx) => tx.get<GraphRecord>('graphs', id))) ?? null;
}

/** Loads a saved graph through `loadGraph` (migrations, validation): its document and problems. */
export async function loadGraphDoc(lib: Library, id: string, catalog: Catalog): Promise<Outcome<LoadResult & { record: GraphRecord }>> {
  const got = await attempt(() => getGraphRecord(lib, id));
  if (!got.ok) return got;
  if (!got.value) return refuse('this graph is no longer in the library');
  return { ok: true, value: { ...loadGraph(got.value.text, catalog), record: got.value } };
}

/** Every saved graph, most recently changed first. */
export async function listGraphs(lib: Library): Promise<GraphSummary[]> {
  const all = await lib.read(['graphs'], (tx) => tx.getAll<GraphRecord>('graphs'));
  return all.sort((a, b) => (a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : 0)).map(summary);
}

/** Graphs whose title or description contains every word of the query (case-insensitive). */
export async function searchGraphs(lib: Library, query: string): Promise<GraphSummary[]> {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const all = await lib.read(['graphs'], (tx) => tx.getAll<GraphRecord>('graphs'));
  return all
    .filter((r) => words.every((w) => r.search.includes(w)))
    .sort((a, b) => (a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : 0))
    .map(summary);
}

/** Rewrites `meta.title` in the file text, keeping everything else as it was. */
function retitle(text: string, title: string): string {
  const doc = JSON.parse(text) as GraphDoc;
  doc.meta = { ...doc.meta, title };
  return saveGraph(doc);
}

/** Renames a graph: its library title and the title inside the file. */
export function renameGraph(lib: Library, id: string, title: string): Promise<Outcome<GraphRecord>> {
  const clean = title.trim().slice(0, 200);
  if (!clean) return Promise.resolve(refuse('a graph needs a title'));
  return attempt(() => lib.write(['graphs'], async (tx) => {
    const old = await tx.get<GraphRecord>('graphs', id);
    if (!old) throw missing();
    const record = recordFor(retitle(old.text, clean), clean, id, old.created);
    await tx.put('graphs', record);
    return record;
  }));
}

/** Copies a graph and its trained weights under a new id ("Copy of ..." unless a title is given). */
export function duplicateGraph(lib: Library, id: string, title?: string): Promise<Outcome<GraphRecord>> {
  return attempt(() => lib.write(['graphs', 'weights'], async (tx) => {
    const old = await tx.get<GraphRecord>('graphs', id);
    if (!old) throw missing();
    const newTitle = (title?.trim() || `Copy of ${old.title}`).slice(0, 200);
    const record = recordFor(retitle(old.text, newTitle), newTitle, newId(), now());
    await tx.put('graphs', record);
    for (const w of await tx.getAll<{ graphId: string }>('weights', 'byGraph', id)) {
      await tx.put('weights', { ...w, graphId: record.id });
    }
    return record;
  }));
}

const related = ['weights', 'checkpoints', 'runs'] as const;

async function takeRelated(tx: Tx, graphId: string): Promise<Pick<TrashEntry, 'weights' | 'checkpoints' | 'runs'>> {
  const out = { weights: [] as unknown[], checkpoints: [] as unknown[], runs: [] as unknown[] };
  for (const store of related) out[store] = await tx.getAll(store, 'byGraph', graphId);
  return out;
}

/**
 * Deletes a graph with its weights, checkpoints and runs, keeping them in the trash;
 * returns the token that `undoDelete` takes.
 */
export function deleteGraph(lib: Library, id: string): Promise<Outcome<string>> {
  return attempt(() => lib.write(['graphs', 'weights', 'checkpoints', 'runs', 'trash'], async (tx) => {
    const graph = await tx.get<GraphRecord>('graphs', id);
    if (!graph) throw missing();
    const rest = await takeRelated(tx, id);
    const entry: TrashEntry = { id: newId(), deleted: now(), graph, ...rest };
    await tx.put('trash', entry);
    await tx.delete('graphs', id);
    for (const w of rest.weights as { graphId: string; structureHash: string }[]) await tx.delete('weights', [w.graphId, w.structureHash]);
    for (const c of rest.checkpoints as { runId: string; step: number }[]) await tx.delete('checkpoints', [c.runId, c.step]);
    for (const r of rest.runs as { id: string }[]) await tx.delete('runs', r.id);
    return entry.id;
  }));
}

/** Puts back a deleted graph and everything deleted with it. */
export function undoDelete(lib: Library, token: string): Promise<Outcome<GraphRecord>> {
  return attempt(() => lib.write(['graphs', 'weights', 'checkpoints', 'runs', 'trash'], async (tx) => {
    const entry = await tx.get<TrashEntry>('trash', token);
    if (!entry) throw fail('there is nothing to undo');
    // Never over a graph saved under its id since (another tab that still had it open).
    if (await tx.get<GraphRecord>('graphs', entry.graph.id)) throw fail(`"${entry.graph.title}" is in the library again (saved in another tab or window since it was deleted); it was not replaced`);
    await tx.put('graphs', entry.graph);
    for (const store of related) for (const value of entry[store]) await tx.put(store, value);
    await tx.delete('trash', token);
    return entry.graph;
  }));
}

/** Empties the trash of entries deleted before `olderThan` (all when absent). */
export function emptyTrash(lib: Library, olderThan?: Date): Promise<Outcome<number>> {
  return attempt(() => lib.write(['trash'], async (tx) => {
    const entries = await tx.getAll<TrashEntry>('trash');
    const gone = entries.filter((e) => !olderThan || e.deleted < olderThan.toISOString());
    for (const e of gone) await tx.delete('trash', e.id);
    return gone.length;
  }));
}

function missing(): Error {
  return fail('this graph is no longer in the library');
}
