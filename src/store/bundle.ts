/**
 * Model bundles (`.lflow`): one zip holding `graph.json` (the graph file), `weights.json` (a
 * manifest: node, variable, shape, byte offset and length) with `weights.bin` (little-endian
 * float32), and `metrics.json`. Reading refuses anything inconsistent before the library is touched.
 */
import { strFromU8, strToU8, zipSync } from 'fflate';
import * as v from 'valibot';
import { dict, isReservedName, limits, loadGraph, reservedNameMessage, saveGraph, structureHash, type Catalog, type GraphDoc, type MetricsBatch, type NamedWeights, type Problem } from '../graph';
import { searchTextOf, type Library } from './db';
import { attempt } from './errors';
import type { GraphRecord } from './graphs';
import { openZip, readZipEntry } from './unzip';

export const bundleExtension = '.lflow';
export const weightsFormat = 'latentflow/weights';
export const weightsVersion = 1;
/** Bigger bundles are refused before unpacking (the largest course model is a few MB). */
export const maxBundleBytes = 256 * 1024 * 1024;
/** The most each part may inflate to, whatever the zip declares: a bundle cannot expand into gigabytes. */
const maxPartBytes = {
  /** A graph file has at most `limits.fileChars` characters, 3 UTF-8 bytes each at most. */
  graph: limits.fileChars * 3,
  /** `maxTensors` entries of a few hundred bytes each. */
  manifest: 8 * 1024 * 1024,
  /** float32 weights of the most parameters a graph may have. */
  weights: limits.totalParams * 4,
  /** A loss history: a few numbers per step. */
  metrics: 32 * 1024 * 1024,
};
const maxTensors = 10_000;

const nameSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,127}$/, 'must be 1 to 128 letters, digits or _ . : / -'), v.check((s) => !isReservedName(s), reservedNameMessage));
const tensorSchema = v.object({
  node: nameSchema,
  name: nameSchema,
  dtype: v.literal('float32'),
  shape: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1e8))), v.maxLength(8)),
  offset: v.pipe(v.number(), v.integer(), v.minValue(0)),
  length: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
const manifestSchema = v.looseObject({
  format: v.literal(weightsFormat),
  version: v.pipe(v.number(), v.integer(), v.minValue(1)),
  structureHash: v.optional(v.string()),
  tensors: v.pipe(v.array(tensorSchema), v.maxLength(maxTensors)),
});
export type WeightsManifest = v.InferOutput<typeof manifestSchema>;

export interface BundleContents {
  doc: GraphDoc;
  weights: NamedWeights;
  /** Training metrics (loss history) when the bundle has them. */
  metrics?: unknown;
  structureHash?: string;
}

export type BundleRead =
  | { ok: true; doc: GraphDoc; text: string; weights: NamedWeights; metrics: unknown; structureHash?: string; problems: Problem[] }
  | { ok: false; problems: Problem[] };

/** Packs a graph, its trained weights and metrics into one `.lflow` file. */
export function writeBundle(contents: BundleContents): Uint8Array {
  const tensors: WeightsManifest['tensors'] = [];
  let size = 0;
  for (const [node, vars] of Object.entries(contents.weights)) {
    for (const [name, w] of Object.entries(vars)) {
      tensors.push({ node, name, dtype: 'float32', shape: [...w.shape], offset: size, length: w.values.length * 4 });
      size += w.values.length * 4;
    }
  }
  const bin = new Uint8Array(size);
  const view = new DataView(bin.buffer);
  let at = 0;
  for (const vars of Object.values(contents.weights)) {
    for (const w of Object.values(vars)) {
      // Copy bit patterns, not numbers, so -0 and subnormals survive exactly (NaN/Infinity are refused on reading).
      const bits = new Uint32Array(w.values.buffer, w.values.byteOffset, w.values.length);
      for (let i = 0; i < bits.length; i++, at += 4) view.setUint32(at, bits[i]!, true);
    }
  }
  const manifest: WeightsManifest = { format: weightsFormat, version: weightsVersion, ...(contents.structureHash ? { structureHash: contents.structureHash } : {}), tensors };
  return zipSync({
    'graph.json': strToU8(saveGraph(contents.doc)),
    'weights.json': strToU8(`${JSON.stringify(manifest, null, 2)}\n`),
    'weights.bin': [bin, { level: 1 }],
    'metrics.json': strToU8(`${JSON.stringify(contents.metrics ?? null)}\n`),
  }, { level: 6 });
}

const refusal = (message: string, path = ''): BundleRead => ({ ok: false, problems: [{ severity: 'error', path, message }] });

/** Unpacks and checks a `.lflow` file; nothing is stored. Each part is inflated with a ceiling, in slices. */
export async function readBundle(bytes: Uint8Array, catalog: Catalog): Promise<BundleRead> {
  if (bytes.length > maxBundleBytes) return refusal(`this bundle is too big (${Math.round(bytes.length / 1e6)} MB; at most ${maxBundleBytes / 1024 / 1024} MB)`);
  const zip = openZip(bytes);
  if (!zip.ok) return refusal(`this is not a latentflow model bundle: ${zip.message}`);
  for (const part of ['graph.json', 'weights.json', 'weights.bin']) {
    if (!zip.entries.has(part)) return refusal(`this model bundle is incomplete: ${part} is missing`, part);
  }
  const part = async (name: string, max: number): Promise<Uint8Array | BundleRead> => {
    const read = await readZipEntry(bytes, zip.entries.get(name)!, max);
    return read.ok ? read.bytes : refusal(`this model bundle is damaged or hostile: ${read.message}`, name);
  };
  const files: Record<string, Uint8Array> = {};
  for (const [name, max] of [['graph.json', maxPartBytes.graph], ['weights.json', maxPartBytes.manifest]] as const) {
    const got = await part(name, max);
    if (!(got instanceof Uint8Array)) return got;
    files[name] = got;
  }

  const text = strFromU8(files['graph.json']!);
  const loaded = loadGraph(text, catalog);
  if (!loaded.doc) return { ok: false, problems: loaded.problems.map((p) => ({ ...p, path: p.path ? `graph.json: ${p.path}` : 'graph.json' })) };

  let rawManifest: unknown;
  try {
    rawManifest = JSON.parse(strFromU8(files['weights.json']!));
  } catch {
    return refusal('the weights manifest of this bundle is not valid JSON', 'weights.json');
  }
  if ((rawManifest as { version?: unknown } | null)?.version !== undefined
    && typeof (rawManifest as { version: unknown }).version === 'number'
    && (rawManifest as { version: number }).version > weightsVersion) {
    return refusal(`the weights in this bundle were written by a newer latentflow (weights format ${(rawManifest as { version: number }).version}); update latentflow to open it`, 'weights.json');
  }
  const parsed = v.safeParse(manifestSchema, rawManifest);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const at = v.getDotPath(issue);
    const detail = typeof issue.input === 'string' && at ? `: ${at} ${JSON.stringify(issue.input.slice(0, 40))} ${issue.message}` : '';
    return refusal(`the weights manifest of this bundle is malformed${detail}`, 'weights.json');
  }
  // weights.bin is inflated only when it is exactly as big as the manifest's tensors, and those fit a model.
  const declared = parsed.output.tensors.reduce((n, t) => n + t.length, 0);
  if (declared > maxPartBytes.weights) return refusal(`the weights manifest of this bundle describes ${declared} bytes of weights; a latentflow model has at most ${limits.totalParams.toLocaleString('en-US')} parameters (${maxPartBytes.weights} bytes)`, 'weights.json');
  const binSize = zip.entries.get('weights.bin')!.size;
  if (binSize !== declared) return refusal(`weights.bin has ${binSize} bytes but the manifest describes ${declared}`, 'weights.bin');
  const bin = await part('weights.bin', declared);
  if (!(bin instanceof Uint8Array)) return bin;
  const weights = weightsFromParts(parsed.output, bin, new Set(loaded.doc.nodes.map((n) => n.id)));
  if (typeof weights === 'string') return refusal(weights, 'weights.bin');

  let metrics: unknown = null;
  if (zip.entries.has('metrics.json')) {
    const got = await part('metrics.json', maxPartBytes.metrics);
    if (!(got instanceof Uint8Array)) return got;
    try {
      metrics = JSON.parse(strFromU8(got));
    } catch {
      return refusal('the metrics of this bundle are not valid JSON', 'metrics.json');
    }
  }
  return { ok: true, doc: loaded.doc, text, weights, metrics, structureHash: parsed.output.structureHash, problems: loaded.problems };
}

/** Weights from the manifest and the binary, or a message saying what does not fit. */
function weightsFromParts(manifest: WeightsManifest, bin: Uint8Array, nodeIds: Set<string>): NamedWeights | string {
  const out: NamedWeights = dict(); // keyed by node id, then tensor name (see graph/names.ts)
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  let expected = 0;
  for (const t of manifest.tensors) {
    const label = `${t.node}/${t.name}`;
    if (!nodeIds.has(t.node)) return `the bundle has weights for node "${t.node}", which is not in its graph`;
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (t.length !== count * 4) return `the weights of ${label} have ${t.length} bytes but shape [${t.shape.join(', ')}] needs ${count * 4}`;
    if (t.offset !== expected) return `the weights of ${label} are not where the manifest says (offset ${t.offset}, expected ${expected})`;
    if (t.offset + t.length > bin.length) return `weights.bin is too short: ${label} needs bytes up to ${t.offset + t.length}, the file has ${bin.length}`;
    const vars = (out[t.node] ??= dict());
    if (Object.hasOwn(vars, t.name)) return `the bundle lists the weights of ${label} twice`;
    const values = new Float32Array(count);
    const bits = new Uint32Array(values.buffer);
    for (let i = 0; i < count; i++) bits[i] = view.getUint32(t.offset + i * 4, true);
    // Training never keeps such weights (a NaN restores the last good ones) and a model with them computes only NaN.
    const bad = values.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) return `the weights of ${label} are not all finite numbers (value ${bad + 1} of ${count} is ${values[bad]}); a model with them computes only NaN`;
    vars[t.name] = { shape: [...t.shape], values };
    expected += t.length;
  }
  if (expected !== bin.length) return `weights.bin has ${bin.length} bytes but the manifest describes ${expected}`;
  return out;
}

const seriesEntries = { steps: v.array(v.number()), epochs: v.array(v.number()), total: v.array(v.number()), terms: v.record(v.string(), v.array(v.number())) };
const sameLengths = v.check((s: v.InferOutput<v.ObjectSchema<typeof seriesEntries, undefined>>) =>
  s.epochs.length === s.steps.length && s.total.length === s.steps.length && Object.values(s.terms).every((t) => t.length === s.steps.length));
const metricsSchema = v.pipe(
  v.object({ ...seriesEntries, test: v.optional(v.pipe(v.object(seriesEntries), sameLengths)) }),
  sameLengths,
);

/** A bundle's loss history when it is well formed (equal-length arrays of numbers); ignored otherwise. */
function isMetricsBatch(x: unknown): x is MetricsBatch {
  return v.is(metricsSchema, x);
}

/**
 * Reads a bundle and, only when it is sound, adds its graph, weights and metrics to the library in
 * one transaction. Its weights are kept under the graph's structure hash (what the runtime's compile gives).
 */
export async function importBundle(
  lib: Library,
  bytes: Uint8Array,
  catalog: Catalog,
): Promise<{ ok: true; record: GraphRecord; problems: Problem[] } | { ok: false; problems: Problem[] }> {
  const read = await readBundle(bytes, catalog);
  if (!read.ok) return read;
  const hash = structureHash(read.doc, catalog);
  if (hash === null) {
    return refusal('the graph of this bundle cannot be compiled, so its weights cannot be matched to it') as { ok: false; problems: Problem[] };
  }
  const at = new Date().toISOString();
  const id = globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const title = read.doc.meta?.title?.trim() || 'Imported model';
  const text = saveGraph(read.doc);
  const record: GraphRecord = { id, text, title, created: at, updated: at, search: searchTextOf(title, text) };
  const written = await attempt(() => lib.write(['graphs', 'weights', 'runs'], async (tx) => {
    await tx.put('graphs', record);
    await tx.put('weights', { graphId: id, structureHash: hash, weights: read.weights, saved: at });
    if (isMetricsBatch(read.metrics)) {
      await tx.put('runs', { id: `${id}/imported`, graphId: id, structureHash: hash, started: at, updated: at, status: 'imported', history: read.metrics });
    }
  }));
  if (!written.ok) return { ok: false, problems: [written.problem] };
  return { ok: true, record, problems: read.problems };
}
