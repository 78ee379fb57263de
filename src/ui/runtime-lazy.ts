/**
 * The runtime pieces the UI thread needs now and then (structure hashes, Layers export, decoding a
 * clicked point), loaded on first use so the page starts without them.
 */
import type { GraphDoc, Catalog, TypedCatalog } from '../graph';
import type { NodeKind } from '../../nodes/define';
import type { ImagesResult } from '../../nodes/results';
import type { NamedWeights } from '../runtime/types';

type RuntimeModule = typeof import('../runtime');
let loading: Promise<RuntimeModule> | null = null;

/** The runtime module (compile, exportLayersModels), loaded once. */
export function runtimeModule(): Promise<RuntimeModule> {
  return (loading ??= import('../runtime'));
}

/** `compile(doc).plan.structureHash`, or null when the graph does not compile. */
export async function structureHashOf(doc: GraphDoc, catalog: Catalog): Promise<string | null> {
  const rt = await runtimeModule();
  const c = rt.compile(doc, catalog as TypedCatalog<NodeKind>);
  return c.ok ? c.plan.structureHash : null;
}

/** A synchronous hash function for `importBundle` (call `runtimeModule()` first). */
export function structureHashSync(rt: RuntimeModule, catalog: Catalog): (doc: GraphDoc) => string {
  return (doc) => {
    const c = rt.compile(doc, catalog as TypedCatalog<NodeKind>);
    if (!c.ok) throw new Error(c.problems[0]?.message ?? 'the graph does not compile');
    return c.plan.structureHash;
  };
}

/**
 * Decodes latent codes with the trained decoder of an encoder → latent → decoder chain, on this
 * thread's cpu backend (a handful of codes through a small dense stack: well under a frame).
 * Returns a message when the graph has no such chain.
 */
export async function decodeCodes(doc: GraphDoc, catalog: Catalog, weights: NamedWeights, codes: number[][]): Promise<ImagesResult | string> {
  const rt = await runtimeModule();
  const c = rt.compile(doc, catalog as TypedCatalog<NodeKind>);
  if (!c.ok) return c.problems[0]?.message ?? 'the graph does not compile';
  const models = rt.exportLayersModels(c.plan, weights);
  if (!('decoder' in models)) return models.message;
  const tf = await import('@tensorflow/tfjs');
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  try {
    const dim = (c.plan.byId.get(models.latentId)!.params.dim as number);
    if (codes.some((z) => z.length !== dim)) return `this latent space has ${dim} dimensions; only 2-D codes can be picked on the scatter`;
    const out = tf.tidy(() => (models.decoder.predict(tf.tensor2d(codes, [codes.length, dim])) as import('@tensorflow/tfjs').Tensor).clipByValue(0, 1));
    const pixels = (await out.array()) as number[][];
    out.dispose();
    const shape = c.plan.byId.get(models.decoderId)!.outShapes.model as { image?: readonly [number, number, number] } | undefined;
    const image = shape?.image ? [shape.image[0], shape.image[1], shape.image[2]] as [number, number, number] : null;
    return { kind: 'images', image, count: pixels.length, pixels, coords: codes, cols: codes.length, rows: 1 };
  } finally {
    models.encoder.dispose();
    models.decoder.dispose();
  }
}
