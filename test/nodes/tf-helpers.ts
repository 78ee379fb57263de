/** Shared tfjs set-up and helpers for the node tests. */
import * as tf from '@tensorflow/tfjs';
// The kinds compute with the tfjs the runtime binds (nodes/tfjs.ts); these tests call them without a run.
import '../../src/runtime/tfjs-bind';
import { defaultParams, type ParamSpec, type Params, type ParamsOf, type Shape } from '../../src/graph';
import type { EvalContext, NodeInstance, NodeKind, StepContext } from '../../nodes/define';

/** The cpu backend: exact, the same in Node and Chromium, no GPU needed. */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** A kind's params at their defaults, with some changed. */
export function paramsOf<P extends Record<string, ParamSpec>>(kind: { params: P }, changes: Params = {}): ParamsOf<P> {
  // Tests hand kinds any params, wrong ones included: typed as the kind reads them.
  return { ...defaultParams(kind.params), ...changes } as ParamsOf<P>;
}

/** A step context with sensible defaults. */
export function stepContext<P extends Record<string, ParamSpec>>(kind: { params: P }, changes: Partial<Omit<StepContext, 'params'>> & { params?: Params } = {}): StepContext<ParamsOf<P>> {
  return { mode: 'train', epoch: 0, step: 0, seed: 1, epochSeed: 1, ...changes, params: paramsOf(kind, changes.params) };
}

/** An evaluation context (with optional labels). */
export function evalContext<P extends Record<string, ParamSpec>>(kind: { params: P }, changes: Partial<Omit<EvalContext, 'params'>> & { params?: Params } = {}): EvalContext<ParamsOf<P>> {
  return { ...stepContext(kind, { mode: 'eval', ...changes }), ...(changes.labels ? { labels: changes.labels } : {}) };
}

/** Builds a chain node with the given params and input shapes. */
export function buildNode<P extends Record<string, ParamSpec>>(kind: NodeKind<ParamsOf<P>> & { params: P }, params: Params = {}, inputs: Record<string, Shape | undefined> = {}): NodeInstance<ParamsOf<P>> {
  if (!kind.build) throw new Error(`${kind.kind} has no build`);
  return kind.build({ nodeId: 'n', params: paramsOf(kind, params), inputs, outputs: {}, seed: 7 });
}

/** Runs `fn` and returns how many tensors it left behind. */
export async function leakedBy(fn: () => unknown): Promise<number> {
  const before = tf.memory().numTensors;
  await fn();
  return tf.memory().numTensors - before;
}
