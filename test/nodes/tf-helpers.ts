/** Shared tfjs set-up and helpers for the node tests. */
import * as tf from '@tensorflow/tfjs';
// The kinds compute with the tfjs the runtime binds (nodes/tfjs.ts); these tests call them without a run.
import '../../src/runtime/tfjs-bind';
import { defaultParams, type Params, type Shape } from '../../src/graph';
import type { EvalContext, NodeInstance, NodeKind, StepContext } from '../../nodes/define';

/** The cpu backend: exact, the same in Node and Chromium, no GPU needed. */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** A kind's params at their defaults, with some changed. */
export function paramsOf(kind: NodeKind, changes: Params = {}): Params {
  return { ...defaultParams(kind.params), ...changes };
}

/** A step context with sensible defaults. */
export function stepContext(kind: NodeKind, changes: Partial<StepContext> & { params?: Params } = {}): StepContext {
  return { mode: 'train', epoch: 0, step: 0, seed: 1, epochSeed: 1, ...changes, params: paramsOf(kind, changes.params) };
}

/** An evaluation context (with optional labels). */
export function evalContext(kind: NodeKind, changes: Partial<EvalContext> & { params?: Params } = {}): EvalContext {
  return { ...stepContext(kind, { mode: 'eval', ...changes }), ...(changes.labels ? { labels: changes.labels } : {}) };
}

/** Builds a chain node with the given params and input shapes. */
export function buildNode(kind: NodeKind, params: Params = {}, inputs: Record<string, Shape | undefined> = {}): NodeInstance {
  if (!kind.build) throw new Error(`${kind.kind} has no build`);
  return kind.build({ nodeId: 'n', params: paramsOf(kind, params), inputs, outputs: {}, seed: 7 });
}

/** Runs `fn` and returns how many tensors it left behind. */
export async function leakedBy(fn: () => unknown): Promise<number> {
  const before = tf.memory().numTensors;
  await fn();
  return tf.memory().numTensors - before;
}
