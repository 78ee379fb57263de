/**
 * Peak activation memory of a training step, estimated before any tensor exists: the values every
 * layer keeps per sample for the backward pass, times the samples in a batch. Refused above
 * `limits.activationBytes` (a wasm heap is 4 GB at most, a GPU often less), warned above
 * `limits.activationBytesWarn`, with the numbers, as the parameter limit is.
 */
import { limits } from './limits';
import type { Problem } from './problems';
import type { Shape } from './shapes';

/** What shape inference gathered for the estimate. */
export interface ActivationInputs {
  /** Output shapes of every node. */
  shapes: Map<string, Record<string, Shape>>;
  /** Values per sample kept inside nodes (hidden layers), beyond their outputs. */
  hidden: Map<string, number>;
  /** The node that sets the batch size, its path and kind, and the size (0: the whole dataset). */
  batch?: { nodeId: string; kind: string; path: string; size: number };
}

const mb = (bytes: number) => bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.round(bytes / 1024 ** 2)} MB`;

/** Values per sample a step keeps: every data, batch and latent output, plus hidden layers. */
function valuesPerSample({ shapes, hidden }: ActivationInputs): number {
  let n = 0;
  for (const outputs of shapes.values()) {
    for (const s of Object.values(outputs)) {
      if (s.type === 'batch' || s.type === 'dataset') n += s.features;
      else if (s.type === 'latent') n += s.gaussian ? 3 * s.dim : s.dim;
    }
  }
  for (const h of hidden.values()) n += h;
  return n;
}

/**
 * The estimate in bytes with its factors, or null when the batch is not known before loading data.
 * `loaded`: the training samples a run has loaded, for a dataset whose count only its data tells
 * (an upload): the run checks again with it before building anything.
 */
export function activationBytes(a: ActivationInputs, loaded?: number): { bytes: number; batch: number; perSample: number } | null {
  if (!a.batch) return null;
  let samples: number | undefined = loaded;
  if (samples === undefined) {
    for (const outputs of a.shapes.values()) {
      for (const s of Object.values(outputs)) if (s.type === 'dataset' && s.samples !== undefined) samples = Math.max(samples ?? 0, s.samples);
    }
  }
  const batch = a.batch.size > 0 ? (samples === undefined ? a.batch.size : Math.min(a.batch.size, samples)) : samples;
  if (batch === undefined) return null;
  const perSample = valuesPerSample(a);
  return { bytes: batch * perSample * 4 * limits.backwardFactor, batch, perSample };
}

/** A problem on the batch-size setting when the estimate passes the limit (error) or the warning level. */
export function checkActivationMemory(a: ActivationInputs, loaded?: number): Problem | null {
  const e = activationBytes(a, loaded);
  if (!e || !a.batch || e.bytes <= limits.activationBytesWarn) return null;
  const over = e.bytes > limits.activationBytes;
  const what = `about ${mb(e.bytes)} of activations (${e.batch.toLocaleString('en-US')} samples per batch × ${e.perSample.toLocaleString('en-US')} values × 4 bytes × ${limits.backwardFactor} for the backward pass)`;
  return {
    severity: over ? 'error' : 'warning', path: `${a.batch.path}.params.batchSize`, nodeId: a.batch.nodeId, kind: a.batch.kind, param: 'batchSize',
    message: over
      ? `a training step would keep ${what}; the limit is ${mb(limits.activationBytes)}: set a smaller batch size or use fewer units`
      : `a training step will keep ${what}: it may be slow or run out of memory on a small device; a smaller batch size uses less`,
  };
}

/**
 * Why `seeds` training steps in one program (seed batching: every seed keeps its own activations)
 * would keep more than the limit, with the numbers; null when they fit or the estimate is unknown.
 */
export function seedsActivationRefusal(a: ActivationInputs, seeds: number): string | null {
  const e = activationBytes(a);
  if (!e || e.bytes * seeds <= limits.activationBytes) return null;
  return `${seeds.toLocaleString('en-US')} seeds in one program would keep about ${mb(e.bytes * seeds)} of activations (${seeds.toLocaleString('en-US')} × ${mb(e.bytes)}); the limit is ${mb(limits.activationBytes)}`;
}
